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

/** tcpdump on the switch's bridge, written to a pcap that tshark decodes with the VRRP dissector pinned. */
final class Capture implements AutoCloseable {
    /** VRRP, AH (VRRPv2 with AH), ARP and ICMPv6 (neighbour adverts). */
    static final String FILTER = "ip proto 112 or ip proto 51 or ip6 proto 112 or arp or icmp6";
    final Path pcap;
    private final Path err;
    private final Process process;

    Capture(Lab lab, Path dir) {
        this(lab, dir, FILTER);
    }

    /** With another tcpdump filter (IGMP, MLD behind a hop-by-hop header, ...). */
    Capture(Lab lab, Path dir, String filter) {
        this(lab, dir, filter, List.of("-i", Lab.BRIDGE));
    }

    /** Only what {@code host} sends: its switch port, inbound. */
    static Capture from(Lab lab, String host, Path dir, String filter) {
        return new Capture(lab, dir, filter, List.of("-i", Lab.port(host), "-Q", "in"));
    }

    private Capture(Lab lab, Path dir, String filter, List<String> where) {
        try {
            Files.createDirectories(dir);
            pcap = dir.resolve("switch.pcap");
            err = dir.resolve("tcpdump.err");
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", lab.sw(), "tcpdump"));
            command.addAll(where);
            command.addAll(List.of("-n", "-U", "--immediate-mode", "-s", "256", "-w", pcap.toString(), filter));
            process = new ProcessBuilder(command).redirectErrorStream(false)
                            .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("tcpdump listening").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> read(err).contains("listening on") || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("tcpdump failed: " + read(err));
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops tcpdump (SIGINT flushes the file); idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            Sh.run(List.of("kill", "-INT", Long.toString(process.pid())));
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The packets matching the display filter, one String[] of the fields each (tshark -T fields, occurrence 1
     * for repeated fields). Reads the file as it is so far; tcpdump writes packet by packet (-U).
     */
    List<String[]> fields(String displayFilter, String... fields) {
        return fields(List.of(), displayFilter, fields);
    }

    List<String[]> fields(List<String> options, String displayFilter, String... fields) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-d", "ip.proto==112,vrrp",
                "--disable-protocol", "carp"));
        cmd.addAll(options);
        cmd.addAll(List.of("-Y", displayFilter, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Sh.Result r = Sh.run(cmd);
        if (r.exit() != 0) {
            throw new IllegalStateException("tshark " + String.join(" ", cmd) + ": " + r.err());
        }
        List<String[]> out = new ArrayList<>();
        r.out().lines().filter(l -> !l.isBlank()).forEach(l -> out.add(l.split("\\|", -1)));
        return out;
    }
}
