package org.vigil.check.http.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One GET on one connection, keepalived's way: connect (from bindto), TLS handshake for
 * SSL_GET, send the request, read until the server closes or Content-Length is reached. Runs on
 * the {@link IoLoop} thread from start to end; {@link #abort} may be called from any thread.
 * The outcome is a complete reply (whatever its status) or the {@link Reason} it failed.
 */
final class Exchange implements IoLoop.Handler {

    /** Either {@code reply} (the connection ended normally) or {@code failure}. */
    record Outcome(ResponseReader reply, Reason failure) {
        static Outcome failed(Reason r) {
            return new Outcome(null, r);
        }
    }

    private enum Phase { CONNECT, HANDSHAKE, WRITE, READ, DONE }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final IoLoop loop;
    private final InetSocketAddress connectTo;
    private final InetAddress bindTo;
    private final ByteBuffer request;
    private final ResponseReader reader;
    private final long deadline;
    private final SSLEngine engine;
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();

    private Phase phase = Phase.CONNECT;
    private SocketChannel channel;
    private SelectionKey key;
    private IoLoop.Timer timer;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private boolean tlsTaskRunning;

    /**
     * @param sni           the TLS server name, or null for none; for SSL_GET only
     * @param deadlineNanos System.nanoTime() by which it must be over
     */
    private Exchange(IoLoop loop, InetSocketAddress connectTo, InetAddress bindTo, boolean ssl, String sni,
            byte[] request, ResponseReader reader, long deadlineNanos) {
        this.loop = loop;
        this.connectTo = connectTo;
        this.bindTo = bindTo;
        this.request = ByteBuffer.wrap(request);
        this.reader = reader;
        this.deadline = deadlineNanos;
        this.engine = ssl ? clientEngine(loop, sni) : null;
    }

    static Exchange start(IoLoop loop, InetSocketAddress connectTo, InetAddress bindTo, boolean ssl, String sni,
            byte[] request, ResponseReader reader, long deadlineNanos) {
        Exchange e = new Exchange(loop, connectTo, bindTo, ssl, sni, request, reader, deadlineNanos);
        loop.execute(e::open);
        return e;
    }

    CompletableFuture<Outcome> outcome() {
        return done;
    }

    /** The attempt was cancelled (the checker's timeout): close what is open, quietly. */
    void abort() {
        loop.execute(() -> finish(null));
    }

    /**
     * No certificate check (keepalived's default); SNI only when asked for. The engine is made
     * without a peer host so that the JDK neither sends a name nor resumes sessions by host on
     * its own. An address or a name the JDK refuses as a server name (a port in it, say) goes
     * without SNI, as OpenSSL would send it as it is.
     */
    static SSLEngine clientEngine(IoLoop loop, String sni) {
        SSLEngine e = loop.tls().createSSLEngine();
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(List.of());
        if (sni != null) {
            try {
                p.setServerNames(List.of(new SNIHostName(sni)));
            } catch (IllegalArgumentException notAHostName) {
                // sent without a server name
            }
        }
        e.setSSLParameters(p);
        return e;
    }

    private void open() {
        if (phase == Phase.DONE) {
            return;
        }
        timer = loop.at(deadline, this::timeout);
        try {
            channel = SocketChannel.open(connectTo.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (bindTo != null) {
                channel.bind(new InetSocketAddress(bindTo, 0));
            }
        } catch (IOException e) {
            fail(Reason.ERROR_CONNECTING);
            return;
        }
        try {
            boolean connected = channel.connect(connectTo);
            key = channel.register(loop.selector(), connected ? 0 : SelectionKey.OP_CONNECT, this);
            if (connected) {
                connected();
            }
        } catch (ConnectException e) {
            fail(Reason.CONNECTION_FAILED);
        } catch (SocketException e) {
            fail(Reason.NETWORK_UNREACHABLE);
        } catch (IOException e) {
            fail(Reason.ERROR_CONNECTING);
        }
    }

    @Override
    public void ready(SelectionKey k) {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.CONNECT) {
            try {
                if (!channel.finishConnect()) {
                    return;
                }
            } catch (IOException e) {
                fail(Reason.CONNECTION_FAILED);
                return;
            }
            connected();
            return;
        }
        pump();
    }

    private void connected() {
        if (engine != null) {
            phase = Phase.HANDSHAKE;
            // netIn starts small and grows to a whole record only when a record needs it
            netIn = ByteBuffer.allocate(4096);
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            try {
                engine.beginHandshake();
            } catch (SSLException e) {
                fail(Reason.SSL_HANDSHAKE);
                return;
            }
        } else {
            phase = Phase.WRITE;
        }
        pump();
    }

    private void pump() {
        try {
            if (engine == null) {
                plain();
            } else {
                tls();
            }
        } catch (SSLException e) {
            fail(phase == Phase.READ ? Reason.SSL_READ_ERROR : Reason.SSL_HANDSHAKE);
        } catch (IOException e) {
            fail(switch (phase) {
                case HANDSHAKE -> Reason.SSL_HANDSHAKE;
                case WRITE -> Reason.CANNOT_SEND;
                default -> engine == null ? Reason.READ_ERROR : Reason.SSL_READ_ERROR;
            });
        }
    }

    private void plain() throws IOException {
        if (phase == Phase.WRITE) {
            channel.write(request);
            if (request.hasRemaining()) {
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
            phase = Phase.READ;
        }
        while (phase == Phase.READ) {
            ByteBuffer plainIn = loop.readBuffer();
            int n = channel.read(plainIn);
            if (n < 0) {
                endOfStream();
                return;
            }
            if (n == 0) {
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            plainIn.flip();
            if (!reader.accept(plainIn)) {
                endOfStream();
                return;
            }
        }
    }

    private void tls() throws IOException {
        while (phase != Phase.DONE && !tlsTaskRunning) {
            if (!flush()) {
                return;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    startTlsTasks();
                    return;
                }
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return;
                    }
                }
                default -> {
                    if (phase == Phase.HANDSHAKE) {
                        phase = Phase.WRITE;
                    }
                    if (phase == Phase.WRITE) {
                        if (request.hasRemaining()) {
                            wrap(request);
                            continue;
                        }
                        // the request is wrapped and, flushed at the loop's top, on its way
                        phase = Phase.READ;
                    }
                    if (!unwrap()) {
                        return;
                    }
                }
            }
        }
    }

    /** Writes pending TLS records; false (and OP_WRITE) when the socket cannot take them all now. */
    private boolean flush() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        channel.write(netOut);
        netOut.compact();
        if (netOut.position() > 0) {
            key.interestOps(SelectionKey.OP_WRITE);
            return false;
        }
        return true;
    }

    private void wrap(ByteBuffer source) throws IOException {
        SSLEngineResult r = engine.wrap(source, netOut);
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW -> netOut = larger(netOut, engine.getSession().getPacketBufferSize());
            case CLOSED -> throw new SSLException("the TLS engine closed while sending");
            default -> {
                // OK: records are in netOut
            }
        }
    }

    /** Reads and decrypts; true after progress, false when waiting for the socket (OP_READ) or finished. */
    private boolean unwrap() throws IOException {
        int appSize = engine.getSession().getApplicationBufferSize();
        while (true) {
            ByteBuffer appIn = loop.appBuffer(appSize);
            netIn.flip();
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            netIn.compact();
            switch (r.getStatus()) {
                case OK -> {
                    if (appIn.position() > 0) {
                        appIn.flip();
                        if (!reader.accept(appIn)) {
                            endOfStream();
                            return false;
                        }
                    }
                    if (r.bytesConsumed() > 0 || r.bytesProduced() > 0) {
                        return true;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    appSize = Math.max(appSize * 2, engine.getSession().getApplicationBufferSize());
                    continue;
                }
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        netIn = larger(netIn, engine.getSession().getPacketBufferSize());
                    }
                }
                case CLOSED -> {
                    // close_notify from the server
                    if (phase != Phase.READ) {
                        throw new SSLException("the server closed the TLS session during the handshake");
                    }
                    endOfStream();
                    return false;
                }
            }
            int n = channel.read(netIn);
            if (n < 0) {
                try {
                    engine.closeInbound();
                } catch (SSLException truncated) {
                    // no close_notify: keepalived takes the end of the connection as the end of the reply
                }
                if (phase != Phase.READ) {
                    throw new SSLException("the server closed the connection during the handshake");
                }
                endOfStream();
                return false;
            }
            if (n == 0) {
                key.interestOps(SelectionKey.OP_READ);
                return false;
            }
        }
    }

    private void startTlsTasks() {
        tlsTaskRunning = true;
        key.interestOps(0);
        loop.runTlsTask(() -> {
            for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                t.run();
            }
        }, () -> {
            tlsTaskRunning = false;
            if (phase != Phase.DONE) {
                pump();
            }
        });
    }

    private static ByteBuffer larger(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private void endOfStream() {
        if (!reader.headerDone() || reader.headerOverflow()) {
            fail(Reason.NO_DATA);
        } else {
            finish(new Outcome(reader, null));
        }
    }

    private void timeout() {
        fail(switch (phase) {
            case CONNECT, HANDSHAKE -> Reason.TIMEOUT_CONNECTING;
            case WRITE -> Reason.TIMEOUT_WRITE;
            default -> !reader.anyData() ? Reason.TIMEOUT_WEB_READ
                    : engine == null ? Reason.TIMEOUT_HTTP_READ : Reason.TIMEOUT_SSL_READ;
        });
    }

    private void fail(Reason reason) {
        finish(Outcome.failed(reason));
    }

    /** Closes everything and completes once; a null outcome (abort) completes nothing. */
    private void finish(Outcome outcome) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        if (timer != null) {
            timer.cancel();
        }
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
        if (outcome != null) {
            done.complete(outcome);
        } else {
            done.cancel(false);
        }
    }
}
