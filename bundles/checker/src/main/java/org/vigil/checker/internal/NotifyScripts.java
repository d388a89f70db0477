package org.vigil.checker.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.script.CommandLine;
import org.vigil.script.ScriptResult;
import org.vigil.script.RunAs;
import org.vigil.script.ScriptSecurity;
import org.vigil.script.ScriptRunner;

/**
 * Runs the checker's scripts, notify_up / notify_down of a real server, quorum_up / quorum_down of a
 * virtual server and the lvs_notify_fifo_script reader ({@link LvsFifoScripts}), through the one script
 * package (keepalived's splitting, its security rules, the non-blocking runner), on runner threads of
 * its own that start with the first script (the FIFO readers on a runner apart: they never end).
 * <p>
 * keepalived runs them as their own user, else script_user (global_defs), else keepalived_script, else
 * root, and under enable_script_security refuses what it must.
 * Each command is decided once, with keepalived's lines (each line once: keepalived logs the default user's
 * and the SECURITY VIOLATION line once); a refused one is not run.
 */
final class NotifyScripts {
    private static final Logger LOG = LoggerFactory.getLogger("org.vigil.checker");
    /** keepalived sets no timeout on these scripts; one that hangs is killed after this so it frees its slot. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_RUNNING = 4;
    static final int MAX_WAITING = 1024;

    private final ScriptSecurity.Host host;
    /** The argv of each command line, empty when refused. */
    private final Map<Key, List<String>> decided = new ConcurrentHashMap<>();
    /** Lines already logged: the ones naming no script (the default user, SECURITY VIOLATION) come once, not per script. */
    private final java.util.Set<String> logged = ConcurrentHashMap.newKeySet();
    private ScriptRunner runner;
    /** The FIFO readers' own runner: each holds its slot for as long as it runs. */
    private ScriptRunner fifoRunner;
    private boolean closed;

    /** The FIFOs made here and by the lvs_notify_fifo writer: removed when the checker stops. */
    private final org.vigil.script.MadeFifos madeFifos;

    NotifyScripts(ScriptSecurity.Host host) {
        this(host, new org.vigil.script.MadeFifos());
    }

    NotifyScripts(ScriptSecurity.Host host, org.vigil.script.MadeFifos madeFifos) {
        this.host = host;
        this.madeFifos = madeFifos;
    }

    /** Runs the command line with keepalived's defaults for users and security (tests). */
    void run(String what, String commandLine) {
        run(what, commandLine, null, null, false);
    }

    /**
     * Runs the command line (as keepalived.conf gives it) for {@code what} ("notify_up", ...) as
     * its own user, else global_defs script_user, else keepalived's default, under
     * enable_script_security when set; returns at once.
     */
    void run(String what, String commandLine, RunAs user, RunAs scriptUser, boolean security) {
        if (commandLine == null || commandLine.isBlank()) {
            return;
        }
        ScriptRunner r = runner();
        if (r == null) {
            return;
        }
        r.run(() -> {
            List<String> argv = decided.computeIfAbsent(new Key(commandLine, user, scriptUser, security),
                    k -> decide(what, k));
            return argv.isEmpty() ? null : argv;
        }, TIMEOUT).result().thenAccept(result -> report(what, commandLine, result));
    }

    /**
     * Starts lvs_notify_fifo_script {@code commandLine} on {@code fifo} (created if missing, given to
     * {@code owner}), with the
     * FIFO as its last argument, decided as the other scripts are; null once shut down.
     *
     * @throws java.io.IOException when the FIFO cannot be created
     */
    org.vigil.script.ScriptRun startFifoReader(java.nio.file.Path fifo, RunAs owner, String commandLine, RunAs user,
            RunAs scriptUser, boolean security) throws java.io.IOException {
        ScriptRunner r;
        synchronized (this) {
            if (closed) {
                return null;
            }
            if (fifoRunner == null) {
                fifoRunner = new ScriptRunner("vigil-check-fifo-script", MAX_FIFO_READERS, 0);
            }
            r = fifoRunner;
        }
        Key key = new Key(commandLine, user, scriptUser, security);
        madeFifos.ensure(fifo, owner, host, LOG::warn);
        return org.vigil.script.FifoScript.start(r, fifo, owner, LOG::warn, () -> {
            List<String> argv = decided.computeIfAbsent(key, k -> decide(FIFO_SCRIPT, k));
            return argv.isEmpty() ? null : argv;
        });
    }

    static final String FIFO_SCRIPT = "lvs_notify_fifo_script";
    /** Distinct lvs_notify_fifo_script readers at once (the bridge writes one; hand-written configurations may name more). */
    static final int MAX_FIFO_READERS = 8;

    /** A command is decided once per run-as setting. */
    private record Key(String commandLine, RunAs user, RunAs scriptUser, boolean security) {
    }

    private List<String> decide(String what, Key key) {
        String commandLine = key.commandLine();
        CommandLine command;
        try {
            command = CommandLine.parse(commandLine);
        } catch (IllegalArgumentException e) {
            once(e.getMessage());
            once("Invalid " + what + " script " + commandLine + " - ignoring");
            return List.of();
        }
        ScriptSecurity.Decision d = ScriptSecurity.decide(command, key.user(), key.scriptUser(), key.security(), host,
                this::once);
        if (!d.allowed()) {
            once("Not running " + what + " script " + commandLine + ": "
                    + d.refusal().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            return List.of();
        }
        if (d.root() && !key.security()) {
            once(ScriptSecurity.securityViolation(d.insecure()));
        }
        return d.argv();
    }


    private void once(String line) {
        if (logged.add(line)) {
            LOG.warn("{}", line);
        }
    }

    static void report(String what, String commandLine, ScriptResult r) {
        switch (r.status()) {
            case EXITED -> {
                if (r.code() != 0) {
                    LOG.info("{} script {} exited with status {}", what, commandLine, r.code());
                }
            }
            case SIGNALLED -> LOG.info("{} script {} ended by signal {}", what, commandLine, r.code());
            case TIMED_OUT -> LOG.warn("{} script {} timed out after {} s, killed", what, commandLine,
                    TIMEOUT.toSeconds());
            case NOT_STARTED -> {
                // "not run": refused above, already said why
                if (r.message() != null && !r.message().equals("not run")) {
                    LOG.warn("Cannot run {} script {}: {}", what, commandLine, r.message());
                }
            }
            case REJECTED -> LOG.warn("Too many checker scripts waiting, not running {} script {}", what, commandLine);
        }
    }

    private synchronized ScriptRunner runner() {
        if (closed) {
            return null;
        }
        if (runner == null) {
            runner = new ScriptRunner("vigil-check-script", MAX_RUNNING, MAX_WAITING);
        }
        return runner;
    }

    /** Lets running scripts finish (up to their timeout) and runs no more. */
    synchronized void shutdown() {
        closed = true;
        if (runner != null) {
            runner.shutdown();
        }
        if (fifoRunner != null) {
            fifoRunner.shutdown();
        }
    }

    /** For tests: the scripts started so far have ended. */
    boolean awaitIdle(Duration within) throws InterruptedException {
        ScriptRunner r;
        synchronized (this) {
            r = runner;
        }
        return r == null || r.awaitIdle(within);
    }

    List<String> decidedCommands() {
        return decided.keySet().stream().map(Key::commandLine).toList();
    }
}
