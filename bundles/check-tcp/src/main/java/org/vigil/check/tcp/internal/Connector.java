package org.vigil.check.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking TCP connects for every check on one selector thread: 10,000 real servers cost one
 * thread and one socket each only while a connect is in flight. Channels are opened on the
 * caller's thread (never blocking: non-blocking connect), registered, finished and closed on the
 * selector thread. The thread starts with the first connect: a daemon whose configuration has no
 * TCP_CHECK (the bundle is installed and its type registered anyway) has no thread for it.
 */
final class Connector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private final Selector selector;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    Connector(String threadName) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /** Completes when the connection opened (it is then closed) or failed; cancel to give up. */
    CompletableFuture<Void> connect(InetSocketAddress to, SocketAddress bind) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IOException("TCP_CHECK is stopping"));
            return f;
        }
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            if (bind != null) {
                ch.bind(bind);
            }
            if (ch.connect(to)) {
                close(ch);
                f.complete(null);
                return f;
            }
        } catch (IOException | RuntimeException e) {
            close(ch);
            f.completeExceptionally(e);
            return f;
        }
        SocketChannel channel = ch;
        inFlight.incrementAndGet();
        submit(() -> register(channel, f));
        f.whenComplete((v, e) -> {
            if (f.isCancelled()) {
                submit(() -> abandon(channel));
            }
        });
        return f;
    }

    /** Connects not yet finished; for tests and status. */
    int inFlight() {
        return inFlight.get();
    }

    private void submit(Runnable task) {
        tasks.add(task);
        if (!started.get() && started.compareAndSet(false, true)) {
            thread.start();
        }
        selector.wakeup();
    }

    private void register(SocketChannel ch, CompletableFuture<Void> f) {
        if (f.isDone() || closed) {
            abandon(ch);
            f.completeExceptionally(new IOException("TCP_CHECK is stopping"));
            return;
        }
        try {
            ch.register(selector, SelectionKey.OP_CONNECT, f);
        } catch (IOException | RuntimeException e) {
            abandon(ch);
            f.completeExceptionally(e);
        }
    }

    private void abandon(SocketChannel ch) {
        if (ch.isOpen()) {
            inFlight.decrementAndGet();
            close(ch);
        }
    }

    private void run() {
        while (!closed) {
            try {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    finish(key);
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("TCP_CHECK selector: {}", e.toString());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void finish(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        CompletableFuture<Void> f = (CompletableFuture<Void>) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            if (ch.finishConnect()) {
                key.cancel();
                abandon(ch);
                f.complete(null);
            }
        } catch (IOException e) {
            key.cancel();
            abandon(ch);
            f.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            if (started.get()) {
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof CompletableFuture<?> f) {
                f.completeExceptionally(new IOException("TCP_CHECK stopped"));
            }
            close((SocketChannel) key.channel());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the selector", e);
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private static void close(SocketChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
