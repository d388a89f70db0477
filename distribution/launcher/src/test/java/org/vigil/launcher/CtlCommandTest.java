package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The client side of the control socket, against a stand-in daemon speaking the same protocol. */
class CtlCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        // bin/vigil's parser settings for ctl, with this test's streams
        CommandLine configured = Vigil.commandLine().getSubcommands().get("ctl");
        CtlCommand ctl = new CtlCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(ctl).setStopAtPositional(configured.isStopAtPositional())
                .setUnmatchedOptionsArePositionalParams(configured.isUnmatchedOptionsArePositionalParams())
                .execute(args);
    }

    /** Answers one connection with {@code reply}, returning the request line it got. */
    private CompletableFuture<String> daemon(Path socket, String reply) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel client = server.accept()) {
                ByteBuffer request = ByteBuffer.allocate(1024);
                while (request.position() == 0 || request.get(request.position() - 1) != '\n') {
                    client.read(request);
                }
                client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                return new String(request.array(), 0, request.position(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theSocketIsBesideThePidFile() {
        assertThat(Home.controlSocket(Path.of("/run/vigil.pid"))).isEqualTo(Path.of("/run/vigil.ctl"));
        assertThat(Home.controlSocket(Path.of("/run/ns1/vigil-a.pid"))).isEqualTo(Path.of("/run/ns1/vigil-a.ctl"));
        assertThat(Home.controlSocket(Path.of("/tmp/vigil"))).isEqualTo(Path.of("/tmp/vigil.ctl"));
        // beyond what a Unix socket address holds: a short name in the temp directory, the same for daemon and ctl
        Path deep = Path.of("/var/lib/" + "very-long-folder-name/".repeat(5) + "vigil.pid");
        Path fallback = Home.controlSocket(deep);
        assertThat(fallback.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(fallback.toString().length()).isLessThanOrEqualTo(Home.MAX_SOCKET_PATH);
        assertThat(Home.controlSocket(deep)).isEqualTo(fallback);
        assertThat(Home.controlSocket(Path.of("/var/lib/other/" + "very-long-folder-name/".repeat(5) + "vigil.pid")))
                .isNotEqualTo(fallback);
        assertThat(Home.inTempDirectory(fallback)).isTrue();
        assertThat(Home.inTempDirectory(Path.of("/run/vigil.ctl"))).isFalse();
    }

    @Test
    void theCommandGoesOutAsOneLineAndTheOutputIsPrinted() throws Exception {
        CompletableFuture<String> request = daemon(dir.resolve("v.ctl"), "0\nNAME  STATE\nVI_1  MASTER\n");

        int status = run("-p", dir.resolve("v.pid").toString(), "vrrp:show", "-x", "VI 1");

        assertThat(status).isZero();
        assertThat(request.get()).isEqualTo("vrrp:show -x 'VI 1'\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("NAME  STATE\nVI_1  MASTER\n");
    }

    @Test
    void aFailedCommandExitsNonZeroWithTheDaemonsError() throws Exception {
        daemon(dir.resolve("v.ctl"), "1\nError: No VRRP instance named 'VI_9'\n");

        assertThat(run("-p", dir.resolve("v.pid").toString(), "vrrp:show", "VI_9")).isEqualTo(CtlCommand.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Error: No VRRP instance named 'VI_9'\n");
    }

    @Test
    void noDaemonGivesAClearMessage() throws IOException {
        assertThat(run("-p", dir.resolve("v.pid").toString(), "vrrp:list")).isEqualTo(CtlCommand.NO_DAEMON);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vigil ctl: no Vigil daemon: ")
                .contains(dir.resolve("v.ctl").toString());

        // a socket file left by a daemon that died
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(dir.resolve("v.ctl")));
        }
        err.reset();
        assertThat(run("-p", dir.resolve("v.pid").toString(), "vrrp:list")).isEqualTo(CtlCommand.NO_DAEMON);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vigil ctl: no Vigil daemon answers on ");
    }

    @Test
    void argumentsWithSpacesStayOneArgument() {
        assertThat(CtlCommand.commandLine(List.of("vrrp:driver", "pcap"))).isEqualTo("vrrp:driver pcap");
        assertThat(CtlCommand.commandLine(List.of("echo", "a b"))).isEqualTo("echo 'a b'");
    }
}
