package org.vigil.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where the installation lives: VIGIL_HOME (set by bin/vigil), else the parent of lib/. */
final class Home {
    /** A Unix socket address holds 107 bytes of path (sun_path with its NUL); kept below with a margin. */
    static final int MAX_SOCKET_PATH = 100;

    private Home() {
    }

    /**
     * A path from the command line: relative to the caller's folder ({@code vigil.caller.dir}, which
     * bin/vigil sets because it runs the JVM in VIGIL_HOME, where the class path of the CDS archive is
     * valid), else to the JVM's own working folder.
     */
    static Path fromCaller(String arg) {
        Path p = Path.of(arg);
        String caller = System.getProperty("vigil.caller.dir");
        return p.isAbsolute() || caller == null || caller.isBlank() ? p : Path.of(caller).resolve(p);
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
        Path beside = pidFile.resolveSibling(ctl);
        if (beside.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return beside;
        }
        // too long for a Unix socket address: a short name in the temp directory, derived from the
        // pid file's path so that ctl finds it too (ctl checks the owner there)
        return Path.of(System.getProperty("java.io.tmpdir"), "vigil-" + shortHash(beside.toAbsolutePath().toString()) + ".ctl");
    }

    /** Whether the control socket is the fallback in the shared temp directory rather than beside the pid file. */
    static boolean inTempDirectory(Path socket) {
        return socket.toAbsolutePath().getParent().equals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath())
                && socket.getFileName().toString().startsWith("vigil-");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where the daemon keeps state between starts (the bundle cache): VIGIL_STATE_DIR when set (empty:
     * none), else systemd's STATE_DIRECTORY (StateDirectory=vigil: /var/lib/vigil), else var/ under
     * the installation. Null when there is none: every start installs bundle/ afresh.
     */
    static Path stateDirectory(Path home) {
        String explicit = System.getenv("VIGIL_STATE_DIR");
        if (explicit != null) {
            return explicit.isBlank() ? null : Path.of(explicit).toAbsolutePath();
        }
        String systemd = System.getenv("STATE_DIRECTORY");
        if (systemd != null && !systemd.isBlank()) {
            // systemd lists one folder per StateDirectory= entry, separated by colons
            return Path.of(systemd.split(":")[0]).toAbsolutePath();
        }
        return home.resolve("var");
    }

    /** Whether the state directory was asked for (VIGIL_STATE_DIR or systemd's), not the default var/. */
    static boolean stateDirectoryExplicit() {
        String systemd = System.getenv("STATE_DIRECTORY");
        return System.getenv("VIGIL_STATE_DIR") != null || (systemd != null && !systemd.isBlank());
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
