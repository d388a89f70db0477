package org.vigil.launcher;

import java.io.PrintStream;
import java.nio.file.Path;

import org.vigil.config.ConfigCheck;
import org.vigil.config.KeepalivedConfig;

/**
 * {@code vigil -t}: parses and validates a keepalived.conf the way the daemon would, without
 * starting anything, and prints every finding as {@code file:line: message} on stderr, silent
 * when all is well, as keepalived -t is.
 */
final class ConfigTest {
    /** keepalived -t's status for a configuration with errors (measured on keepalived 2.2.7). */
    static final int EXIT_INVALID = ConfigCheck.EXIT_CONFIG_ERROR;

    private ConfigTest() {
    }

    static int run(Path file, PrintStream err) {
        return run(file, KeepalivedConfig.defaultConfigId(), err);
    }

    static int run(Path file, String configId, PrintStream err) {
        return ConfigCheck.report(file, configId, ConfigCheck.SYSTEM_INTERFACES, err);
    }
}
