package org.vigil.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket with a real Gogo runtime behind it, spoken to as bin/vigil ctl does. */
class ControlSocketTest {
    @TempDir
    Path dir;

    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private ControlSocket socket;

    @BeforeEach
    void gogo() {
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        VrrpCommands commands = VrrpCommandsTest.commands(
                List.of(StatusFormatterTest.master(), StatusFormatterTest.backup()), "sim");
        for (String function : new String[] { "list", "show", "driver" }) {
            processor.addCommand("vrrp", commands, function);
        }
        processor.addCommand("test", new Printing(), "say");
    }

    @AfterEach
    void stop() {
        if (socket != null) {
            socket.close();
        }
        processor.stop();
        threadIo.stop();
    }

    /** A command that prints instead of returning, like most of Felix's own. */
    public static final class Printing {
        public void say(String text) {
            System.out.println(text);
        }
    }

    private static String request(Path path, String line) throws IOException {
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            client.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            return new String(Channels.newInputStream(client).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aCommandLineGivesStatusZeroAndTheFormattedResult() throws IOException {
        Path path = dir.resolve("vigil.ctl");
        socket = new ControlSocket(processor, path);

        assertThat(request(path, "vrrp:list")).startsWith("0\nNAME  STATE").contains("VI_1  MASTER");
        // what a command prints (as Felix's lb does) comes back too, before the result
        assertThat(request(path, "test:say hello; vrrp:show VI_6")).startsWith("0\nhello\nVRRP instance VI_6");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    }

    @Test
    void aFailingOrUnknownCommandGivesANonZeroStatusAndTheError() throws IOException {
        Path path = dir.resolve("vigil.ctl");
        socket = new ControlSocket(processor, path);

        assertThat(request(path, "vrrp:show VI_9")).isEqualTo("1\nError: No VRRP instance named 'VI_9'; known: VI_1, VI_6\n");
        assertThat(request(path, "vrrp:nosuch")).startsWith("1\nError: ").contains("vrrp:nosuch");
    }

    @Test
    void aPathTooLongForAUnixSocketLeavesTheDaemonRunningWithoutASocket() throws IOException {
        Path path = dir.resolve("x".repeat(120) + ".ctl");
        socket = new ControlSocket(processor, path);
        assertThat(socket.listening()).isFalse();
        assertThat(path).doesNotExist();
    }

    @Test
    void aStaleSocketFileIsReplacedAndCloseRemovesTheFile() throws IOException {
        Path path = dir.resolve("vigil.ctl");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path)); // left behind when closed, as by a daemon killed with -9
        }
        assertThat(path).exists();
        socket = new ControlSocket(processor, path);
        assertThat(request(path, "vrrp:driver")).startsWith("0\n");

        socket.close();
        socket = null;
        assertThat(path).doesNotExist();
    }

    @Test
    void aSecondDaemonOnTheSameSocketRefusesToStart() throws IOException {
        Path path = dir.resolve("vigil.ctl");
        socket = new ControlSocket(processor, path);

        ControlSocket second = new ControlSocket(processor, path);
        assertThat(second.listening()).isFalse();
        second.close(); // must leave the live daemon's socket alone
        assertThat(socket.listening()).isTrue();
        assertThat(request(path, "vrrp:list")).startsWith("0\n");
    }
}
