package org.vigil.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the installation lives: VIGIL_HOME (set by bin/vigil), else the parent of lib/. */
final class Home {
    private Home() {
    }

    static Path path() {
        String env = System.getenv("VIGIL_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        String prop = System.getProperty("vigil.home");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath();
        }
        try {
            Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (Exception e) {
            return Path.of(".").toAbsolutePath();
        }
    }

    /**
     * The daemon's control socket: the pid file's path with ".ctl" for ".pid" (/run/vigil.ctl), so
     * that daemons with their own pid files (one per network namespace, say) never share one.
     */
    static Path controlSocket(Path pidFile) {
        String name = pidFile.getFileName().toString();
        String ctl = name.endsWith(".pid") ? name.substring(0, name.length() - 4) + ".ctl" : name + ".ctl";
        return pidFile.resolveSibling(ctl);
    }

    /** keepalived uses /run/keepalived.pid; Vigil uses /run/vigil.pid where it may. */
    static Path defaultPidFile(Path home) {
        Path run = Path.of("/run");
        if (Files.isDirectory(run) && Files.isWritable(run)) {
            return run.resolve("vigil.pid");
        }
        return home.resolve("run").resolve("vigil.pid");
    }
}
