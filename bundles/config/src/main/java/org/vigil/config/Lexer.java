package org.vigil.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns keepalived.conf and its includes into one stream of tokens. Handles, in keepalived's
 * order: comments ({@code #} and {@code !} outside quotes, anywhere on a line), conditional lines
 * ({@code @id} / {@code @^id}), parameter definitions and substitution ({@code $NAME=value},
 * {@code $NAME}, {@code ${NAME}}, multi-line definitions ending in {@code \}), sequence and list
 * blocks ({@code ~SEQ(var, start, step, end)}, {@code ~SEQx}, {@code ~LST}), include (with glob
 * patterns, relative to the including file), quoting and escapes, braces as separate tokens.
 */
final class Lexer {

    private static final Set<String> INCLUDE_KEYWORDS = Set.of("include", "includer", "includem", "includew",
            "includeb", "includea");
    private static final Pattern DEFINITION = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);
    /** ${_RANDOM [MIN [MAX]]}, ${NAME}, $NAME followed by whitespace or the end. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{_RANDOM((?:\\s+\\d{1,9}){0,2})\\s*\\}"
            + "|\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}|\\$([A-Za-z_][A-Za-z0-9_]*)(?=\\s|$)");
    /** Guards against definitions that refer to themselves. */
    private static final int MAX_EXPANSION_DEPTH = 32;
    /**
     * Bounds all the text parameter substitution produces for one configuration: definitions
     * that refer to each other ({@code $A=$A $A}) otherwise double it at every level.
     */
    static final int MAX_SUBSTITUTED_CHARS = 1 << 20;
    /** Values of one ~SEQ (keepalived's own example makes 65,024 instances from three). */
    static final int MAX_SEQUENCE_VALUES = 1 << 16;
    /** Lines all ~SEQ and ~LST blocks of one configuration may produce. */
    static final int MAX_SEQUENCE_LINES = 1 << 20;

    private final String configId;
    private final List<Diagnostic> diagnostics;
    private final List<Token> tokens = new ArrayList<>();
    private final Map<String, String> parameters = new HashMap<>();
    private final Deque<Path> reading = new ArrayDeque<>();
    private Path currentDirectory;
    private int logicalLine;
    private long substitutedChars;
    private int sequenceLines;
    private boolean substitutionExhausted;

    Lexer(String configId, List<Diagnostic> diagnostics) {
        this.configId = configId;
        this.diagnostics = diagnostics;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** Reads {@code file}; {@code includedFrom} is null for the main file. */
    void read(Path file, Origin includedFrom) {
        String display = file.toString();
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            Origin at = includedFrom != null ? includedFrom : new Origin(display, 0);
            diagnostics.add(Diagnostic.error(at, includedFrom != null
                    ? "Config files missing '" + display + "'."
                    : "cannot open configuration file '" + display + "': " + describe(e)));
            return;
        }
        if (reading.contains(real)) {
            diagnostics.add(Diagnostic.error(includedFrom, "include loop: '" + display + "' is already being read"));
            return;
        }
        String text;
        try {
            text = decode(Files.readAllBytes(real), display);
        } catch (IOException e) {
            Origin at = includedFrom != null ? includedFrom : new Origin(display, 0);
            diagnostics.add(Diagnostic.error(at, "cannot read '" + display + "': " + describe(e)));
            return;
        }
        Path savedDirectory = currentDirectory;
        reading.push(real);
        currentDirectory = file.toAbsolutePath().getParent();
        try {
            readLines(text, display);
        } finally {
            reading.pop();
            currentDirectory = savedDirectory;
        }
    }

    private String decode(byte[] bytes, String display) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, display, 0,
                    "file is not valid UTF-8; invalid bytes replaced"));
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private void readLines(String text, String display) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Origin origin = new Origin(display, i + 1);
            String line = conditional(stripComment(lines[i]));
            if (line == null) {
                continue;
            }
            Matcher definition = DEFINITION.matcher(line.strip());
            if (definition.matches() && definition.group(2).endsWith("\\")) {
                // Multi-line definition: every line but the last ends with a backslash.
                StringBuilder value = new StringBuilder(chopBackslash(definition.group(2)));
                while (i + 1 < lines.length) {
                    String next = stripComment(lines[++i]);
                    boolean more = next.strip().endsWith("\\");
                    value.append('\n').append(more ? chopBackslash(next.strip()) : next);
                    if (!more) {
                        break;
                    }
                }
                parameters.put(definition.group(1), value.toString().strip());
                continue;
            }
            processLine(line, origin, 0);
        }
    }

    private static String chopBackslash(String s) {
        return s.substring(0, s.length() - 1);
    }

    private void processLine(String text, Origin origin, int depth) {
        String line = conditional(text);
        if (line == null || line.isBlank()) {
            return;
        }
        String stripped = line.strip();
        Matcher definition = DEFINITION.matcher(stripped);
        if (definition.matches()) {
            parameters.put(definition.group(1), definition.group(2).strip());
            return;
        }
        if (stripped.startsWith("~SEQ") || stripped.startsWith("~LST")) {
            sequence(stripped, origin, depth);
            return;
        }
        String expanded = substitute(line, MAX_SUBSTITUTED_CHARS - substitutedChars);
        if (expanded == null) {
            if (!substitutionExhausted) {
                substitutionExhausted = true;
                diagnostics.add(Diagnostic.error(origin, "parameter substitution produces more than "
                        + MAX_SUBSTITUTED_CHARS + " characters - ignoring this and later substituted lines"));
            }
            return;
        }
        if (!expanded.equals(line)) {
            substitutedChars += expanded.length();
            if (depth >= MAX_EXPANSION_DEPTH) {
                diagnostics.add(Diagnostic.error(origin, "parameter substitution nested too deeply"));
                return;
            }
            for (String part : expanded.split("\n")) {
                processLine(part, origin, depth + 1);
            }
            return;
        }
        emit(line, origin);
    }

    /**
     * keepalived's sequence and list blocks: {@code ~SEQ(var, [start,] [step,] end) rest} (and
     * {@code ~SEQx}, hexadecimal values) and {@code ~LST(var, v1, v2, ...)} or
     * {@code ~LST({a, b}, {1, 2}, {3, 4}) rest} process the rest of the line once per value, with
     * the variable(s) defined; several blocks on a line nest. The variable keeps its earlier value
     * afterwards (keepalived.conf(5) says not to rely on it either way).
     */
    private void sequence(String line, Origin origin, int depth) {
        boolean list = line.startsWith("~LST");
        boolean hex = line.startsWith("~SEQx");
        int open = line.indexOf('(');
        int close = open < 0 ? -1 : closing(line, open);
        if (open < 0 || close < 0 || !line.substring(0, open).matches("~SEQx?|~LST")) {
            diagnostics.add(Diagnostic.error(origin, "invalid sequence/list block '" + line + "' - ignoring line"));
            return;
        }
        List<String> args = topLevelSplit(line.substring(open + 1, close));
        String rest = line.substring(close + 1);
        List<List<String>> rows = new ArrayList<>();
        List<String> names;
        if (list) {
            if (args.size() < 2) {
                diagnostics.add(Diagnostic.error(origin, "~LST needs a variable and at least one value - ignoring line"));
                return;
            }
            names = unbrace(args.get(0));
            for (String v : args.subList(1, args.size())) {
                List<String> row = unbrace(v);
                if (row.size() != names.size()) {
                    diagnostics.add(Diagnostic.error(origin, "~LST value " + v + " does not match " + args.get(0)
                            + " - ignoring line"));
                    return;
                }
                rows.add(row);
            }
        } else {
            names = List.of(args.isEmpty() ? "" : args.get(0));
            List<Long> n = new ArrayList<>();
            for (String a : args.subList(Math.min(1, args.size()), args.size())) {
                try {
                    n.add(Long.decode(a));
                } catch (NumberFormatException e) {
                    n = null;
                    break;
                }
            }
            if (n == null || n.isEmpty() || n.size() > 3) {
                diagnostics.add(Diagnostic.error(origin, "invalid ~SEQ specification '" + line.substring(0, close + 1)
                        + "' - ignoring line"));
                return;
            }
            long end = n.get(n.size() - 1);
            long start = n.size() >= 2 ? n.get(0) : end > 0 ? 1 : -1;
            long step = n.size() == 3 ? n.get(1) : end >= start ? 1 : -1;
            if (step == 0 || (step > 0 && start > end) || (step < 0 && start < end)) {
                diagnostics.add(Diagnostic.error(origin, "~SEQ from " + start + " by " + step + " never reaches "
                        + end + " - ignoring line"));
                return;
            }
            for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
                if (rows.size() >= MAX_SEQUENCE_VALUES) {
                    diagnostics.add(Diagnostic.error(origin, "~SEQ produces more than " + MAX_SEQUENCE_VALUES
                            + " values - ignoring line"));
                    return;
                }
                rows.add(List.of(hex ? Long.toHexString(v) : Long.toString(v)));
            }
        }
        for (String name : names) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                diagnostics.add(Diagnostic.error(origin, "invalid variable name '" + name + "' in "
                        + line.substring(0, open) + " - ignoring line"));
                return;
            }
        }
        Map<String, String> saved = new HashMap<>();
        names.forEach(nm -> saved.put(nm, parameters.get(nm)));
        try {
            for (List<String> row : rows) {
                if (++sequenceLines > MAX_SEQUENCE_LINES) {
                    diagnostics.add(Diagnostic.error(origin, "sequence and list blocks produce more than "
                            + MAX_SEQUENCE_LINES + " lines - ignoring the rest"));
                    return;
                }
                for (int i = 0; i < names.size(); i++) {
                    parameters.put(names.get(i), row.get(i));
                }
                processLine(rest, origin, depth + 1);
            }
        } finally {
            saved.forEach((nm, v) -> {
                if (v == null) {
                    parameters.remove(nm);
                } else {
                    parameters.put(nm, v);
                }
            });
        }
    }

    /** Index of the parenthesis closing the one at {@code open}, -1 when none. */
    private static int closing(String s, int open) {
        int level = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                level++;
            } else if (c == ')' && --level == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Splits at commas outside braces, trimming each part. */
    private static List<String> topLevelSplit(String s) {
        List<String> out = new ArrayList<>();
        int level = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                level++;
            } else if (c == '}') {
                level--;
            } else if (c == ',' && level == 0) {
                out.add(s.substring(from, i).strip());
                from = i + 1;
            }
        }
        out.add(s.substring(from).strip());
        return out;
    }

    /** "{a, b}" to [a, b]; "a" to [a]. */
    private static List<String> unbrace(String s) {
        String t = s.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            return topLevelSplit(t.substring(1, t.length() - 1));
        }
        return List.of(t);
    }

    private void emit(String line, Origin origin) {
        List<String> plain = words(line, origin, false);
        if (plain == null || plain.isEmpty()) {
            return;
        }
        if (INCLUDE_KEYWORDS.contains(plain.get(0))) {
            if (plain.size() != 2) {
                diagnostics.add(Diagnostic.error(origin, plain.get(0) + " needs exactly one file name or pattern"));
                return;
            }
            include(plain.get(1), origin);
            return;
        }
        logicalLine++;
        List<String> split = words(line, origin, true);
        for (String word : split) {
            Token.Kind kind = word == OPEN ? Token.Kind.OPEN : word == CLOSE ? Token.Kind.CLOSE : Token.Kind.WORD;
            tokens.add(new Token(kind, word, origin, logicalLine));
        }
    }

    // Identity markers, so that a quoted "{" stays a word.
    private static final String OPEN = new String("{");
    private static final String CLOSE = new String("}");

    /**
     * Splits a line into words. Quotes (" or ') may start or end inside a word and keep whitespace;
     * inside quotes the shell-like escapes of keepalived.conf(5) apply. With {@code braces},
     * unquoted braces are words of their own. Null after an unterminated quote.
     */
    private List<String> words(String line, Origin origin, boolean braces) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
                i++;
            } else if (braces && (c == '{' || c == '}')) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
                out.add(c == '{' ? OPEN : CLOSE);
                i++;
            } else if (c == '"' || c == '\'') {
                if (word == null) {
                    word = new StringBuilder();
                }
                int end = readQuoted(line, i + 1, c, word);
                if (end < 0) {
                    diagnostics.add(Diagnostic.error(origin, "unterminated quoted string"));
                    return null;
                }
                i = end + 1;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    /** Appends the quoted text from {@code start} to {@code out}; returns the closing quote's index or -1. */
    private static int readQuoted(String line, int start, char quote, StringBuilder out) {
        int i = start;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == quote) {
                return i;
            }
            if (c == '\\' && i + 1 < n) {
                i = escape(line, i + 1, out);
                continue;
            }
            out.append(c);
            i++;
        }
        return -1;
    }

    /** Decodes the escape whose letter is at {@code i}; returns the index after it. */
    private static int escape(String line, int i, StringBuilder out) {
        char e = line.charAt(i);
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
                while (j < line.length() && Character.digit(line.charAt(j), 16) >= 0) {
                    // the low byte of however many digits, without overflowing an int
                    value = (value * 16 + Character.digit(line.charAt(j), 16)) & 0xff;
                    j++;
                }
                if (j == i + 1) {
                    out.append('x');
                    return i + 1;
                }
                out.append((char) value);
                return j;
            }
            case 'c' -> {
                if (i + 1 < line.length()) {
                    out.append((char) (Character.toUpperCase(line.charAt(i + 1)) ^ 0x40));
                    return i + 2;
                }
                out.append('c');
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int j = i;
                    while (j < line.length() && j < i + 3 && line.charAt(j) >= '0' && line.charAt(j) <= '7') {
                        j++;
                    }
                    out.append((char) Integer.parseInt(line.substring(i, j), 8));
                    return j;
                }
                out.append(e);
            }
        }
        return i + 1;
    }

    /** Cuts the line at the first # or ! outside quotes. */
    static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' || c == '!') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /**
     * Applies a leading {@code @id} or {@code @^id}: the rest of the line when it applies to this
     * config id, null when the line is to be ignored.
     */
    private String conditional(String line) {
        String stripped = line.stripLeading();
        if (!stripped.startsWith("@")) {
            return line;
        }
        boolean negated = stripped.startsWith("@^");
        int start = negated ? 2 : 1;
        int end = start;
        while (end < stripped.length() && !Character.isWhitespace(stripped.charAt(end))) {
            end++;
        }
        boolean matches = stripped.substring(start, end).equals(configId);
        return matches != negated ? stripped.substring(end) : null;
    }

    /** The line with its parameters substituted, or null when that exceeds {@code budget} characters. */
    private String substitute(String line, long budget) {
        Matcher m = REFERENCE.matcher(line);
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        while (m.find()) {
            String value;
            if (m.group(1) != null) {
                value = random(m.group(1));
            } else {
                value = parameter(m.group(2) != null ? m.group(2) : m.group(3));
            }
            if (value == null) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
            } else {
                if (substitutionExhausted || out.length() + (long) value.length() > budget) {
                    return null;
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
                changed = true;
            }
        }
        m.appendTail(out);
        return changed ? out.toString() : line;
    }

    /** keepalived's ${_RANDOM [MIN [MAX]]}: an integer in [MIN, MAX], defaults 0 and 32767. */
    private static String random(String bounds) {
        String[] b = bounds.strip().isEmpty() ? new String[0] : bounds.strip().split("\\s+");
        long min = b.length > 0 ? Long.parseLong(b[0]) : 0;
        long max = b.length > 1 ? Long.parseLong(b[1]) : 32767;
        if (max < min) {
            max = min;
        }
        return Long.toString(min + java.util.concurrent.ThreadLocalRandom.current().nextLong(max - min + 1));
    }

    private String parameter(String name) {
        String value = parameters.get(name);
        if (value != null) {
            return value;
        }
        return switch (name) {
            case "_PWD" -> currentDirectory == null ? null : currentDirectory.toString();
            case "_INSTANCE" -> configId;
            case "_HASH" -> "#";
            case "_BANG" -> "!";
            default -> null;
        };
    }

    private void include(String pattern, Origin origin) {
        Path target;
        try {
            target = (currentDirectory == null ? Path.of(pattern) : currentDirectory.resolve(pattern)).normalize();
        } catch (InvalidPathException e) {
            // a NUL character, say
            diagnostics.add(Diagnostic.error(origin, "invalid include file name '" + pattern.replace("\0", "\\0")
                    + "': " + e.getReason()));
            return;
        }
        if (!hasGlob(pattern)) {
            read(target, origin);
            return;
        }
        List<Path> matches = glob(target);
        if (matches.isEmpty()) {
            diagnostics.add(Diagnostic.warning(origin, "no file matches include pattern '" + pattern + "'"));
        }
        for (Path match : matches) {
            read(match, origin);
        }
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Expands an absolute glob path one name at a time, sorted like glob(3). */
    private static List<Path> glob(Path pattern) {
        List<Path> current = new ArrayList<>();
        current.add(pattern.getRoot() == null ? Path.of("") : pattern.getRoot());
        for (Path name : pattern) {
            String element = name.toString();
            List<Path> next = new ArrayList<>();
            for (Path dir : current) {
                if (!hasGlob(element)) {
                    Path candidate = dir.resolve(element);
                    if (Files.exists(candidate)) {
                        next.add(candidate);
                    }
                    continue;
                }
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        String file = entry.getFileName().toString();
                        // glob(3) does not let wildcards match a leading dot.
                        if (GlobName.matches(element, file) && (!file.startsWith(".") || element.startsWith("."))) {
                            next.add(entry);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // An unreadable directory matches nothing, as with glob(3).
                }
            }
            next.sort(null);
            current = next;
        }
        return current.stream().filter(Files::isRegularFile).toList();
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return switch (type) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() == null ? type : e.getMessage();
        };
    }
}
