package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void wordsAreSplitOnBlanksWithQuotesAndEscapesAsKeepalivedDoes() {
        assertThat(CommandLine.argv("/usr/bin/curl -sf http://127.0.0.1/"))
                .containsExactly("/usr/bin/curl", "-sf", "http://127.0.0.1/");
        assertThat(CommandLine.argv("/bin/check 'two words' \"say \\\"hi\\\"\" a\\ b"))
                .containsExactly("/bin/check", "two words", "say \"hi\"", "a b");
        assertThat(CommandLine.argv("  /bin/true  ")).containsExactly("/bin/true");
    }

    @Test
    void onlyUnquotedMetacharactersNeedAShell() {
        assertThat(CommandLine.argv("pidof nginx || exit 1")).containsExactly("/bin/sh", "-c", "pidof nginx || exit 1");
        assertThat(CommandLine.argv("test -f $HOME/flag")).containsExactly("/bin/sh", "-c", "test -f $HOME/flag");
        assertThat(CommandLine.argv("/bin/grep 'a|b' /etc/hosts")).containsExactly("/bin/grep", "a|b", "/etc/hosts");
        assertThat(CommandLine.argv("/bin/echo a\\;b")).containsExactly("/bin/echo", "a;b");
    }
}
