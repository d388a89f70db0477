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
}
