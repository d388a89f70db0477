package org.vigil.launcher;

import java.io.PrintStream;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;

import org.vigil.config.ConfigCheck;
import org.vigil.config.Diagnostic;

/**
 * {@code vigil -t}: parses and validates a keepalived.conf the way the daemon would, without
 * starting anything, and prints every finding as {@code file:line: message}.
 */
final class ConfigTest {
    /** keepalived -t: 3 = the configuration cannot run. */
    static final int EXIT_INVALID = 3;

    private ConfigTest() {
    }

    static int run(Path file, PrintStream out, PrintStream err) {
        List<Diagnostic> findings = ConfigCheck.check(file, ConfigTest::interfaceExists);
        long errors = 0;
        for (Diagnostic d : findings) {
            boolean error = d.severity() == Diagnostic.Severity.ERROR;
            errors += error ? 1 : 0;
            err.println(d.file() + ":" + d.line() + ": " + (error ? "error: " : "warning: ") + d.message());
        }
        if (errors > 0) {
            err.println(file + ": " + errors + (errors == 1 ? " error" : " errors") + "; the configuration would not be applied");
            return EXIT_INVALID;
        }
        out.println(file + ": configuration OK");
        return 0;
    }

    private static boolean interfaceExists(String name) {
        try {
            return NetworkInterface.getByName(name) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
