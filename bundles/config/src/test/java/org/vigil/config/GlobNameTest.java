package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GlobNameTest {

    @Test
    void wildcardsClassesEscapesAndBraces() {
        assertThat(GlobName.matches("*.conf", "10-vi1.conf")).isTrue();
        assertThat(GlobName.matches("*.conf", "10-vi1.conf.bak")).isFalse();
        assertThat(GlobName.matches("?0-*", "10-x")).isTrue();
        assertThat(GlobName.matches("?0-*", "0-x")).isFalse();
        assertThat(GlobName.matches("[a-c]x", "bx")).isTrue();
        assertThat(GlobName.matches("[a-c]x", "dx")).isFalse();
        assertThat(GlobName.matches("[!a-c]x", "dx")).isTrue();
        assertThat(GlobName.matches("[^a-c]x", "ax")).isFalse();
        assertThat(GlobName.matches("[]a]", "]")).isTrue();
        assertThat(GlobName.matches("[*]", "*")).isTrue();
        assertThat(GlobName.matches("[*]", "a")).isFalse();
        assertThat(GlobName.matches("\\*", "*")).isTrue();
        assertThat(GlobName.matches("\\*", "a")).isFalse();
        assertThat(GlobName.matches("{a,b}.conf", "b.conf")).isTrue();
        assertThat(GlobName.matches("{a,b}.conf", "c.conf")).isFalse();
        assertThat(GlobName.matches("x{,y}", "x")).isTrue();
        assertThat(GlobName.matches("{a,b}{1,2}", "b2")).isTrue();
        assertThat(GlobName.alternatives("{a,b}{1,2}")).containsExactly("a1", "a2", "b1", "b2");
        assertThat(GlobName.matches("**", "anything")).isTrue();
        assertThat(GlobName.matches("*", "")).isTrue();
    }

    @Test
    void unclosedBracketsAreOrdinaryCharacters() {
        assertThat(GlobName.matches("[a-", "[a-")).isTrue();
        assertThat(GlobName.matches("[a-", "a")).isFalse();
        assertThat(GlobName.matches("{a", "{a")).isTrue();
        assertThat(GlobName.matches("a}", "a}")).isTrue();
    }

    @Test
    void patternsThatBacktrackExponentiallyAsRegexesAreQuick() {
        // found by fuzzing: as [^/]*a[^/]*a...b this did not finish against 48 a's in a minute
        String name = "a".repeat(200);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(GlobName.matches("*a".repeat(60) + "*b", name)).isFalse();
            assertThat(GlobName.matches("*".repeat(500) + "a", name)).isTrue();
            assertThat(GlobName.alternatives("{a,b}".repeat(40))).hasSize(GlobName.MAX_ALTERNATIVES);
        });
    }
}
