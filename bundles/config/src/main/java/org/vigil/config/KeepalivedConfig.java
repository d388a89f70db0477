package org.vigil.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Entry point: reads a keepalived.conf (and its includes) into a {@link KeepalivedModel}. Never
 * throws: unreadable files, syntax errors and bad values all come back as diagnostics.
 */
public final class KeepalivedConfig {

    /** Where keepalived (and Vigil without -f) looks for its configuration. */
    public static final Path DEFAULT_PATH = Path.of("/etc/keepalived/keepalived.conf");

    private KeepalivedConfig() {
    }

    /** Parses with keepalived's default config id, the first part of the host name. */
    public static ParseResult parse(Path file) {
        return parse(file, defaultConfigId());
    }

    /**
     * Parses with an explicit config id (keepalived's {@code -i}), which selects the
     * {@code @id} conditional lines; null selects only the {@code @^id} lines.
     */
    public static ParseResult parse(Path file, String configId) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        KeepalivedModel model = KeepalivedModel.EMPTY;
        try {
            Lexer lexer = new Lexer(configId, diagnostics);
            lexer.read(file, null);
            List<ConfigNode> nodes = new TreeBuilder(lexer.tokens(), diagnostics).build();
            model = new ModelBuilder(diagnostics).build(nodes);
            model = new Resolver(diagnostics).resolve(model);
        } catch (RuntimeException e) {
            diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, String.valueOf(file), 0,
                    "internal error while reading the configuration: " + e));
        }
        return new ParseResult(model, sorted(diagnostics));
    }

    /** Diagnostics in reading order: by file in order of first appearance, then by line. */
    static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<String> files = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            if (!files.contains(d.file())) {
                files.add(d.file());
            }
        }
        List<Diagnostic> out = new ArrayList<>(diagnostics);
        out.sort(Comparator.comparingInt((Diagnostic d) -> files.indexOf(d.file())).thenComparingInt(Diagnostic::line));
        return out;
    }

    /** keepalived's default config id: the host name up to the first dot, or null if unknown. */
    public static String defaultConfigId() {
        String host = null;
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                host = Files.readString(proc, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException | RuntimeException e) {
            host = null;
        }
        if (host == null || host.isEmpty()) {
            host = System.getenv("HOSTNAME");
        }
        if (host == null || host.isEmpty()) {
            return null;
        }
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
