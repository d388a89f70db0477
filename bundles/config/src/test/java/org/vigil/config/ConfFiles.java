package org.vigil.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes test configurations and renders diagnostics the way users see them. */
final class ConfFiles {
    private ConfFiles() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::toString).toList();
    }

    /** A minimal valid instance body, to be wrapped by a test. */
    static String instance(String name, String body) {
        return "vrrp_instance " + name + " {\n" + body + "}\n";
    }
}
