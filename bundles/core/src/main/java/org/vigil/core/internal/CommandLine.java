package org.vigil.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How a configured script command becomes a process's arguments. keepalived splits the command
 * itself and execs it without a shell: words are separated by blanks, single or double quotes
 * keep blanks inside a word, and a backslash takes the next character literally. Vigil does the
 * same, with one rule keepalived leaves to the user: when the command contains a shell
 * metacharacter outside quotes ({@code | & ; < > ( ) $ ` * ? [ ] ~ #} or a newline), it is
 * meant for a shell, so it runs as {@code /bin/sh -c <command>}. Everything else is exec'd
 * directly, so a check never pays for a shell it does not need.
 */
final class CommandLine {
    static final String SHELL = "/bin/sh";
    private static final String METACHARACTERS = "|&;<>()$`*?[]~#\n";

    private CommandLine() {
    }

    /** The argument vector, possibly {@code /bin/sh -c command}; empty for a blank command. */
    static List<String> argv(String command) {
        if (needsShell(command)) {
            return List.of(SHELL, "-c", command);
        }
        return split(command);
    }

    /** Whether an unquoted, unescaped shell metacharacter occurs. */
    static boolean needsShell(String command) {
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
            } else if (c == '\\') {
                i++;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (METACHARACTERS.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** keepalived's word splitting: blanks separate, quotes group, backslash escapes. */
    static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < command.length()) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '\\' && i + 1 < command.length()) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
