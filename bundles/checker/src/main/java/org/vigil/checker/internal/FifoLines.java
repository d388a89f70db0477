package org.vigil.checker.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lvs_notify_fifo: keepalived's {@code RS [rs] [vs] UP|DOWN} and {@code VS [vs] UP|DOWN} lines,
 * each ending in a newline. As keepalived does, a missing FIFO is created (given to its owner) and it is
 * opened read-write, which on Linux never waits for a reader; a write waits only once the pipe
 * is full, and then on this class's own thread ({@code vigil-check-fifo}), never the engine's.
 * The queue is bounded: beyond it lines are dropped and counted.
 */
final class FifoLines {
    static final int QUEUE = 16_384;
    private static final Logger LOG = LoggerFactory.getLogger(FifoLines.class);

    private final ThreadPoolExecutor thread;
    private final Map<String, RandomAccessFile> open = new HashMap<>();
    /** Who a FIFO created here is given to, by path (keepalived's lvs_notify_fifo PATH USER GROUP). */
    private final Map<String, org.vigil.script.RunAs> owners = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    /** The FIFOs made here, removed when the checker stops (keepalived removes the ones it made). */
    private final org.vigil.script.MadeFifos made;

    FifoLines() {
        this(new org.vigil.script.MadeFifos());
    }

    FifoLines(org.vigil.script.MadeFifos made) {
        this.made = made;
        thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "vigil-check-fifo");
            t.setDaemon(true);
            return t;
        }, (r, executor) -> {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("lvs_notify_fifo is not being read: {} lines dropped", n);
            }
        });
    }

    /** Who {@code path} is given to when it is created here; null: Vigil's user. */
    void owner(String path, org.vigil.script.RunAs owner) {
        if (owner == null) {
            owners.remove(path);
        } else {
            owners.put(path, owner);
        }
    }

    /** Queues a line (without its newline); returns at once. */
    void write(String path, String line) {
        if (!thread.isShutdown()) {
            thread.execute(() -> append(path, line));
        }
    }

    private void append(String path, String line) {
        try {
            RandomAccessFile f = open.get(path);
            if (f == null) {
                Path p = Path.of(path);
                made.ensure(p, owners.get(path), org.vigil.script.ScriptSecurity.Host.system(), LOG::warn);
                f = new RandomAccessFile(p.toFile(), "rw");
                open.put(path, f);
            }
            if (Files.isRegularFile(Path.of(path))) {
                f.seek(f.length());
            }
            f.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("Cannot write to lvs_notify_fifo {}: {}", path, e.getMessage());
            RandomAccessFile f = open.remove(path);
            close(f);
        }
    }

    void shutdown() {
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
        // after the thread ended (or was given up on): the files are only ever touched by it
        for (RandomAccessFile f : open.values()) {
            close(f);
        }
        made.removeAll(LOG::warn);
    }

    private static void close(RandomAccessFile f) {
        if (f != null) {
            try {
                f.close();
            } catch (IOException e) {
                // nothing left to do with a broken FIFO
            }
        }
    }
}
