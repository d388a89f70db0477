package org.vigil.notify.script.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void splitsOnBlanksWithQuotesAndEscapes() {
        CommandLine c = CommandLine.parse("/etc/keepalived/n.sh  'two words' \"say \\\"hi\\\"\" a\\ b");
        assertThat(c.words()).containsExactly("/etc/keepalived/n.sh", "two words", "say \"hi\"", "a b");
        assertThat(c.needsShell()).isFalse();
        assertThat(c.argv(List.of("INSTANCE", "VI_1", "MASTER", "100")))
                .containsExactly("/etc/keepalived/n.sh", "two words", "say \"hi\"", "a b",
                        "INSTANCE", "VI_1", "MASTER", "100");
    }

    @Test
    void shellOnlyForShellOperatorsOutsideQuotes() {
        assertThat(CommandLine.parse("/bin/echo 'a|b' \"$x\"").needsShell()).isFalse();
        CommandLine piped = CommandLine.parse("/bin/echo master | logger");
        assertThat(piped.needsShell()).isTrue();
        assertThat(piped.argv(List.of("GROUP", "it's", "BACKUP", "0"))).containsExactly("/bin/sh", "-c",
                "/bin/echo master | logger 'GROUP' 'it'\\''s' 'BACKUP' '0'");
    }
}
