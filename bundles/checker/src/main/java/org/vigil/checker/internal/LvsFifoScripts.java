package org.vigil.checker.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.script.RunAs;
import org.vigil.script.ScriptRun;

/**
 * keepalived's lvs_notify_fifo_script: the reader of lvs_notify_fifo, started once the FIFO exists with
 * its path as the last argument and run until Vigil stops. The bridge writes the FIFO and its script on
 * every virtual server's configuration (they are global_defs'), so one reader runs per distinct
 * {@link Reader} that some virtual server names: a reload that keeps it keeps the running script, one
 * that changes it (or removes the last virtual server) kills it and starts the new one.
 */
final class LvsFifoScripts {
    private static final Logger LOG = LoggerFactory.getLogger("org.vigil.checker");

    /** One reader: the FIFO and who it is given to (null: Vigil's user), the command as keepalived.conf gives it, and who runs it. */
    record Reader(String fifo, RunAs owner, String command, RunAs user, RunAs scriptUser, boolean scriptSecurity) {
    }

    private final NotifyScripts scripts;
    // guarded by this
    private final Map<String, Reader> byPid = new HashMap<>();
    private final Map<Reader, ScriptRun> running = new HashMap<>();
    private boolean closed;

    LvsFifoScripts(NotifyScripts scripts) {
        this.scripts = scripts;
    }

    /** What the virtual server of {@code pid} names; null: none (or it went away). */
    synchronized void want(String pid, Reader reader) {
        if (closed) {
            return;
        }
        if (reader == null) {
            byPid.remove(pid);
        } else {
            byPid.put(pid, reader);
        }
        Set<Reader> wanted = new HashSet<>(byPid.values());
        // removed before killed: a run that completes at once calls back into running
        for (Reader gone : Set.copyOf(running.keySet())) {
            if (!wanted.contains(gone)) {
                running.remove(gone).kill();
            }
        }
        for (Reader r : wanted) {
            if (!running.containsKey(r)) {
                start(r);
            }
        }
    }

    private void start(Reader r) {
        ScriptRun run;
        try {
            run = scripts.startFifoReader(Path.of(r.fifo()), r.owner(), r.command(), r.user(), r.scriptUser(), r.scriptSecurity());
        } catch (IOException e) {
            LOG.warn("Cannot create lvs_notify_fifo {} for {}: {}", r.fifo(), r.command(), e.getMessage());
            return;
        }
        if (run == null) {
            return;
        }
        running.put(r, run);
        run.result().thenAccept(result -> {
            boolean ours;
            synchronized (this) {
                ours = running.remove(r, run);
            }
            // a reader that ends by itself is said; one killed here (reload, stop) is not
            if (ours) {
                NotifyScripts.report(NotifyScripts.FIFO_SCRIPT, r.command(), result);
            }
        });
    }

    /** The readers that run now (tests). */
    synchronized Set<Reader> running() {
        return Set.copyOf(running.keySet());
    }

    /** Ends every reader: after the last lines were written, keepalived ends them when it stops. */
    synchronized void shutdown() {
        closed = true;
        java.util.List<ScriptRun> runs = java.util.List.copyOf(running.values());
        running.clear();
        runs.forEach(ScriptRun::kill);
        byPid.clear();
    }
}
