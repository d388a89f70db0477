package org.vigil.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * keepalived's {@code net_namespace NAME}: the daemon runs inside the named network namespace
 * (/run/netns/NAME, as {@code ip netns add} makes it). A JVM cannot move all its threads into
 * another namespace (setns(2) moves one thread, and the JVM's own threads exist before main),
 * so Vigil starts itself again under {@code ip netns exec NAME}, which also gives it the
 * namespace's /etc/netns/NAME files; the first process waits for it and passes signals on
 * (HUP reloads, TERM and INT stop), so a service manager keeps one process to watch.
 */
final class NetnsEntry {
    /** Set in the restarted daemon, so it never restarts itself twice. */
    static final String ENTERED = "VIGIL_NETNS_ENTERED";
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private NetnsEntry() {
    }

    /** Whether this process already runs in the namespace {@code name}. */
    static boolean inside(String name) throws IOException {
        Path ns = NETNS_DIR.resolve(name);
        if (!Files.exists(ns)) {
            throw new IOException("network namespace " + name + " does not exist (" + ns
                    + "); create it with 'ip netns add " + name + "'");
        }
        String self = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(); // net:[4026531840]
        Object inode = Files.getAttribute(ns, "unix:ino");
        return self.equals("net:[" + inode + "]");
    }

    /**
     * Runs this same command inside {@code name} and returns its exit status, passing HUP, TERM
     * and INT on to it; empty when the command line of this JVM cannot be known.
     */
    static Optional<Integer> runInside(String name, KeepalivedLog log) throws IOException, InterruptedException {
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, info.command().get()));
        cmd.addAll(List.of(info.arguments().get()));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(ENTERED, name);
        log.log("Entering network namespace " + name + " (ip netns exec)");
        Process child = pb.start();
        for (String signal : new String[] {"HUP", "TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> forward(child, signal));
            } catch (IllegalArgumentException e) {
                // a signal the JVM keeps for itself: the child still gets it from the process group
            }
        }
        return Optional.of(child.waitFor());
    }

    private static void forward(Process child, String signal) {
        // the child is `ip netns exec`, which execs the JVM: same pid
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            child.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
