package org.vigil.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The real servers of the checker lab, one per checked real server, each one a thing the test can kill and
 * restore as an operator's fault would: a process in a lab namespace (scripts/realserver.py, dnsmasq), stopped by
 * its PID (SIGKILL, or SIGSTOP for a hung server); a host address (PING_CHECK: the address is deleted); the value
 * in FILE_CHECK's file. Each one also knows its real_server block for keepalived.conf.
 */
final class RealServers {
    /** r2 serves the processes, on its lan0 address. */
    static final String HOST = "192.0.2.12";

    private RealServers() {
    }

    /** What a test does to a real server. */
    interface Server extends AutoCloseable {
        /** Starts it (again) and returns once it serves. */
        void start();

        /** A crash: gone at once (SIGKILL and waited for, the address deleted, the file says down). */
        void kill();

        /** Hung: SIGSTOP (a process only). */
        default void freeze() {
            throw new UnsupportedOperationException("only a process can hang");
        }

        /** SIGCONT after {@link #freeze()}. */
        default void thaw() {
            throw new UnsupportedOperationException("only a process can hang");
        }

        @Override
        void close();
    }

    /** A process in a namespace, started with {@code ip netns exec}, so its PID is the server's own. */
    static final class Proc implements Server {
        private final List<String> command;
        private final Path log;
        private final String ready;
        private Process process;

        /** @param ready text the process prints once it serves */
        Proc(String ns, Path dir, String ready, List<String> command) {
            this.command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            this.command.addAll(command);
            this.log = dir.resolve("log");
            this.ready = ready;
        }

        @Override
        public void start() {
            try {
                Files.createDirectories(log.getParent());
                Files.deleteIfExists(log);
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
            try {
                await("real server " + command).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                        .until(() -> !process.isAlive() || Files.readString(log).contains(ready));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("real server not ready: " + command + "\n" + output(), e);
            }
            if (!process.isAlive()) {
                throw new AssertionError("real server exited " + process.exitValue() + ": " + command + "\n" + output());
            }
        }

        long pid() {
            return process.pid();
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void kill() {
            Sh.quiet("kill", "-KILL", Long.toString(process.pid()));
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("real server survived SIGKILL: " + command);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void freeze() {
            Sh.ok("kill", "-STOP", Long.toString(process.pid()));
        }

        @Override
        public void thaw() {
            Sh.ok("kill", "-CONT", Long.toString(process.pid()));
        }

        @Override
        public void close() {
            if (process != null && process.isAlive()) {
                Sh.quiet("kill", "-CONT", Long.toString(process.pid()));
                kill();
            }
        }
    }

    /** PING_CHECK's server: an address of its own on a host's lan0; killed, the address goes. */
    static final class Address implements Server {
        private final String ns;
        private final String address;

        Address(String ns, String address) {
            this.ns = ns;
            this.address = address;
        }

        @Override
        public void start() {
            Sh.ok("ip", "-n", ns, "addr", "add", address + "/24", "dev", "lan0");
        }

        @Override
        public void kill() {
            Sh.ok("ip", "-n", ns, "addr", "del", address + "/24", "dev", "lan0");
        }

        @Override
        public void close() {
            Sh.quiet("ip", "-n", ns, "addr", "del", address + "/24", "dev", "lan0");
        }
    }

    /** FILE_CHECK's server: the file holds 0 (up, with weight 0) or 1 (down). */
    static final class StateFile implements Server {
        final Path file;

        StateFile(Path file) {
            this.file = file;
        }

        @Override
        public void start() {
            write("0\n");
        }

        @Override
        public void kill() {
            write("1\n");
        }

        private void write(String value) {
            try {
                Files.createDirectories(file.getParent());
                Path part = file.resolveSibling(file.getFileName() + ".part");
                Files.writeString(part, value);
                Files.move(part, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
        }
    }

    /** The real servers' programs: missing, the test skips, or fails under CI=true (HostRequirement). */
    static void requireTools() {
        for (String tool : List.of("/usr/bin/python3", "/usr/sbin/dnsmasq", "/usr/bin/openssl", "/usr/bin/curl")) {
            org.vigil.testing.netns.HostRequirement.require(Files.isExecutable(Path.of(tool)), tool
                    + " is missing; install the lab packages: bash distribution/lab/install-packages.sh");
        }
    }

    static Path script() {
        return Path.of("scripts", "realserver.py").toAbsolutePath();
    }

    static Proc python(String ns, Path dir, String mode, String address, int port, String... more) {
        List<String> cmd = new ArrayList<>(List.of("python3", script().toString(), mode, address, Integer.toString(port)));
        cmd.addAll(List.of(more));
        return new Proc(ns, dir, "ready", cmd);
    }

    /** dnsmasq answering A example.test (and nothing else) on address:port, in the foreground. */
    static Proc dnsmasq(String ns, Path dir, String address, int port) {
        return new Proc(ns, dir, "cleared cache", List.of("/usr/sbin/dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                "--pid-file", "--port=" + port, "--listen-address=" + address, "--bind-interfaces", "--no-resolv",
                "--no-hosts", "--address=/example.test/192.0.2.80", "--local=/example.test/", "--log-facility=-"));
    }

    /** A self-signed certificate and key for SSL_GET's server (keepalived does not verify it). */
    static Path[] selfSigned(Path dir) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sh.ok("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=rs.example.test");
        return new Path[] { cert, key };
    }

    /** One checked real server of the lab: its type, where it is, its check block and its server. */
    record Case(String type, String protocol, String address, int port, String checkBlock, Server server) {
        /** keepalived's text of the real server, as in the log lines: {@code [192.0.2.12]:tcp:9001}. */
        String text() {
            return "[" + address + "]:" + protocol + ":" + port;
        }
    }

    /**
     * The check block of each type, with the given common keywords ("" for keepalived's defaults) and what the
     * type needs besides: HTTP and SSL a url, DNS the query dnsmasq answers, UDP a reply required, MISC a curl of
     * the real server, FILE the file.
     */
    static String block(String type, String common, Path stateFile, int port) {
        String body = switch (type) {
            case "HTTP_GET", "SSL_GET" -> "url {\n path /\n status_code 200\n }\n";
            case "DNS_CHECK" -> "type A\n name example.test\n";
            case "UDP_CHECK" -> "require_reply\n";
            case "MISC_CHECK" -> "misc_path \"/usr/bin/curl -sf -o /dev/null -m 2 http://" + HOST + ":" + port + "/\"\n";
            case "FILE_CHECK" -> "track_file state" + port + "\n file " + stateFile + "\n weight 0\n";
            default -> "";
        };
        return type + " {\n" + body + common + "}\n";
    }

    /**
     * One real server of that type in namespace ns (r2's), its files under dir: a TCP listener, an HTTP and an
     * HTTPS server, an SMTP server, dnsmasq, a UDP echo, an HTTP server curled by MISC_CHECK, a state file, an
     * address for PING_CHECK (pingAddress).
     */
    static Case create(String type, String ns, Path dir, int port, String pingAddress, String common, Path[] tls) {
        Path d = dir.resolve(type.toLowerCase(java.util.Locale.ROOT) + "-" + port);
        Path state = d.resolve("state");
        String block = block(type, common, state, port);
        return switch (type) {
            case "TCP_CHECK" -> new Case(type, "tcp", HOST, port, block, python(ns, d, "tcp", HOST, port));
            case "HTTP_GET" -> new Case(type, "tcp", HOST, port, block, python(ns, d, "http", HOST, port));
            case "SSL_GET" -> new Case(type, "tcp", HOST, port, block, python(ns, d, "https", HOST, port,
                    tls[0].toString(), tls[1].toString()));
            case "SMTP_CHECK" -> new Case(type, "tcp", HOST, port, block, python(ns, d, "smtp", HOST, port, d.toString()));
            case "DNS_CHECK" -> new Case(type, "udp", HOST, port, block, dnsmasq(ns, d, HOST, port));
            case "UDP_CHECK" -> new Case(type, "udp", HOST, port, block, python(ns, d, "udp", HOST, port));
            case "MISC_CHECK" -> new Case(type, "tcp", HOST, port, block, python(ns, d, "http", HOST, port));
            case "FILE_CHECK" -> new Case(type, "tcp", HOST, port, block, new StateFile(state));
            case "PING_CHECK" -> new Case(type, "tcp", pingAddress, port, block, new Address(ns, pingAddress));
            default -> throw new IllegalArgumentException(type);
        };
    }

    static final List<String> TYPES = List.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "SMTP_CHECK", "DNS_CHECK",
            "UDP_CHECK", "MISC_CHECK", "FILE_CHECK", "PING_CHECK");
}
