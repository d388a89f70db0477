package org.vigil.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;

/**
 * keepalived's SIGHUP (reload the configuration), SIGUSR1 (data dump), SIGUSR2 (stats), and the
 * signals of {@link SignalFunction} for STATS_CLEAR and JSON. The signal runs {@code vigil:reload} through
 * the daemon's own control socket, the path {@code bin/vigil ctl vigil:reload} takes, so there
 * is one reload and the framework's classes stay inside the framework. A SIGHUP during a reload
 * is queued (one, as keepalived queues it); more collapse into that one.
 */
final class HangupReload {
    private final Path controlSocket;
    private final KeepalivedLog log;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
                Thread t = new Thread(r, "vigil-reload");
                t.setDaemon(true);
                return t;
            });

    private HangupReload(Path controlSocket, KeepalivedLog log) {
        this.controlSocket = controlSocket;
        this.log = log;
    }

    static HangupReload install(Path controlSocket, KeepalivedLog log) {
        HangupReload reload = new HangupReload(controlSocket, log);
        Signal.handle(new Signal("HUP"), s -> reload.request());
        // keepalived's others: the data dump, the stats, stats and clear, the JSON dump, each a file in /tmp
        for (SignalFunction f : SignalFunction.values()) {
            if (f != SignalFunction.STOP && f != SignalFunction.RELOAD) {
                Signal.handle(new Signal(f.signal), s -> reload.worker.execute(() -> reload.command(f.command)));
            }
        }
        return reload;
    }

    private void command(String line) {
        try {
            CtlCommand.Reply reply = CtlCommand.send(controlSocket, line);
            if (reply == null || !reply.ok()) {
                log.log(line + " failed" + (reply == null ? ": no answer" : ": " + reply.output().strip()));
            }
        } catch (IOException e) {
            log.log(line + ": cannot reach the control socket " + controlSocket + ": " + e.getMessage());
        }
    }

    void request() {
        if (queued.compareAndSet(false, true)) {
            worker.execute(this::run);
        }
    }

    private void run() {
        queued.set(false);
        log.log("Reloading");
        try {
            CtlCommand.Reply reply = CtlCommand.send(controlSocket, "vigil:reload");
            if (reply == null) {
                log.log("Reload: the daemon gave no answer");
            } else if (!reply.ok()) {
                log.log("Reload failed, the running configuration stays (the errors are logged above)");
            }
        } catch (IOException e) {
            log.log("Reload: cannot reach the control socket " + controlSocket + ": " + e.getMessage());
        }
    }
}
