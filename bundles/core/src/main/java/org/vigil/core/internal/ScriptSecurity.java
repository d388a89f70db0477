package org.vigil.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who a script runs as, and keepalived's enable_script_security checks. The user is the
 * vrrp_script's {@code user}, else global_defs {@code script_user}, else keepalived's default:
 * {@code keepalived_script} if that account exists, else root. Java cannot change its uid, so a
 * different user is applied with util-linux {@code setpriv --reuid --regid --init-groups}; that
 * needs Vigil to run as root. When the user cannot be had (unknown, or Vigil is not root), the
 * script is disabled under enable_script_security and otherwise runs as Vigil's own user, with a
 * warning. A script that runs as root is insecure when the file or any directory above it is
 * not owned by root, or writable by a non-root group or by anyone (sticky directories such as
 * /tmp excepted: others cannot replace what is in them); under enable_script_security such a
 * script is disabled. Users come from /etc/passwd (no NSS lookups).
 */
final class ScriptSecurity {
    static final String DEFAULT_USER = "keepalived_script";
    static final String SETPRIV = "/usr/bin/setpriv";

    /** The host as far as these checks need it; tests replace it. */
    interface Host {
        int currentUid();

        /** uid and gid of a user name (or numeric uid), empty if unknown. */
        Optional<int[]> user(String name);

        /** gid of a group name (or number), empty if unknown. */
        Optional<Integer> group(String name);

        static Host system() {
            return new SystemHost();
        }
    }

    /** What to run, or null when the script is disabled. */
    record Decision(List<String> argv, String runAs) {
    }

    private ScriptSecurity() {
    }

    /**
     * Decides how {@code spec} runs, logging as keepalived does; null means disabled.
     *
     * @param scriptUser global_defs script_user, may be null
     */
    static Decision decide(ScriptSpec spec, boolean securityEnabled, String scriptUser, Host host,
            Consumer<String> log) {
        List<String> argv = CommandLine.argv(spec.command());
        if (argv.isEmpty()) {
            log.accept("VRRP_Script(" + spec.name() + ") has an empty script - disabling");
            return null;
        }
        String configured = spec.user() != null ? spec.user() : scriptUser;
        boolean root = host.currentUid() == 0;
        int[] target = null;
        String runAs = null;
        if (configured != null) {
            String[] words = configured.trim().split("\\s+");
            Optional<int[]> user = host.user(words[0]);
            Optional<Integer> group = words.length > 1 ? host.group(words[1]) : Optional.empty();
            if (user.isEmpty() || (words.length > 1 && group.isEmpty())) {
                log.accept(user.isEmpty() ? "Unable to find user '" + words[0] + "' for script " + spec.name()
                        : "Unable to find group '" + words[1] + "' for script " + spec.name());
                if (securityEnabled) {
                    log.accept("VRRP_Script(" + spec.name() + ") disabled: its user is not available");
                    return null;
                }
            } else {
                target = new int[] {user.get()[0], group.orElse(user.get()[1])};
                runAs = configured.trim();
            }
        } else if (root) {
            Optional<int[]> dflt = host.user(DEFAULT_USER);
            if (dflt.isPresent()) {
                target = dflt.get();
                runAs = DEFAULT_USER;
            } else {
                log.accept("WARNING - default user '" + DEFAULT_USER + "' for script execution does not exist - please create.");
            }
        }
        if (target != null && target[0] != host.currentUid() && !root) {
            log.accept("Cannot run script " + spec.name() + " as '" + runAs + "': Vigil is not running as root");
            if (securityEnabled) {
                log.accept("VRRP_Script(" + spec.name() + ") disabled: its user is not available");
                return null;
            }
            target = null;
            runAs = null;
        }
        int effectiveUid = target != null ? target[0] : host.currentUid();
        if (effectiveUid == 0) {
            for (Path file : filesToCheck(argv)) {
                if (!secure(file)) {
                    log.accept("Unsafe permissions found for script '" + file + "'" + (securityEnabled ? " - disabling." : "."));
                    if (securityEnabled) {
                        return null;
                    }
                    log.accept("SECURITY VIOLATION - scripts are being executed but script_security not enabled - there are insecure scripts.");
                }
            }
        }
        if (target == null || target[0] == host.currentUid()) {
            return new Decision(argv, null);
        }
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV, "--reuid=" + target[0], "--regid=" + target[1],
                "--init-groups", "--"));
        wrapped.addAll(argv);
        return new Decision(List.copyOf(wrapped), runAs);
    }

    /** The program (resolved on PATH), and for a shell command the shell and its first word if absolute. */
    private static List<Path> filesToCheck(List<String> argv) {
        List<Path> out = new ArrayList<>();
        Path program = resolve(argv.get(0));
        if (program != null) {
            out.add(program);
        }
        if (argv.get(0).equals(CommandLine.SHELL) && argv.size() == 3 && argv.get(1).equals("-c")) {
            List<String> words = CommandLine.split(argv.get(2));
            if (!words.isEmpty() && words.get(0).startsWith("/")) {
                out.add(Path.of(words.get(0)));
            }
        }
        return out;
    }

    private static Path resolve(String program) {
        if (program.contains("/")) {
            return Path.of(program);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The file (symlinks followed) and every directory above it: owned by root, not writable by others. */
    static boolean secure(Path file) {
        try {
            Path real = file.toRealPath();
            for (Path p = real; p != null; p = p.getParent()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                int uid = (Integer) a.get("uid");
                int gid = (Integer) a.get("gid");
                int mode = (Integer) a.get("mode");
                boolean sticky = (mode & 01000) != 0 && Files.isDirectory(p);
                boolean groupWritable = (mode & 020) != 0 && gid != 0;
                boolean worldWritable = (mode & 02) != 0;
                if (uid != 0 || ((groupWritable || worldWritable) && !sticky)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static final class SystemHost implements Host {
        @Override
        public int currentUid() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Uid:")) {
                        return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: treat as an ordinary user
            }
            return -1;
        }

        @Override
        public Optional<int[]> user(String name) {
            for (String[] f : entries(Path.of("/etc/passwd"))) {
                if (f.length > 3 && (f[0].equals(name) || f[2].equals(name))) {
                    return Optional.of(new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])});
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<Integer> group(String name) {
            for (String[] f : entries(Path.of("/etc/group"))) {
                if (f.length > 2 && (f[0].equals(name) || f[2].equals(name))) {
                    return Optional.of(Integer.parseInt(f[2]));
                }
            }
            return Optional.empty();
        }

        private static List<String[]> entries(Path file) {
            List<String[]> out = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        out.add(line.split(":", -1));
                    }
                }
            } catch (IOException e) {
                // no such database: nobody is known
            }
            return out;
        }
    }
}
