package org.vigil.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A script command as keepalived splits it into a program and its arguments (keepalived.conf(5),
 * "Quoted strings" and "SCRIPTS"). keepalived reads a script keyword's value as one string
 * (usually double-quoted in keepalived.conf; the config bridge hands over that string with the
 * outer quotes already removed) and splits that string again into words:
 * <ul>
 * <li>words are separated by unquoted white space (space, tab, newline, carriage return, form
 * feed, vertical tab);</li>
 * <li>{@code '...'} and {@code "..."} keep white space inside one word and may start or end in
 * the middle of a word ({@code a'b c'd} is the single word {@code ab cd}); the quote characters
 * are removed; {@code ''} is an empty argument;</li>
 * <li>a backslash, outside quotes or inside either kind, escapes the next character: {@code \a
 * \b \E \f \n \r \t \v}, {@code \}<i>nnn</i> (up to three octal digits), {@code \x}<i>XX</i> (as
 * many hex digits as follow, of which the low byte counts: keepalived 2.2.7 reads {@code \x41b}
 * as 0x1b) and {@code \c}<i>C</i> (control-C) are decoded; any other {@code \C} is just
 * {@code C}, so {@code \\} is a backslash and {@code \"} a quote that neither starts nor ends a
 * quoted string;</li>
 * <li>nothing else is special: {@code | ; & $ * > #} are ordinary characters. keepalived never
 * runs a command through a shell, and neither does Vigil (write {@code /bin/sh -c '...'} when a
 * shell is wanted).</li>
 * </ul>
 * An unterminated quote or a backslash at the very end is a configuration error, as in keepalived;
 * {@link #parse} then throws with keepalived's wording (keepalived then drops the script).
 */
public final class CommandLine {

    /** keepalived's white space for splitting. */
    private static final String WHITE_SPACE = " \t\n\r\f\u000b";

    private final String text;
    private final List<String> words;

    private CommandLine(String text, List<String> words) {
        this.text = text;
        this.words = List.copyOf(words);
    }

    /**
     * Splits {@code text}; a blank text gives an empty command.
     *
     * @throws IllegalArgumentException for an unterminated quote ({@code String '...': missing
     *         terminating '}) or a trailing backslash ({@code Missing escape char at end: '...'})
     */
    public static CommandLine parse(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        int n = text.length();
        int i = 0;
        boolean plainLast = false;
        while (i < n) {
            plainLast = false;
            char c = text.charAt(i);
            if (quote == 0 && WHITE_SPACE.indexOf(c) >= 0) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("Missing escape char at end: '" + text + "'");
                }
                i = unescape(text, i + 1, word);
            } else if (quote != 0 && c == quote) {
                quote = 0;
                i++;
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
                i++;
            } else {
                word.append(c);
                plainLast = true;
                i++;
            }
        }
        // keepalived 2.2.7 only notices an open quote when plain text follows its last escape or
        // quote: 'c\' (the string ends inside the quote) is the word c', abc' is abc
        if (quote != 0 && plainLast) {
            throw new IllegalArgumentException("String '" + text + "': missing terminating " + quote);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return new CommandLine(text, words);
    }

    /** Decodes the escape whose first character is at {@code i} into {@code out}; returns the index after it. */
    private static int unescape(String s, int i, StringBuilder out) {
        char e = s.charAt(i);
        switch (e) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'E' -> out.append('\u001b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 'x' -> {
                int j = i + 1;
                int value = 0;
                while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) {
                    value = (value * 16 + Character.digit(s.charAt(j), 16)) & 0xff;
                    j++;
                }
                if (j == i + 1) {
                    out.append('x'); // no digit: just an escaped x
                    return i + 1;
                }
                out.append((char) value);
                return j;
            }
            case 'c' -> {
                if (i + 1 < s.length()) {
                    out.append((char) (Character.toUpperCase(s.charAt(i + 1)) ^ 0x40));
                    return i + 2;
                }
                out.append('c');
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int j = i;
                    int value = 0;
                    while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                        value = value * 8 + (s.charAt(j) - '0');
                        j++;
                    }
                    out.append((char) (value & 0xff));
                    return j;
                }
                out.append(e);
            }
        }
        return i + 1;
    }

    /** The text as configured (before splitting). */
    public String text() {
        return text;
    }

    /** The program followed by its arguments, as split. */
    public List<String> words() {
        return words;
    }

    /** No program at all (a blank command). */
    public boolean isEmpty() {
        return words.isEmpty();
    }

    /** The program as written (first word); only for a command that is not {@link #isEmpty() empty}. */
    public String program() {
        return words.get(0);
    }

    /** The argument vector with {@code extra} appended as separate arguments (the generic notify's four). */
    public List<String> argv(List<String> extra) {
        List<String> argv = new ArrayList<>(words.size() + extra.size());
        argv.addAll(words);
        argv.addAll(extra);
        return List.copyOf(argv);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandLine c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
