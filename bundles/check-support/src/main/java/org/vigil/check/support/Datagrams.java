package org.vigil.check.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datagram out and the replies back, for every check on one selector thread. A connected
 * channel per exchange: the kernel drops datagrams from other peers, and an ICMP port
 * unreachable comes back as a PortUnreachableException on the next read. The channel exists only
 * while the exchange is open.
 */
public final class Datagrams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Datagrams.class);

    /** What an exchange makes of what comes back. */
    public interface Receiver<T> {
        /** A datagram from the peer; null to keep waiting for another. */
        T datagram(ByteBuffer datagram);

        /**
         * The send (sending) or a read failed; a read fails with PortUnreachableException after an
         * ICMP port unreachable.
         */
        T error(IOException e, boolean sending);
    }

    /** One buffer for every read: only the selector thread reads. */
    private final ByteBuffer buffer;
    private final Selector selector;
    private final Thread thread;
    /** The thread starts with the first exchange: a check type nobody configured has none. */
    private final AtomicBoolean started = new AtomicBoolean();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    /** @param maxDatagram the longest datagram read whole; a longer one is cut there and read as that long + 1 */
    public Datagrams(String threadName, int maxDatagram) throws IOException {
        buffer = ByteBuffer.allocate(maxDatagram + 1);
        selector = Selector.open();
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /** Sends the datagram from bind (or any address) to to; cancel the future to give up. */
    public <T> CompletableFuture<T> exchange(InetSocketAddress to, InetSocketAddress bind, byte[] datagram, Receiver<T> receiver) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IOException("the check is stopping"));
            return f;
        }
        DatagramChannel ch;
        try {
            ch = DatagramChannel.open(to.getAddress() instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        } catch (IOException e) {
            f.complete(receiver.error(e, true));
            return f;
        }
        open.incrementAndGet();
        try {
            ch.configureBlocking(false);
            if (bind != null) {
                ch.bind(bind);
            }
            ch.connect(to);
            int sent = ch.write(ByteBuffer.wrap(datagram));
            if (sent != datagram.length) {
                throw new IOException("sent " + sent + " of " + datagram.length + " bytes");
            }
        } catch (IOException e) {
            close(ch);
            f.complete(receiver.error(e, true));
            return f;
        }
        submit(() -> {
            if (f.isDone() || closed) {
                close(ch);
                return;
            }
            try {
                ch.register(selector, SelectionKey.OP_READ, new Exchange<>(ch, f, receiver));
            } catch (IOException | RuntimeException e) {
                close(ch);
                f.completeExceptionally(e);
            }
        });
        // cancelled at connect_timeout, or completed: the channel goes on the selector thread
        f.whenComplete((v, e) -> submit(() -> close(ch)));
        return f;
    }

    /** Exchanges still open; for tests. */
    public int open() {
        return open.get();
    }

    private record Exchange<T>(DatagramChannel channel, CompletableFuture<T> future, Receiver<T> receiver) {
        void readable(ByteBuffer b) {
            try {
                while (!future.isDone()) {
                    b.clear();
                    if (channel.read(b) <= 0) {
                        return;
                    }
                    b.flip();
                    T result = receiver.datagram(b);
                    if (result != null) {
                        future.complete(result);
                    }
                }
            } catch (IOException e) {
                future.complete(receiver.error(e, false));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }

    private void submit(Runnable task) {
        if (closed && !thread.isAlive()) {
            // stopped: nobody drains the queue any more, so close what is left right here
            task.run();
            return;
        }
        tasks.add(task);
        if (!started.get() && started.compareAndSet(false, true)) {
            thread.start();
        }
        selector.wakeup();
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
                    if (key.isValid() && key.attachment() instanceof Exchange<?> x) {
                        x.readable(buffer);
                    }
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} selector: {}", thread.getName(), e.toString());
            }
        }
    }

    private void close(DatagramChannel ch) {
        synchronized (ch) {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // nothing left to release
                }
                open.decrementAndGet();
            }
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
            if (key.attachment() instanceof Exchange<?> x) {
                x.future().completeExceptionally(new IOException("the check stopped"));
                close(x.channel());
            }
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
}
