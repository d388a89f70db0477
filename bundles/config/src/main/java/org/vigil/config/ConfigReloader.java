package org.vigil.config;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Re-reads keepalived.conf and applies it (the shell's {@code vigil:reload}, SIGHUP in keepalived).
 * With any ERROR nothing is applied and the running configuration stays.
 */
@ProviderType
public interface ConfigReloader {

    /** Parses and applies the file; returns every diagnostic, errors and warnings. */
    List<Diagnostic> reload();

    /** The file that {@link #reload()} reads. */
    Path configFile();

    /**
     * Reloads and words the verdict, the same for every operator's way in ({@code vigil:reload},
     * {@code bin/vigil ctl}, JMX): each diagnostic as {@code file:line: message}, then
     * "FILE: applied". With an error nothing is applied and IllegalArgumentException carries the
     * lines and "FILE: not applied, the running configuration stays" (ctl's exit status 1).
     */
    default String reloadVerdict() {
        List<Diagnostic> diagnostics = reload();
        StringBuilder lines = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            lines.append(d).append('\n');
        }
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
            throw new IllegalArgumentException(lines + configFile().toString()
                    + ": not applied, the running configuration stays");
        }
        return lines + configFile().toString() + ": applied";
    }
}
