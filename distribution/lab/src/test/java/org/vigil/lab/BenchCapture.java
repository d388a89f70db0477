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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump for the benchmarks: on one bridge of the switch namespace, a large kernel buffer (-B, 64 MiB), a short
 * snaplen (96 bytes: Ethernet, IPv6 and the VRRP header fit), no per-packet flush. After {@link #close()} it
 * knows how many packets the kernel dropped ("N packets dropped by kernel"); the file is read with {@link Pcap}.
 */
final class BenchCapture implements AutoCloseable {
    static final String VRRP = "ip proto 112 or ip6 proto 112";
    final Path pcap;
    final String bridge;
    private final Path err;
    private final Process process;
    private long dropped = -1;
    private long captured = -1;

    BenchCapture(Lab lab, Path dir, String bridge, String filter) {
        this.bridge = bridge;
        try {
            Files.createDirectories(dir);
            pcap = dir.resolve(bridge + ".pcap");
            err = dir.resolve(bridge + ".tcpdump.err");
            process = new ProcessBuilder("ip", "netns", "exec", lab.sw(), "tcpdump", "-i", bridge, "-n", "-B", "65536",
                    "-s", "96", "-w", pcap.toString(), filter).redirectError(err.toFile())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("tcpdump listening on " + bridge).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
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

    /**
     * Stops tcpdump by its PID (SIGINT writes out the buffer and the counts); idempotent. Without immediate mode
     * libpcap reads the kernel's ring a block at a time (a block is handed over when full or after 1 s), and the
     * block in progress at SIGINT is lost ("received by filter" exceeds "captured"): so the capture first runs on
     * for 1.5 s, and a window that ends at close() still has all its packets.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            Bench.hold(1.5);
            Sh.run(List.of("kill", "-INT", Long.toString(process.pid())));
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String e = read(err);
        Matcher d = Pattern.compile("(\\d+) packets? dropped by kernel").matcher(e);
        if (d.find()) {
            dropped = Long.parseLong(d.group(1));
        }
        Matcher c = Pattern.compile("(\\d+) packets? captured").matcher(e);
        if (c.find()) {
            captured = Long.parseLong(c.group(1));
        }
    }

    /** Packets the kernel dropped before tcpdump read them (-1 if unknown); valid after close(). */
    long dropped() {
        return dropped;
    }

    long captured() {
        return captured;
    }

    List<Pcap.Advert> adverts() {
        return Pcap.adverts(pcap);
    }

    /** Drop counts of several captures for a table line: "0" when none dropped, else the counts. */
    static String drops(List<BenchCapture> caps) {
        List<String> parts = new ArrayList<>();
        long sum = 0;
        boolean unknown = false;
        for (BenchCapture c : caps) {
            if (c.dropped() < 0) {
                unknown = true;
            }
            sum += Math.max(0, c.dropped());
            parts.add(c.bridge + ":" + c.dropped());
        }
        return unknown ? "unknown (" + String.join(" ", parts) + ")" : Long.toString(sum);
    }
}
