package org.vigil.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * keepalived's FIFO scripts (notify_fifo_script, vrrp_notify_fifo_script, lvs_notify_fifo_script):
 * the FIFO is created if missing, owned as {@code notify_fifo PATH [USER [GROUP]]} says, then the script is
 * started with the FIFO's path as its last argument and runs until it is killed (no timeout: it
 * reads the FIFO for as long as the daemon writes it). Every bundle that writes a FIFO creates
 * it here and starts its reader here, on a {@link ScriptRunner} of its own, since a reader holds
 * its runner slot for as long as it runs.
 */
public final class FifoScript {

    /** A FIFO script runs until it is killed: in effect no timeout. */
    public static final Duration LIFETIME = Duration.ofDays(365 * 100L);

    private FifoScript() {
    }

    /**
     * Creates the FIFO at {@code path} (mode 0600) unless something exists there already; another
     * writer creating it at the same moment is not an error.
     *
     * @throws IOException when it is not there and cannot be made
     */
    public static void createFifo(Path path) throws IOException {
        createFifo(path, null, ScriptSecurity.Host.system(), m -> { });
    }

    /**
     * Creates the FIFO at {@code path} unless something exists there already (another writer
     * creating it at the same moment is not an error), owned by {@code owner}: keepalived's
     * {@code notify_fifo PATH [USER [GROUP]]}, the group the user's primary one when not given, so
     * that a FIFO script running as that user can open it. Mode 0600, or 0640 when a group is
     * given (keepalived makes it 0644; Vigil lets nobody else read the events). As in keepalived,
     * only a FIFO created here is given its owner: an existing one is left as it is. A user or
     * group that {@code host} does not know is one line on {@code log} and the FIFO stays Vigil's
     * user's; so is a failed chown. Null {@code owner}: Vigil's user.
     *
     * @throws IOException when it is not there and cannot be made
     */
    public static void createFifo(Path path, RunAs owner, ScriptSecurity.Host host, Consumer<String> log)
            throws IOException {
        create(path, owner, host, log);
    }

    /** {@link #createFifo(Path, RunAs, ScriptSecurity.Host, Consumer)}; true when this call made the FIFO. */
    static boolean create(Path path, RunAs owner, ScriptSecurity.Host host, Consumer<String> log) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        int[] ids = owner == null ? null : ids(path, owner, host, log);
        boolean groupReads = ids != null && owner.group() != null;
        boolean created;
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", groupReads ? "640" : "600", "--", path.toString())
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("mkfifo " + path + " did not end");
            }
            created = p.exitValue() == 0;
            if (!created && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("mkfifo " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating " + path, e);
        }
        if (created && ids != null) {
            try {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                // by number: the ids host resolved (the JDK takes a number that names no account as the id)
                UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
                view.setGroup(lookup.lookupPrincipalByGroupName(String.valueOf(ids[1])));
                view.setOwner(lookup.lookupPrincipalByName(String.valueOf(ids[0])));
            } catch (IOException | UnsupportedOperationException e) {
                log.accept("Failed to set the owner " + owner + " of FIFO " + path + " (" + e.getMessage()
                        + "); it stays owned by Vigil's user");
            }
        }
        return created;
    }

    /**
     * Who owns a FIFO, as keepalived decides it: its own {@code USER [GROUP]} ({@code given}),
     * else script_user ({@code scriptUser}), else {@value ScriptSecurity#DEFAULT_USER} when
     * {@code host} has that user; null: Vigil's own user (keepalived's root).
     */
    public static RunAs owner(RunAs given, RunAs scriptUser, ScriptSecurity.Host host) {
        if (given != null) {
            return given;
        }
        if (scriptUser != null) {
            return new RunAs(scriptUser.user(), scriptUser.group(), false);
        }
        return host.user(ScriptSecurity.DEFAULT_USER).isPresent() ? new RunAs(ScriptSecurity.DEFAULT_USER, null, false)
                : null;
    }

    /** The owner's uid and gid, null (and one line) when the user or group is unknown. */
    private static int[] ids(Path path, RunAs owner, ScriptSecurity.Host host, Consumer<String> log) {
        Optional<ScriptSecurity.Account> user = host.user(owner.user());
        if (user.isEmpty()) {
            log.accept("Unknown user " + owner.user() + " for FIFO " + path + "; it stays owned by Vigil's user");
            return null;
        }
        if (owner.group() == null) {
            return new int[] {user.get().uid(), user.get().gid()};
        }
        Optional<Integer> group = host.group(owner.group());
        if (group.isEmpty()) {
            log.accept("Unknown group " + owner.group() + " for FIFO " + path + "; it stays owned by Vigil's user");
            return null;
        }
        return new int[] {user.get().uid(), group.get()};
    }

    /**
     * Creates the FIFO if missing and starts its reader on {@code runner}, with the FIFO's path
     * appended to the argument vector that {@code argv} returns. {@code argv} is called on the
     * runner's thread (it is where {@link ScriptSecurity#decide} belongs) and returns null to not
     * run the script (refused). Returns at once; {@link ScriptRun#kill()} ends the reader.
     *
     * @throws IOException when the FIFO cannot be created (the script is not started)
     */
    public static ScriptRun start(ScriptRunner runner, Path fifo, Supplier<List<String>> argv) throws IOException {
        return start(runner, fifo, null, m -> { }, argv);
    }

    /**
     * {@link #start(ScriptRunner, Path, Supplier)} on a FIFO created as
     * {@link #createFifo(Path, RunAs, ScriptSecurity.Host, Consumer)} does, owned by {@code owner}
     * (null: Vigil's user), its owner's problems one line each on {@code log}.
     *
     * @throws IOException when the FIFO cannot be created (the script is not started)
     */
    public static ScriptRun start(ScriptRunner runner, Path fifo, RunAs owner, Consumer<String> log,
            Supplier<List<String>> argv) throws IOException {
        createFifo(fifo, owner, ScriptSecurity.Host.system(), log);
        String name = fifo.toString();
        return runner.run(() -> {
            List<String> a = argv.get();
            if (a == null || a.isEmpty()) {
                return null;
            }
            List<String> withFifo = new ArrayList<>(a);
            withFifo.add(name);
            return withFifo;
        }, LIFETIME);
    }
}
