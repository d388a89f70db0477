package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testing.netns.HostRequirement;

import picocli.CommandLine;

/**
 * bin/vigil genhash beside Debian's {@code keepalived --genhash}, both run against the same real
 * servers on 127.0.0.1 (python3 -m http.server, openssl s_server, raw sockets): the same
 * standard output byte for byte, the same standard error, the same exit status.
 */
class GenhashCommandTest {
    static final String PAGE = "<html><body>genhash test page</body></html>\n";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : processes) {
            // by our own handle (its PID), never by name
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    record Run(int status, String out, String err) {
    }

    static Run vigil(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine configured = Vigil.commandLine().getSubcommands().get("genhash");
        assertThat(configured).as("genhash is a subcommand of bin/vigil").isNotNull();
        int status = new CommandLine(new GenhashCommand(new PrintStream(out, true, StandardCharsets.ISO_8859_1),
                new PrintStream(err, true, StandardCharsets.ISO_8859_1))).execute(args);
        return new Run(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
    }

    static Path keepalived() {
        for (String candidate : List.of("/usr/sbin/keepalived", "/sbin/keepalived", "/usr/local/sbin/keepalived")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        HostRequirement.require(false, "keepalived is not installed (distribution/lab/install-packages.sh)");
        return null;
    }

    static Run keepalived(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(keepalived().toString(), "--genhash"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("genhash-out", ".txt");
        Path err = Files.createTempFile("genhash-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly(); // our own child, by its handle
                throw new AssertionError("keepalived --genhash " + String.join(" ", args) + " did not end within 30 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Both tools, the same arguments: the same output. */
    static Run same(String... args) throws Exception {
        Run theirs = keepalived(args);
        Run ours = vigil(args);
        assertThat(timeless(ours.out())).as("standard output of genhash %s", String.join(" ", args)).isEqualTo(timeless(theirs.out()));
        assertThat(ours.status()).as("exit status").isEqualTo(theirs.status());
        return ours;
    }

    /** -v ends with the time the exchange took, which differs run to run: the number only is masked. */
    static String timeless(String out) {
        return out.replaceAll("(?m)^(Global response time for \\[.*\\] = )\\d+( usecs)$", "$1N$2");
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private int python(Path folder) throws Exception {
        HostRequirement.require(onPath("python3"), "python3 is not installed");
        int port = freePort();
        Process p = new ProcessBuilder("python3", "-m", "http.server", String.valueOf(port), "--bind", "127.0.0.1", "--directory",
                folder.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile()).start();
        processes.add(p);
        awaitListening(port);
        return port;
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void awaitListening(int port) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @Test
    void theDigestOfAPageIsKeepalivedsByteForByte() throws Exception {
        Files.writeString(dir.resolve("page.html"), PAGE);
        String port = String.valueOf(python(dir));
        Run run = same("-s", "127.0.0.1", "-p", port, "-u", "/page.html");
        assertThat(run.out()).isEqualTo(md5(PAGE) + "\n");
        same("-s", "127.0.0.1", "-p", port, "-u", "/page.html", "-P", "1.1", "-t", "3");
        same("-s", "127.0.0.1", "-p", port, "-u", "/page.html", "-P", "1.0c", "-V", "www.example.org");
        // a 404 has a body too, and genhash hashes whatever comes
        same("-s", "127.0.0.1", "-p", port, "-u", "/missing.html");
    }

    @Test
    void aRefusedConnection() throws Exception {
        Run run = same("-s", "127.0.0.1", "-p", String.valueOf(freePort()), "-u", "/", "-t", "2");
        assertThat(run.out()).isNotEmpty();
    }

    @Test
    void aServerThatNeverAnswers() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            // connections complete in the kernel's queue; nothing is ever accepted or answered
            Run run = same("-s", "127.0.0.1", "-p", String.valueOf(hung.getLocalPort()), "-u", "/", "-t", "1");
            assertThat(run.out()).startsWith("Timeout");
        }
    }

    /** One write of a whole reply, so both tools read it in one piece and dump it alike. */
    private int oneShot(byte[] reply, int connections) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (server) {
                for (int i = 0; i < connections; i++) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        int state = 0; // how much of CR LF CR LF has been read
                        int b;
                        while (state < 4 && (b = in.read()) >= 0) {
                            state = (b == (state % 2 == 0 ? '\r' : '\n')) ? state + 1 : (b == '\r' ? 1 : 0);
                        }
                        OutputStream o = s.getOutputStream();
                        o.write(reply);
                        o.flush();
                    }
                }
            } catch (IOException e) {
                // test over
            }
        }, "genhash-one-shot-server");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    @Test
    void verboseDumpsAreKeepalivedsAndTheBodyIsCutAtContentLength() throws Exception {
        byte[] reply = ("HTTP/1.0 200 OK\r\nServer: test\r\nContent-Length: 21\r\n\r\n" + "0123456789abcdefghijkEXTRA").getBytes(StandardCharsets.ISO_8859_1);
        int port = oneShot(reply, 4);
        Run run = same("-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/");
        assertThat(run.out()).isEqualTo(md5("0123456789abcdefghijk") + "\n");
        same("-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/", "-v");
    }

    @Test
    void noHeaderIsNoData() throws Exception {
        int port = oneShot(new byte[0], 2);
        Run theirs = keepalived("-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/");
        Run ours = vigil("-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/");
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void sslAgainstOpensslSServer() throws Exception {
        HostRequirement.require(onPath("openssl"), "openssl is not installed");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("page.html"), PAGE);
        Process req = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=rs.example.org", "-days", "1").directory(www.toFile())
                .redirectErrorStream(true).start();
        req.getInputStream().readAllBytes();
        assertThat(req.waitFor(60, TimeUnit.SECONDS) && req.exitValue() == 0).isTrue();
        int port = freePort();
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", "cert.pem", "-key", "key.pem",
                "-WWW", "-quiet").directory(www.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        processes.add(server);
        awaitListening(port);
        Run run = same("-S", "-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/page.html", "-t", "5");
        assertThat(run.out()).isEqualTo(md5(PAGE) + "\n");
        same("-S", "-I", "-V", "rs.example.org", "-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/page.html", "-t", "5");
        same("-S", "-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/page.html", "-t", "5", "-v");
    }

    @Test
    void badCommandLinesAreRefusedWithStatusOne() throws Exception {
        assertThat(vigil("-s", "localhost", "-p", "80", "-u", "/").err()).startsWith("server should be an IP, not localhost\nUsage: genhash");
        assertThat(vigil("-s", "127.0.0.1", "-p", "0", "-u", "/").err()).startsWith("invalid port number '0'\n");
        assertThat(vigil("-s", "127.0.0.1", "-p", "80", "-u", "/", "-P", "2").err()).startsWith("invalid HTTP protocol version '2'\n");
        assertThat(vigil("-s", "127.0.0.1", "-p", "80").status()).isEqualTo(1);
        assertThat(vigil("-s", "127.0.0.1", "-p", "80", "-u", "/", "-m", "1").status()).isEqualTo(1);
        assertThat(vigil("--no-such-option").status()).isEqualTo(1);
        assertThat(keepalived("-s", "127.0.0.1", "-p", "80").status()).isEqualTo(1);
    }

    @Test
    void theHexDumpFormat() {
        // keepalived 2.2.7's -v dump of this page, as it printed it here
        byte[] b = PAGE.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(GenhashCommand.hexDump(b, 0, b.length)).isEqualTo(
                "0000  3c 68 74 6d 6c 3e 3c 62 - 6f 64 79 3e 67 65 6e 68   <html><body>genh\n"
                        + "0016  61 73 68 20 74 65 73 74 - 20 70 61 67 65 3c 2f 62   ash test page</b\n"
                        + "0032  6f 64 79 3e 3c 2f 68 74 - 6d 6c 3e 0a               ody></html>.    \n");
    }
}
