package org.vigil.notify.script.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A notify command as written in keepalived.conf, split into words the way keepalived splits it:
 * on blanks, with '...' and "..." grouping and a backslash escaping the next character. keepalived
 * execs the words directly; Vigil does too, and only hands the text to /bin/sh when it contains a
 * shell operator outside quotes (a pipe, a redirection, a variable, a command list), which would
 * otherwise be passed to the script as literal words.
 */
final class CommandLine {

    /** Characters that only mean something to a shell. */
    private static final String SHELL_OPERATORS = "|&;<>$`*?(){}~";

    private final String text;
    private final List<String> words;
    private final boolean needsShell;

    private CommandLine(String text, List<String> words, boolean needsShell) {
        this.text = text;
        this.words = List.copyOf(words);
        this.needsShell = needsShell;
    }

    static CommandLine parse(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean shell = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    if (SHELL_OPERATORS.indexOf(c) >= 0) {
                        shell = true;
                    }
                    word.append(c);
                }
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return new CommandLine(text, words, shell);
    }

    List<String> words() {
        return words;
    }

    boolean needsShell() {
        return needsShell;
    }

    boolean isEmpty() {
        return words.isEmpty();
    }

    /** The argv to exec, with {@code extra} appended as separate arguments (generic notify). */
    List<String> argv(List<String> extra) {
        List<String> argv = new ArrayList<>();
        if (needsShell) {
            StringBuilder script = new StringBuilder(text);
            for (String e : extra) {
                script.append(' ').append(shellQuote(e));
            }
            argv.add("/bin/sh");
            argv.add("-c");
            argv.add(script.toString());
        } else {
            argv.addAll(words);
            argv.addAll(extra);
        }
        return argv;
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return text;
    }
}
