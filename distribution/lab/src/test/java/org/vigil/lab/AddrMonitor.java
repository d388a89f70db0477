package org.vigil.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ip -n NS -ts monitor address} in a file: the kernel's own RTM_NEWADDR / RTM_DELADDR events with their
 * times (µs), so the benchmarks time VIPs exactly instead of polling. Stopped by its PID.
 */
final class AddrMonitor implements AutoCloseable {
    /** One address event: time in µs since the epoch, added or deleted, the address without prefix. */
    record Event(long micros, boolean added, String address) {
    }

    private static final Pattern LINE = Pattern.compile(
            "^\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+)\\] (Deleted )?\\d+: \\S+\\s+inet6? ([0-9a-f.:]+)/");
    private final Path file;
    private final Process process;

    AddrMonitor(Lab lab, String host, Path dir) {
        try {
            Files.createDirectories(dir);
            file = dir.resolve("addr-monitor-" + host + ".txt");
            process = new ProcessBuilder("ip", "-n", lab.ns(host), "-ts", "monitor", "address")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            // ip opens its netlink socket at once; give it a moment before anything changes an address
            Thread.sleep(300);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Event> events() {
        List<Event> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return out;
        }
        ZoneId zone = ZoneId.systemDefault();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            if (m.find()) {
                LocalDateTime t = LocalDateTime.parse(m.group(1));
                long micros = t.atZone(zone).toInstant().getEpochSecond() * 1_000_000L + t.getNano() / 1000;
                out.add(new Event(micros, m.group(2) == null, m.group(3)));
            }
        }
        return out;
    }

    /** The addresses among the wanted ones that are present after the events so far (added, not deleted since). */
    java.util.Set<String> present(java.util.Set<String> wanted) {
        java.util.Set<String> now = new java.util.HashSet<>();
        for (Event e : events()) {
            if (wanted.contains(e.address())) {
                if (e.added()) {
                    now.add(e.address());
                } else {
                    now.remove(e.address());
                }
            }
        }
        return now;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            Sh.run(List.of("kill", "-TERM", Long.toString(process.pid())));
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
