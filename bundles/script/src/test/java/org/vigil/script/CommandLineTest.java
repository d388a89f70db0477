package org.vigil.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * keepalived's splitting of a script's command. The vectors marked "keepalived 2.2.7" were
 * produced by the real keepalived on this machine: a vrrp_script running a script that prints
 * each of its arguments (bundles/script/README.md, "Checked against keepalived").
 */
class CommandLineTest {

    private static List<String> words(String text) {
        return CommandLine.parse(text).words();
    }

    @Test
    void blanksSeparateWordsAndAnyRunOfWhiteSpaceIsOneSeparator() {
        assertThat(words("/usr/bin/curl -sf http://127.0.0.1/")).containsExactly("/usr/bin/curl", "-sf",
                "http://127.0.0.1/");
        assertThat(words("  /bin/true  ")).containsExactly("/bin/true");
        // keepalived 2.2.7: tab and double blanks
        assertThat(words("/x plain a  b\tc")).containsExactly("/x", "plain", "a", "b", "c");
        // keepalived's white space is exactly space, tab, newline, carriage return, form feed, vertical tab
        assertThat(words("a\nb\rc\fd\u000be")).containsExactly("a", "b", "c", "d", "e");
        assertThat(words("a\u001cb\u00a0c")).containsExactly("a\u001cb\u00a0c");
        assertThat(CommandLine.parse("   ").isEmpty()).isTrue();
        assertThat(CommandLine.parse("").words()).isEmpty();
    }

    @Test
    void quotesKeepBlanksAndMayStartOrEndInsideAWord() {
        // keepalived 2.2.7
        assertThat(words("/x quotes 'b c' 'x'y z\"w\"")).containsExactly("/x", "quotes", "b c", "xy", "zw");
        // keepalived.conf(5), "Quoted strings"
        assertThat(words("abcd\" efg h jkl \"mnop")).containsExactly("abcd efg h jkl mnop");
        assertThat(words("abcd \"efg h jkl\" mnop")).containsExactly("abcd", "efg h jkl", "mnop");
        assertThat(words("'say \"hi\"' \"it's\"")).containsExactly("say \"hi\"", "it's");
    }

    @Test
    void emptyQuotesAreEmptyArguments() {
        // keepalived 2.2.7
        assertThat(words("/x empty '' x '' ")).containsExactly("/x", "empty", "", "x", "");
        assertThat(words("\"\"")).containsExactly("");
    }

    @Test
    void backslashEscapesAsKeepalivedDecodesThem() {
        // keepalived 2.2.7: a\ b, c\\d, e\x41, f\tg
        assertThat(words("/x esc a\\ b c\\\\d e\\x41 f\\tg")).containsExactly("/x", "esc", "a b", "c\\d", "eA", "f\tg");
        assertThat(words("\\a\\b\\E\\f\\n\\r\\v")).containsExactly("\u0007\b\u001b\f\n\r\u000b");
        // keepalived 2.2.7: octal takes up to three digits; hex as many digits as follow, the low byte
        assertThat(words("/x oct \\1010 \\x414 \\x4g \\xg \\cA \\q \\E")).containsExactly("/x", "oct", "A0",
                "\u0014", "\u0004g", "xg", "\u0001", "q", "\u001b");
        assertThat(words("\\101\\60x \\x4a \\x4 \\xz")).containsExactly("A0x", "J", "\u0004", "xz");
        assertThat(words("\\cA\\c[")).containsExactly("\u0001\u001b");
        assertThat(words("\\\" \\' \\q")).containsExactly("\"", "'", "q");
        // keepalived 2.2.7: escapes inside double quotes (\x41b is 0x1b) and single quotes alike
        assertThat(words("\"a\\x41b\" \"c d\" \"e'f\"")).containsExactly("a\u001b", "c d", "e'f");
        assertThat(words("/x sqesc 'a\\x41b' 'c\\'")).containsExactly("/x", "sqesc", "a\u001b", "c'");
        assertThat(words("/x sq 'a\\\\b' 'c d'e")).containsExactly("/x", "sq", "a\\b", "c de");
        // keepalived 2.2.7: an escaped newline is part of the word, not a separator
        assertThat(words("/x nl a\\nb \"c\\nd\"")).containsExactly("/x", "nl", "a\nb", "c\nd");
    }

    @Test
    void nothingIsLeftForAShell() {
        // keepalived 2.2.7 passes these to the program as they are
        assertThat(words("/x meta a|b $HOME * ; x&y")).containsExactly("/x", "meta", "a|b", "$HOME", "*", ";", "x&y");
        assertThat(words("/x http://127.0.0.1/?a=1&b=2 #1 >out")).containsExactly("/x", "http://127.0.0.1/?a=1&b=2",
                "#1", ">out");
    }

    @Test
    void anUnterminatedQuoteOrATrailingBackslashIsAnError() {
        assertThatThrownBy(() -> CommandLine.parse("/x unterm 'abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("String '/x unterm 'abc': missing terminating '");
        assertThatThrownBy(() -> CommandLine.parse("/x \"abc")).hasMessage("String '/x \"abc': missing terminating \"");
        assertThatThrownBy(() -> CommandLine.parse("/x trail x\\")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Missing escape char at end: '/x trail x\\'");
        // keepalived only notices an open quote with plain text after its last escape or quote
        assertThat(words("abc'")).containsExactly("abc");
    }

    @Test
    void extraArgumentsAreAppendedAsWords() {
        CommandLine c = CommandLine.parse("/etc/keepalived/n.sh 'two words'");
        assertThat(c.program()).isEqualTo("/etc/keepalived/n.sh");
        assertThat(c.argv(List.of("INSTANCE", "VI_1", "MASTER", "100")))
                .containsExactly("/etc/keepalived/n.sh", "two words", "INSTANCE", "VI_1", "MASTER", "100");
        assertThat(c.text()).isEqualTo("/etc/keepalived/n.sh 'two words'");
        assertThat(c).isEqualTo(CommandLine.parse("/etc/keepalived/n.sh 'two words'"));
    }
}
