package org.vigil.shell.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's end of {@code bin/vigil ctl}: a Unix domain socket at the path of the framework
 * property {@value #SOCKET_PROPERTY} (the launcher puts it beside the pid file, so daemons with
 * their own pid files never share one). Local only by construction, and owner-only (0600).
 *
 * <p>One request per connection: the client sends one command line ending in a newline; the
 * reply is the exit status as a decimal line (0 when the command succeeded), then the command's
 * output and formatted result, or the error, until the socket closes.
 */
@Component(service = {}, immediate = true)
public final class ControlSocket {
    /** Framework property: where to listen; unset, there is no control socket. */
    public static final String SOCKET_PROPERTY = "vigil.ctl.socket";
    /** A command line longer than this is refused rather than buffered without bound. */
    static final int MAX_REQUEST = 8192;
    static final int STATUS_OK = 0;
    static final int STATUS_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);

    private final CommandProcessor processor;
    private final Path path;
    private final ServerSocketChannel server;
    private final AtomicInteger connections = new AtomicInteger();

    @Activate
    public ControlSocket(@Reference CommandProcessor processor, BundleContext context) throws IOException {
        this(processor, socketPath(context.getProperty(SOCKET_PROPERTY)));
    }

    ControlSocket(CommandProcessor processor, Path path) throws IOException {
        this.processor = processor;
        this.path = path;
        if (path == null) {
            server = null;
            LOG.debug("No {} set: no control socket", SOCKET_PROPERTY);
            return;
        }
        ServerSocketChannel bound;
        try {
            bound = bind(path);
        } catch (IOException | RuntimeException e) {
            // the daemon runs on; only bin/vigil ctl is unavailable, and the log says why
            LOG.error("Cannot open the control socket {}: {}", path, e.getMessage());
            server = null;
            return;
        }
        server = bound;
        Thread acceptor = new Thread(this::accept, "vigil-ctl");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Control socket listening on {}", path);
    }

    private static Path socketPath(String property) {
        return property == null || property.isBlank() ? null : Path.of(property.trim());
    }

    /** Binds, replacing a stale socket file of a daemon that died, but never a live daemon's. */
    private static ServerSocketChannel bind(Path path) throws IOException {
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                throw new IOException("another daemon answers on " + path + ": not starting a second control socket");
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another daemon")) {
                    throw e;
                }
                Files.deleteIfExists(path); // nobody listens: left by a daemon that died
            }
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return channel;
    }

    Path path() {
        return path;
    }

    /** Whether the socket is bound and accepting (false without the property or when binding failed). */
    boolean listening() {
        return server != null && server.isOpen();
    }

    @Deactivate
    void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the control socket failed", e);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("Cannot delete the control socket {}: {}", path, e.toString());
        }
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                // a client that never sends its line must not hold up the next one
                Thread handler = new Thread(() -> serve(client), "vigil-ctl-" + connections.incrementAndGet());
                handler.setDaemon(true);
                handler.start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("Control socket accept failed: {}", e.toString());
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            String line = readLine(client);
            Reply reply = line == null ? new Reply(STATUS_FAILED, "request too long or not terminated by a newline\n")
                    : execute(line);
            byte[] out = (reply.status() + "\n" + reply.output()).getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(out);
            while (buffer.hasRemaining()) {
                client.write(buffer);
            }
        } catch (IOException e) {
            LOG.debug("Control connection failed", e);
        }
    }

    /** The request line without its newline, or null when it is too long or the client gave up. */
    private static String readLine(SocketChannel client) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(512);
        while (line.size() <= MAX_REQUEST) {
            buffer.clear();
            if (client.read(buffer) < 0) {
                return null;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        }
        return null;
    }

    record Reply(int status, String output) {
    }

    /** Runs one command line in a fresh Gogo session, capturing what it prints and its result. */
    Reply execute(String line) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        InputStream noInput = new ByteArrayInputStream(new byte[0]);
        CommandSession session = processor.createSession(noInput, out, out);
        int status;
        try {
            Object result = session.execute(line);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                out.print(text);
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    out.println();
                }
            }
            status = STATUS_OK;
        } catch (Exception e) {
            out.println("Error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            status = STATUS_FAILED;
        } finally {
            session.close();
        }
        out.flush();
        return new Reply(status, captured.toString(StandardCharsets.UTF_8));
    }
}
