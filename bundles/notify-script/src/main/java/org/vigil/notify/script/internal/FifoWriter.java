package org.vigil.notify.script.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes keepalived's FIFO lines ({@code INSTANCE "VI_1" MASTER 100}) to notify_fifo. Like
 * keepalived, the FIFO is created if missing and opened read-write: on Linux that open never
 * waits for a reader, and a write only waits once the pipe buffer is full. Lines go through a
 * bounded queue to a writer thread of its own, so even that wait never reaches the caller; when
 * the queue is full the line is dropped with a log line.
 */
final class FifoWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FifoWriter.class);

    private final Path path;
    /** Who a FIFO created here is given to (keepalived's notify_fifo PATH USER GROUP); null: Vigil's user. */
    private final org.vigil.script.RunAs owner;
    private final org.vigil.script.ScriptSecurity.Host host;
    private final org.vigil.script.MadeFifos made;
    private final BlockingQueue<String> lines;
    private final Thread thread;
    private volatile boolean closed;
    private RandomAccessFile out;

    FifoWriter(Path path, org.vigil.script.RunAs owner, org.vigil.script.ScriptSecurity.Host host,
            org.vigil.script.MadeFifos made, int queueSize) {
        this.path = path;
        this.owner = owner;
        this.host = host;
        this.made = made;
        this.lines = new ArrayBlockingQueue<>(queueSize);
        this.thread = new Thread(this::drain, "vigil-notify-fifo");
        thread.setDaemon(true);
        thread.start();
    }

    Path path() {
        return path;
    }

    /** Queues a line (without its newline); returns at once. */
    void write(String line) {
        if (!lines.offer(line)) {
            LOG.warn("notify FIFO {} is not being read, dropping: {}", path, line);
        }
    }

    private void drain() {
        while (!closed || !lines.isEmpty()) {
            String line;
            try {
                line = lines.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (line == null) {
                continue;
            }
            try {
                RandomAccessFile f = open();
                if (Files.isRegularFile(path)) {
                    f.seek(f.length());
                }
                f.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.warn("Cannot write to notify FIFO {}: {}", path, e.getMessage());
                closeQuietly();
            }
        }
        closeQuietly();
    }

    private RandomAccessFile open() throws IOException {
        if (out == null) {
            // again if it was removed since: the one made here is removed when Vigil stops
            made.ensure(path, owner, host, LOG::warn);
            out = new RandomAccessFile(path.toFile(), "rw");
        }
        return out;
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to do with a broken FIFO
            }
            out = null;
        }
    }

    @Override
    public void close() {
        // The thread writes what is queued, then ends.
        closed = true;
    }

    /** Closes and waits up to {@code ms} for the queued lines to be written. */
    void drain(long ms) {
        close();
        try {
            thread.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
