package org.vigil.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.vigil.config.ConfigCheck;
import org.vigil.config.ConfigurationRecord;
import org.vigil.config.Configurations;
import org.vigil.config.Diagnostic;
import org.vigil.config.KeepalivedConfig;
import org.vigil.config.ParseResult;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;

/**
 * Fuzz target for the keepalived.conf parser, through what {@code bin/vigil -t} runs
 * ({@link ConfigCheck#report}: {@link KeepalivedConfig#parse}, then {@link ConfigCheck#validate})
 * and what the ConfigurationAdmin bridge runs next ({@link Configurations#toConfigurations}).
 *
 * <h2>Input layout</h2>
 * The input is {@code /etc/keepalived/keepalived.conf}, byte for byte, up to the first line that
 * reads {@code %%file NAME}; the bytes after such a line, up to the next one, are the file
 * {@code NAME} (relative to {@code /etc/keepalived}, or absolute), so one input can carry the
 * files its {@code include}s name. Every file lives in an in-memory file system (Jimfs, Unix
 * semantics) made empty before each input: an include, a glob or a {@code ..} never reaches the
 * real file system. Config id {@code lb1}; the interfaces that exist are eth0, eth1, bond0 and lo.
 *
 * <h2>Invariants</h2>
 * No exception and no "internal error" diagnostic (the parser's catch-all for one); every
 * diagnostic names a file that was read (or the main file) and a line within it (0: the whole
 * file); diagnostics come in reading order; without errors, the configurations are made without
 * an exception and hold only the documented value types; every input is done within
 * {@link #TIME_LIMIT_MS} of CPU time (the campaign also runs libFuzzer with {@code -timeout}).
 */
public final class ConfigFuzzer {
    static final String FILE_MARKER = "%%file ";
    static final String CONFIG_ID = "lb1";
    static final int MAX_FILES = 8;
    /**
     * A keepalived.conf of a few hundred lines parses in milliseconds; far above that is a hang.
     * Counted in this thread's CPU time, so that a loaded machine or a GC pause is not a finding.
     */
    static final long TIME_LIMIT_MS = 3_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Set<String> INTERFACES = Set.of("eth0", "eth1", "bond0", "lo");
    static final Predicate<String> INTERFACE_EXISTS = INTERFACES::contains;

    private static final FileSystem FS = Jimfs.newFileSystem(Configuration.unix().toBuilder()
            .setWorkingDirectory("/etc/keepalived").build());
    static final Path DIR = FS.getPath("/etc/keepalived");
    static final Path MAIN = DIR.resolve("keepalived.conf");

    private ConfigFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        Map<String, byte[]> files = write(input);
        long start = cpuNanos();
        ParseResult result = KeepalivedConfig.parse(MAIN, CONFIG_ID);
        List<Diagnostic> all = new ArrayList<>(result.diagnostics());
        List<Diagnostic> host = ConfigCheck.validate(result.model(), INTERFACE_EXISTS);
        all.addAll(host);
        checkDiagnostics(result.diagnostics(), files);
        checkNoInternalError(host);
        if (!result.hasErrors() && host.stream().noneMatch(Diagnostic::isError)) {
            checkRecords(Configurations.toConfigurations(result.model()));
        }
        long millis = (cpuNanos() - start) / 1_000_000;
        if (millis > TIME_LIMIT_MS) {
            fail("parsing took " + millis + " ms");
        }
    }

    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Empties the file system and writes the files of {@code input}; returns them by display path. */
    static Map<String, byte[]> write(byte[] input) {
        clear();
        byte[] marker = FILE_MARKER.getBytes(StandardCharsets.US_ASCII);
        List<Integer> markers = new ArrayList<>();
        for (int i = 0; i < input.length && markers.size() < MAX_FILES; i++) {
            if ((i == 0 || input[i - 1] == '\n') && startsWith(input, i, marker)) {
                markers.add(i);
            }
        }
        Map<String, byte[]> files = new HashMap<>();
        // the main file: up to the first marker, without the line break before it
        int mainEnd = markers.isEmpty() ? input.length : Math.max(0, markers.get(0) - 1);
        put(files, MAIN, java.util.Arrays.copyOfRange(input, 0, mainEnd));
        for (int k = 0; k < markers.size(); k++) {
            int nameStart = markers.get(k) + marker.length;
            int nameEnd = nameStart;
            while (nameEnd < input.length && input[nameEnd] != '\n') {
                nameEnd++;
            }
            int contentStart = Math.min(input.length, nameEnd + 1);
            int contentEnd = k + 1 < markers.size() ? markers.get(k + 1) - 1 : input.length;
            Path path = path(new String(input, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1));
            if (path != null) {
                put(files, path, java.util.Arrays.copyOfRange(input, contentStart, Math.max(contentStart, contentEnd)));
            }
        }
        return files;
    }

    private static void put(Map<String, byte[]> files, Path path, byte[] content) {
        if (Files.exists(path)) {
            return; // the first file of a name wins
        }
        try {
            Files.createDirectories(path.getParent());
            Files.write(path, content);
            files.put(path.toString(), content);
        } catch (IOException | RuntimeException e) {
            // a name that clashes with a file or directory already there: that file is not there
        }
    }

    /** A file name from a marker line, or null: printable ASCII without NUL, at most 64 characters. */
    private static Path path(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > 64 || n.endsWith("/") || n.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
            return null;
        }
        try {
            Path p = DIR.resolve(n).normalize();
            return p.getParent() == null ? null : p;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void clear() {
        Path root = FS.getPath("/");
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                if (!p.equals(root) && !p.equals(DIR) && !DIR.startsWith(p)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot empty the in-memory file system", e);
        }
    }

    static void checkDiagnostics(List<Diagnostic> diagnostics, Map<String, byte[]> files) {
        checkNoInternalError(diagnostics);
        Map<String, Integer> lastLine = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        String current = null;
        for (Diagnostic d : diagnostics) {
            String file = d.file();
            byte[] content = files.get(file);
            if (content == null && !file.equals(MAIN.toString())) {
                fail("diagnostic for a file that was not read: " + d);
            }
            int count = content == null ? 0 : lines.computeIfAbsent(file, f -> lineCount(content));
            if (d.line() < 0 || d.line() > count) {
                fail("line " + d.line() + " outside " + file + " (" + count + " lines): " + d);
            }
            if (d.message() == null || d.message().isBlank()) {
                fail("empty message: " + d);
            }
            if (!file.equals(current)) {
                if (lastLine.containsKey(file)) {
                    fail("diagnostics of " + file + " are not together: " + diagnostics);
                }
                current = file;
            } else if (lastLine.get(file) > d.line()) {
                fail("diagnostics out of line order: " + diagnostics);
            }
            lastLine.put(file, d.line());
        }
    }

    static void checkNoInternalError(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (d.message().startsWith("internal error")) {
                fail("unexpected exception: " + d);
            }
        }
    }

    /** Lines as the lexer counts them: split at \n (a \r before it belongs to the line break). */
    static int lineCount(byte[] content) {
        int lines = 1;
        for (byte b : content) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** ConfigurationRecord's contract: values are String, Integer, Long, Boolean or String[] (no nulls). */
    static void checkRecords(List<ConfigurationRecord> records) {
        for (ConfigurationRecord r : records) {
            if (r.pid() == null || r.pid().isEmpty()) {
                fail("record without pid: " + r);
            }
            if (r.factory() && r.name() == null) {
                fail("factory record without a name: " + r);
            }
            for (Map.Entry<String, Object> e : r.properties().entrySet()) {
                Object v = e.getValue();
                // ConfigurationAdmin's types the bridge writes (times of virtual servers are Double seconds)
                boolean scalar = v instanceof String || v instanceof Integer || v instanceof Long
                        || v instanceof Boolean || v instanceof Double d && Double.isFinite(d);
                if (e.getKey().isEmpty() || !(scalar || v instanceof String[] a && allSet(a))) {
                    fail("property '" + e.getKey() + "' of " + r.pid() + " is "
                            + (v == null ? "null" : v.getClass().getName()));
                }
            }
        }
    }

    private static boolean allSet(String[] a) {
        for (String s : a) {
            if (s == null) {
                return false;
            }
        }
        return true;
    }

    private static void fail(String what) {
        throw new InvariantViolation(what);
    }

    private static boolean startsWith(byte[] input, int at, byte[] prefix) {
        if (input.length - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (input[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
