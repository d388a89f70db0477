package org.vigil.script;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who a script runs as, and keepalived's checks before it may run (keepalived.conf(5) "SCRIPTS",
 * {@code script_user}, {@code enable_script_security}), with keepalived's log lines.
 *
 * <ol>
 * <li><b>User.</b> The script's own {@link RunAs}, else global_defs {@code script_user},
 * else {@value #DEFAULT_USER} if that account exists, else Vigil's own user (root), except
 * under enable_script_security, where keepalived then refuses the script. A group
 * word starting with {@code :} also sets the user's supplementary groups (keepalived's
 * {@code user :group}); otherwise the process has only its primary group, as in keepalived. A
 * user or group that does not exist disables the script. Java cannot change its own uid, so
 * another user is applied with util-linux {@code setpriv} in front of the command; that needs
 * Vigil to run as root. When it does not, the script runs as Vigil's own user (a warning), or is
 * disabled under enable_script_security.</li>
 * <li><b>Program.</b> A program name without a {@code /} is searched on PATH (keepalived warns:
 * specify the full path); symbolic links are resolved and the resolved file is what runs (so a
 * link swapped later changes nothing). A program that cannot be found, or is not executable by
 * the user that runs it, disables the script.</li>
 * <li><b>Security.</b> A script that runs with uid 0 or gid 0, or a set-uid/set-gid root
 * program, must not be replaceable by anyone but root: the file and every directory above it
 * must be owned by root and not writable by a non-root group or by others (a directory with
 * the sticky bit, such as /tmp, excepted; a file never). Otherwise keepalived's
 * {@code Unsafe permissions found for script '...'}: under enable_script_security the script is
 * disabled, without it it runs and the decision is marked {@link Decision#insecure()}.</li>
 * </ol>
 * Users and groups are read from /etc/passwd and /etc/group (no NSS: no LDAP accounts).
 */
public final class ScriptSecurity {

    /** keepalived's default script user, used when it exists and nothing else is configured. */
    public static final String DEFAULT_USER = "keepalived_script";
    /** util-linux setpriv, which switches user and group and then execs the command. */
    public static final String SETPRIV = "/usr/bin/setpriv";

    /** The host as far as these checks need it; tests can replace the user database. */
    public interface Host {
        /** The effective uid Vigil runs as (-1 when unknown). */
        int currentUid();

        /** A user by name or numeric uid. */
        Optional<Account> user(String nameOrUid);

        /** A group's gid by name or number. */
        Optional<Integer> group(String nameOrGid);

        /** This machine: /proc/self/status, /etc/passwd, /etc/group. */
        static Host system() {
            return SystemHost.INSTANCE;
        }
    }

    /** A user account: its uid and primary gid. */
    public record Account(int uid, int gid) {
    }

    /** Why a script may not run. */
    public enum Refusal {
        /** The command is blank. */
        EMPTY,
        /** Its user or group does not exist. */
        USER,
        /**
         * No user configured, {@value ScriptSecurity#DEFAULT_USER} does not exist, and
         * enable_script_security is on (keepalived then refuses to run scripts as root by default).
         */
        DEFAULT_USER,
        /** Another user is configured but Vigil is not root, and enable_script_security is on. */
        NOT_ROOT,
        /** The program cannot be found or accessed. */
        NOT_FOUND,
        /** The program is not executable by the user that would run it. */
        NOT_EXECUTABLE,
        /** Others could replace what root would run, and enable_script_security is on. */
        INSECURE
    }

    /**
     * The verdict on one script.
     *
     * @param argv what to exec, setpriv included; empty when refused
     * @param runAs the user switched to ("user" or "user group"), null for Vigil's own user
     * @param refusal why it may not run, null when it may
     * @param root it runs with uid or gid 0 (or is a set-id root program), so the ownership rule
     *        applied; without enable_script_security keepalived then logs {@link #securityViolation}
     * @param insecure it may run, but others could replace it (enable_script_security is off)
     */
    public record Decision(List<String> argv, String runAs, Refusal refusal, boolean root, boolean insecure) {
        public Decision {
            argv = List.copyOf(argv);
        }

        public boolean allowed() {
            return refusal == null;
        }

        /** {@link #argv} with {@code extra} appended (the generic notify's four arguments). */
        public List<String> argv(List<String> extra) {
            if (extra.isEmpty()) {
                return argv;
            }
            List<String> out = new ArrayList<>(argv);
            out.addAll(extra);
            return List.copyOf(out);
        }

        static Decision refused(Refusal why) {
            return new Decision(List.of(), null, why, false, false);
        }
    }

    /**
     * keepalived's line when scripts run as root without enable_script_security, with its
     * addition when some of them are insecure.
     */
    public static String securityViolation(boolean insecure) {
        return "SECURITY VIOLATION - scripts are being executed but script_security not enabled."
                + (insecure ? " There are insecure scripts." : "");
    }

    private ScriptSecurity() {
    }

    /**
     * {@link #decide(CommandLine, RunAs, RunAs, boolean, Host, Consumer)} with the users as
     * keepalived's words ("user [[:]group]", {@link RunAs#words}): for a check block's tokens,
     * the one place that holds them as written.
     */
    public static Decision decide(CommandLine command, String user, String scriptUser, boolean securityEnabled,
            Host host, Consumer<String> log) {
        return decide(command, RunAs.words(user), RunAs.words(scriptUser), securityEnabled, host, log);
    }

    /**
     * Decides whether and how {@code command} runs, logging what keepalived logs.
     *
     * @param command the split command
     * @param user the script's own user, null if none
     * @param scriptUser global_defs script_user, null if none
     * @param securityEnabled global_defs enable_script_security
     * @param log receives keepalived's lines
     * @since 0.2.0
     */
    public static Decision decide(CommandLine command, RunAs user, RunAs scriptUser, boolean securityEnabled,
            Host host, Consumer<String> log) {
        if (command.isEmpty()) {
            return Decision.refused(Refusal.EMPTY);
        }
        boolean root = host.currentUid() == 0;
        RunAs configured = user != null ? user : scriptUser;
        Target target = null;
        if (configured != null) {
            target = target(configured, host, log);
            if (target == null) {
                return Decision.refused(Refusal.USER);
            }
        } else if (root) {
            Optional<Account> dflt = host.user(DEFAULT_USER);
            if (dflt.isPresent()) {
                target = new Target(DEFAULT_USER, dflt.get().uid(), dflt.get().gid(), false, false);
            } else {
                log.accept("Script user '" + DEFAULT_USER + "' does not exist");
                if (securityEnabled) {
                    log.accept("Unable to set default user " + DEFAULT_USER + " for script");
                    return Decision.refused(Refusal.DEFAULT_USER);
                }
            }
        }
        if (target != null && !root && (target.uid != host.currentUid() || target.groupGiven)) {
            log.accept("Cannot run script " + command.program() + " as '" + target.name
                    + "': Vigil is not running as root");
            if (securityEnabled) {
                return Decision.refused(Refusal.NOT_ROOT);
            }
            target = null;
        }
        int uid = target != null ? target.uid : host.currentUid();
        int gid = target != null ? target.gid : root ? 0 : -1;

        Path program = program(command.program(), uid, gid, root || target != null, log);
        if (program == null) {
            return Decision.refused(Refusal.NOT_FOUND);
        }
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            log.accept("Script " + program + " cannot be accessed - " + reason(e));
            return Decision.refused(Refusal.NOT_FOUND);
        }
        // keepalived runs the resolved file, under its own name when that name resolves to the same file
        Path run = real;
        Path sameName = real.resolveSibling(program.getFileName());
        if (!sameName.equals(real) && isSameFile(sameName, real)) {
            run = sameName;
        }
        Map<String, Object> attrs = attributes(real, true);
        if (attrs == null) {
            log.accept("Unable to access script `" + run + "` - disabling");
            return Decision.refused(Refusal.NOT_FOUND);
        }
        int mode = (Integer) attrs.get("mode");
        int fileUid = (Integer) attrs.get("uid");
        int fileGid = (Integer) attrs.get("gid");
        boolean executable = uid >= 0 && gid >= 0 ? executable(mode, fileUid, fileGid, uid, gid)
                : Files.isExecutable(real);
        if (!executable) {
            log.accept("WARNING - script '" + run + "' is not executable for uid:gid " + uid + ":" + gid
                    + " - disabling.");
            return Decision.refused(Refusal.NOT_EXECUTABLE);
        }
        boolean setuidRoot = fileUid == 0 && (mode & 0100) != 0 && (mode & 04000) != 0;
        boolean setgidRoot = fileGid == 0 && (mode & 010) != 0 && (mode & 02000) != 0;
        boolean insecure = false;
        boolean asRoot = uid == 0 || gid == 0 || setuidRoot || setgidRoot;
        if (asRoot) {
            insecure = !secure(run) || (!run.equals(real) && !secure(real));
            if (insecure) {
                log.accept("Unsafe permissions found for script '" + run + "'" + (securityEnabled ? " - disabling" : "")
                        + ".");
                if (securityEnabled) {
                    return Decision.refused(Refusal.INSECURE);
                }
            }
        }
        List<String> argv = new ArrayList<>();
        String runAs = null;
        if (target != null && (target.uid != host.currentUid() || target.groupGiven)) {
            argv.addAll(List.of(SETPRIV, "--reuid=" + target.uid, "--regid=" + target.gid,
                    target.supplementary ? "--init-groups" : "--clear-groups", "--"));
            runAs = target.name;
        }
        argv.add(run.toString());
        argv.addAll(command.words().subList(1, command.words().size()));
        return new Decision(argv, runAs, null, asRoot, insecure);
    }

    private record Target(String name, int uid, int gid, boolean groupGiven, boolean supplementary) {
    }

    /** The user and group ids of {@code runAs}; null (logged) when one does not exist. */
    private static Target target(RunAs runAs, Host host, Consumer<String> log) {
        Optional<Account> account = host.user(runAs.user());
        if (account.isEmpty()) {
            log.accept("Script user '" + runAs.user() + "' does not exist");
            return null;
        }
        int gid = account.get().gid();
        boolean groupGiven = false;
        if (runAs.group() != null) {
            Optional<Integer> g = host.group(runAs.group());
            if (g.isEmpty()) {
                log.accept("Script group '" + runAs.group() + "' does not exist");
                return null;
            }
            gid = g.get();
            groupGiven = true;
        }
        return new Target(runAs.toString(), account.get().uid(), gid, groupGiven, runAs.supplementaryGroups());
    }

    /** The program as written, or found on PATH (logged); null when not found. */
    private static Path program(String name, int uid, int gid, boolean byMode, Consumer<String> log) {
        if (name.contains("/")) {
            return Path.of(name);
        }
        boolean denied = false;
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            Map<String, Object> a = attributes(candidate, false);
            if (a == null || !Files.isRegularFile(candidate)) {
                continue;
            }
            boolean x = byMode && uid >= 0 && gid >= 0
                    ? executable((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), uid, gid)
                    : Files.isExecutable(candidate);
            if (x) {
                log.accept("WARNING - script `" + name + "` resolved by path search to `" + candidate
                        + "`. Please specify full path.");
                return candidate;
            }
            denied = true;
        }
        log.accept((denied ? "Permissions failure for script " : "Cannot find script ") + name
                + " in path - disabling");
        return null;
    }

    /** keepalived's rule: root may run anything with an x bit; others by owner, group, then other bits. */
    static boolean executable(int mode, int fileUid, int fileGid, int uid, int gid) {
        if (uid == 0) {
            return (mode & 0111) != 0;
        }
        if (uid == fileUid) {
            return (mode & 0100) != 0;
        }
        return gid == fileGid ? (mode & 010) != 0 : (mode & 01) != 0;
    }

    /**
     * The path itself (a final symbolic link is judged by its own owner) and every directory
     * above it: owned by root, and not writable by a non-root group or by others, unless it is
     * a sticky directory. The path's directories are taken as they are (not re-resolved).
     */
    public static boolean secure(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path p = abs; p != null; p = p.getParent()) {
            Map<String, Object> a = attributes(p, false);
            if (a == null) {
                return false;
            }
            int mode = (Integer) a.get("mode");
            boolean dir = (mode & 0170000) == 0040000;
            boolean regular = (mode & 0170000) == 0100000;
            boolean sticky = (mode & 01000) != 0;
            boolean groupWritable = (mode & 020) != 0 && (Integer) a.get("gid") != 0;
            boolean worldWritable = (mode & 02) != 0;
            if ((Integer) a.get("uid") != 0 || (((dir && !sticky) || regular) && (groupWritable || worldWritable))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> attributes(Path p, boolean follow) {
        try {
            return follow ? Files.readAttributes(p, "unix:uid,gid,mode")
                    : Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** strerror-like text for a failed lookup. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        return String.valueOf(e.getMessage());
    }

    private static final class SystemHost implements Host {
        static final SystemHost INSTANCE = new SystemHost();

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
        public Optional<Account> user(String name) {
            for (String[] f : entries(Path.of("/etc/passwd"))) {
                if (f.length > 3 && (f[0].equals(name) || f[2].equals(name))) {
                    try {
                        return Optional.of(new Account(Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<Integer> group(String name) {
            for (String[] f : entries(Path.of("/etc/group"))) {
                if (f.length > 2 && (f[0].equals(name) || f[2].equals(name))) {
                    try {
                        return Optional.of(Integer.parseInt(f[2]));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
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
