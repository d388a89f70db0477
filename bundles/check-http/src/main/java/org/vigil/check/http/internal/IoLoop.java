package org.vigil.check.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one I/O thread of every HTTP_GET and SSL_GET check: a selector for all their sockets and
 * their deadlines, plus two threads for the TLS handshake's delegated tasks (key exchange,
 * certificate parsing), so a handshake never stalls the other checks' I/O. Thousands of checks
 * cost these three threads. Everything touching a channel runs on the I/O thread.
 *
 * <p>A DS component (service of this private class) so both check types share it and it lives
 * exactly as long as one of them is active. The I/O thread starts with the first exchange and the
 * TLS context is made for the first SSL_GET: a daemon without web checks (the bundle installed,
 * its types registered anyway) has no thread and no TLS for them.
 */
@Component(service = IoLoop.class)
public final class IoLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);

    /** Something with a socket on this loop. */
    interface Handler {
        /** The key is ready; runs on the I/O thread. */
        void ready(SelectionKey key);
    }

    /** A deadline on the I/O thread. */
    static final class Timer implements Comparable<Timer> {
        final long deadline;
        final Runnable action;
        boolean cancelled;

        Timer(long deadline, Runnable action) {
            this.deadline = deadline;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadline, o.deadline);
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ExecutorService tlsTasks;
    /** Made for the first SSL_GET; guarded by this. */
    private SSLContext tls;
    private volatile boolean closed;
    // I/O thread only: what a read or a decryption produces is consumed before the next one
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private ByteBuffer appBuffer = ByteBuffer.allocate(0);

    @Activate
    public IoLoop() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vigil-http-check-tls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        tlsTasks = pool;
        thread = new Thread(this::run, "vigil-http-check");
        thread.setDaemon(true);
    }

    /**
     * keepalived's SSL_GET verifies no certificate (checker.md 4.6): a real server's certificate
     * is usually issued for the service name, not the address checked. A trust manager that
     * accepts every chain; with a plain X509TrustManager the JDK does no hostname check either.
     */
    private static SSLContext trustingContext() {
        X509TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] { all }, null);
            return c;
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("the JDK's TLS is not available", e);
        }
    }

    synchronized SSLContext tls() {
        if (tls == null) {
            tls = trustingContext();
        }
        return tls;
    }

    /**
     * One buffer for every plain read: a reply is parsed as it comes, so ten thousand waiting
     * checks hold no read buffer each. I/O thread only; cleared.
     */
    ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    /** The same for decrypted TLS data, at least {@code size} bytes. I/O thread only; cleared. */
    ByteBuffer appBuffer(int size) {
        if (appBuffer.capacity() < size) {
            appBuffer = ByteBuffer.allocate(size);
        }
        return appBuffer.clear();
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the I/O thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!started.get() && started.compareAndSet(false, true)) {
            thread.start();
        }
        selector.wakeup();
    }

    /** A delegated TLS task, off the I/O thread; {@code then} runs on the I/O thread afterwards. */
    void runTlsTask(Runnable task, Runnable then) {
        tlsTasks.execute(() -> {
            try {
                task.run();
            } finally {
                execute(then);
            }
        });
    }

    /** Arms a timer; call on the I/O thread. */
    Timer at(long deadlineNanos, Runnable action) {
        Timer t = new Timer(deadlineNanos, action);
        timers.add(t);
        return t;
    }

    private void run() {
        while (!closed) {
            try {
                long wait = 0;
                Timer next = timers.peek();
                if (next != null) {
                    wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.deadline - System.nanoTime() + 999_999));
                }
                if (tasks.isEmpty()) {
                    selector.select(wait);
                } else {
                    selector.selectNow();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        ((Handler) key.attachment()).ready(key);
                    } catch (CancelledKeyException e) {
                        // closed by an earlier event of this round
                    }
                }
                selector.selectedKeys().clear();
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                long now = System.nanoTime();
                while (!timers.isEmpty() && (timers.peek().cancelled || timers.peek().deadline - now <= 0)) {
                    Timer t = timers.poll();
                    if (!t.cancelled) {
                        t.action.run();
                    }
                }
            } catch (RuntimeException | Error e) {
                // a bug in one exchange must not end every check's I/O
                LOG.error("HTTP check I/O loop: unexpected failure, continuing", e);
            } catch (IOException e) {
                LOG.error("HTTP check I/O loop: selector failed", e);
                return;
            }
        }
    }

    @Deactivate
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            if (started.get()) {
                thread.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        tlsTasks.shutdownNow();
    }
}
