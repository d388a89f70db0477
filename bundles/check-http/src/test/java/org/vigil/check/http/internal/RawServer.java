package org.vigil.check.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP server on 127.0.0.1 that records each request's bytes up to the blank line and answers
 * with a fixed reply, then closes; or, with a null reply, accepts and never answers (a hung web
 * server), noting when the client gives up.
 */
final class RawServer implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] reply;
    final LinkedBlockingQueue<String> requests = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> remoteAddresses = new LinkedBlockingQueue<>();
    /** For a hung server: the client closed its end. */
    final LinkedBlockingQueue<Boolean> clientClosed = new LinkedBlockingQueue<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final boolean speaksFirst;

    RawServer(String reply) throws IOException {
        this(reply == null ? null : reply.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    RawServer(byte[] reply) throws IOException {
        this(reply, false);
    }

    /** Writes its reply as soon as it accepts, without reading anything (a server of another protocol). */
    static RawServer speaksFirst(String reply) throws IOException {
        return new RawServer(reply.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    private RawServer(byte[] reply, boolean speaksFirst) throws IOException {
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        this.reply = reply;
        this.speaksFirst = speaksFirst;
        this.thread = new Thread(this::serve, "raw-http-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                remoteAddresses.add(s.getInetAddress().getHostAddress());
                Thread t = new Thread(() -> answer(s), "raw-http-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            if (reply == null) {
                held.add(s);
                // a hung server reads nothing and says nothing; the client's close ends this read
                ByteArrayOutputStream ignored = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    ignored.write(b);
                }
                clientClosed.add(true);
                return;
            }
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            int b;
            while (!speaksFirst && (b = in.read()) >= 0) {
                request.write(b);
                byte[] r = request.toByteArray();
                int n = r.length;
                if (n >= 4 && r[n - 4] == '\r' && r[n - 3] == '\n' && r[n - 2] == '\r' && r[n - 1] == '\n') {
                    break;
                }
            }
            requests.add(request.toString(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(reply);
            s.getOutputStream().flush();
        } catch (IOException e) {
            clientClosed.add(true);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
