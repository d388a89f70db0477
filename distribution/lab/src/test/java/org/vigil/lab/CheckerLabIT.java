package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 7 through the running appliance: one Vigil (bin/vigil) on r1 checks real servers on r2, one
 * virtual server per check type (TCP_CHECK, HTTP_GET, SSL_GET, SMTP_CHECK, DNS_CHECK, UDP_CHECK, MISC_CHECK,
 * FILE_CHECK, PING_CHECK) against a real server of that kind (scripts/realserver.py, dnsmasq, an address of
 * r2, a state file). Each real server is killed and restored; the log, the lvs_notify_fifo lines (as the
 * lvs_notify_fifo_script Vigil starts reads them),
 * notify_up/notify_down and {@code bin/vigil ctl check:show} follow. A hung HTTP server (SIGSTOP) times out and
 * is removed; quorum lost and gained (quorum 2 over two TCP servers) runs quorum_down / quorum_up; an
 * {@code alpha} virtual server starts its servers down.
 */
class CheckerLabIT extends LabTest {
    static final String VIP = Lab.VIP4;
    static final String PING_ADDRESS = "192.0.2.30";
    /** Fast timing, so the whole kill/restore cycle of nine types takes seconds: down after 2 failures 1 s apart. */
    static final String COMMON = "connect_timeout 2\n retry 1\n delay_before_retry 1\n warmup 0\n";
    /** A kill or a restore is seen within delay_loop + 2 x (connect_timeout + delay_before_retry), with room. */
    static final Duration DETECT = Duration.ofSeconds(20);

    /** One virtual server of the test: its port, its real servers and what else its block says. */
    record Vs(int port, String protocol, List<RealServers.Case> reals, String extra) {
        String text() {
            return "[" + VIP + "]:" + protocol + ":" + port;
        }
    }

    @Test
    void everyCheckTypeFollowsItsRealServerThroughTheAppliance() throws Exception {
        RealServers.requireTools();
        Path base = dir("real-servers");
        Path[] tls = RealServers.selfSigned(base.resolve("tls"));
        String ns = lab.ns("r2");
        Path notify = notifyScript(dir("notify"));
        Path record = notify.resolveSibling("record");

        Map<String, Vs> byType = new LinkedHashMap<>();
        int i = 1;
        for (String type : RealServers.TYPES) {
            String common = type.equals("MISC_CHECK") ? COMMON + " misc_timeout 3\n" : COMMON;
            RealServers.Case c = real(RealServers.create(type, ns, base, 9000 + i, PING_ADDRESS, common, tls));
            List<RealServers.Case> reals = new ArrayList<>(List.of(c));
            String extra = "";
            if (type.equals("TCP_CHECK")) {
                // quorum 2 over two servers of weight 1: losing one loses quorum
                reals.add(real(RealServers.create(type, ns, base, 9100 + i, PING_ADDRESS, COMMON, tls)));
                extra = "    quorum 2\n    quorum_up \"" + notify + " quorum_up\"\n    quorum_down \"" + notify
                        + " quorum_down\"\n";
            }
            byType.put(type, new Vs(1000 + i, c.protocol(), reals, extra));
            i++;
        }
        // alpha: its servers start down; the first one is alive, the second not started yet
        RealServers.Case alphaUp = real(RealServers.create("TCP_CHECK", ns, base, 9200, PING_ADDRESS, COMMON, tls));
        RealServers.Case alphaLate = real(RealServers.create("TCP_CHECK", ns, base, 9201, PING_ADDRESS, COMMON, tls));
        Vs alpha = new Vs(1100, "tcp", List.of(alphaUp, alphaLate), "    alpha\n");

        for (Vs vs : byType.values()) {
            vs.reals().forEach(c -> c.server().start());
        }
        alphaUp.server().start();

        // lvs_notify_fifo_script: Vigil creates the FIFO and starts this reader with the FIFO as its argument
        Path fifo = dir("fifo").resolve("lvs.fifo");
        Path fifoLines = fifo.resolveSibling("lines");
        Path fifoScript = fifo.resolveSibling("fifo.sh");
        for (Path old : List.of(fifo, fifoLines)) {
            Files.deleteIfExists(old); // the folder survives from an earlier run
        }
        Files.writeString(fifoScript, "#!/bin/sh\nwhile read line; do echo \"$line\" >> " + fifoLines
                + "; done < \"$1\"\n");
        Files.setPosixFilePermissions(fifoScript, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<Vs> all = new ArrayList<>(byType.values());
        all.add(alpha);
        Daemon.Vigil vigil = vigil("r1", config(all, fifo, notify).replace("    lvs_notify_fifo " + fifo + "\n",
                "    lvs_notify_fifo " + fifo + "\n    lvs_notify_fifo_script " + fifoScript + "\n"));
        Path fifoReader = fifoLines;

        // alpha: the live server is added by its first success, the dead one confirmed down, never "removed"
        vigil.awaitLog("Starting with quorum down for VS " + alpha.text(), START);
        vigil.awaitLog("Adding service " + alphaUp.text() + " to VS " + alpha.text(), START);
        vigil.awaitLog("Gained quorum 1+0=1 <= 1 for VS " + alpha.text(), START);
        vigil.awaitLog("TCP_CHECK on service " + alphaLate.text() + " failed after 1 retries.", START);
        awaitFifo(fifoReader, "RS " + alphaUp.text() + " " + alpha.text() + " UP");
        awaitFifo(fifoReader, "VS " + alpha.text() + " UP");

        // every server up and checked, as the operator sees it
        for (Vs vs : byType.values()) {
            for (RealServers.Case c : vs.reals()) {
                awaitShow(vigil, vs, c, "up");
            }
        }
        awaitShow(vigil, alpha, alphaLate, "down");
        assertThat(vigil.linesWith("Removing service", 0)).as("no server left a pool at start").isEmpty();
        assertThat(vigil.linesWith("Adding service " + alphaLate.text(), 0)).isEmpty();

        // kill every real server at once
        int mark = vigil.mark();
        for (Vs vs : byType.values()) {
            vs.reals().get(0).server().kill();
        }
        for (Vs vs : byType.values()) {
            RealServers.Case c = vs.reals().get(0);
            vigil.awaitLog("Removing service " + c.text() + " from VS " + vs.text(), mark, DETECT);
            awaitFifo(fifoReader, "RS " + c.text() + " " + vs.text() + " DOWN");
            awaitRecord(record, "down " + c.text());
        }
        Vs tcp = byType.get("TCP_CHECK");
        vigil.awaitLog("Lost quorum 2-0=2 > 1 for VS " + tcp.text(), mark, SHORT);
        awaitFifo(fifoReader, "VS " + tcp.text() + " DOWN");
        awaitRecord(record, "quorum_down");
        // keepalived's summary lines of the types that have one
        vigil.awaitLog("TCP_CHECK on service " + tcp.reals().get(0).text() + " failed after 1 retries.", mark, SHORT);
        vigil.awaitLog("HTTP_CHECK on service " + byType.get("HTTP_GET").reals().get(0).text() + " failed after 1 retries.",
                mark, SHORT);
        vigil.awaitLog("SSL_CHECK on service " + byType.get("SSL_GET").reals().get(0).text() + " failed after 1 retries.",
                mark, SHORT);
        vigil.awaitLog("ICMP CHECK on service " + byType.get("PING_CHECK").reals().get(0).text()
                + " failed after 1 retries.", mark, SHORT);
        for (Vs vs : byType.values()) {
            awaitShow(vigil, vs, vs.reals().get(0), "down");
        }
        assertThat(vigil.linesWith("Removing service " + tcp.reals().get(1).text(), mark)).isEmpty();

        // restore them
        mark = vigil.mark();
        for (Vs vs : byType.values()) {
            vs.reals().get(0).server().start();
        }
        for (Vs vs : byType.values()) {
            RealServers.Case c = vs.reals().get(0);
            vigil.awaitLog("Adding service " + c.text() + " to VS " + vs.text(), mark, DETECT);
            awaitFifo(fifoReader, "RS " + c.text() + " " + vs.text() + " UP");
            awaitRecord(record, "up " + c.text());
        }
        vigil.awaitLog("Gained quorum 2+0=2 <= 2 for VS " + tcp.text(), mark, SHORT);
        awaitFifo(fifoReader, "VS " + tcp.text() + " UP");
        awaitRecord(record, "quorum_up");
        vigil.awaitLog("TCP connection to " + tcp.reals().get(0).text() + " success.", mark, SHORT);
        vigil.awaitLog("Remote Web server " + byType.get("HTTP_GET").reals().get(0).text() + " succeed on service.", mark,
                SHORT);
        for (Vs vs : byType.values()) {
            awaitShow(vigil, vs, vs.reals().get(0), "up");
        }

        // a hung web server: connections are accepted by the kernel, nothing answers; the check times out
        Vs http = byType.get("HTTP_GET");
        RealServers.Case web = http.reals().get(0);
        mark = vigil.mark();
        web.server().freeze();
        vigil.awaitLog("HTTP_CHECK on service " + web.text() + " failed after 1 retries.", mark, DETECT);
        vigil.awaitLog("Removing service " + web.text() + " from VS " + http.text(), mark, SHORT);
        awaitRecord(record, "down " + web.text(), 2);
        awaitShow(vigil, http, web, "down");
        mark = vigil.mark();
        web.server().thaw();
        vigil.awaitLog("Adding service " + web.text() + " to VS " + http.text(), mark, DETECT);
        awaitRecord(record, "up " + web.text(), 2);

        // alpha's late server comes up: added by its first success
        mark = vigil.mark();
        alphaLate.server().start();
        vigil.awaitLog("Adding service " + alphaLate.text() + " to VS " + alpha.text(), mark, DETECT);
        awaitRecord(record, "up " + alphaLate.text());
        awaitShow(vigil, alpha, alphaLate, "up");

        assertThat(vigil.alive()).isTrue();
    }

    private RealServers.Case real(RealServers.Case c) {
        track(c.server());
        return c;
    }

    /** keepalived.conf: global_defs with the fifo, one virtual_server per entry, notify scripts on every real server. */
    static String config(List<Vs> all, Path fifo, Path notify) {
        StringBuilder b = new StringBuilder("global_defs {\n    router_id lab-checker\n    lvs_notify_fifo " + fifo
                + "\n}\n");
        for (Vs vs : all) {
            b.append("virtual_server ").append(VIP).append(' ').append(vs.port()).append(" {\n    delay_loop 1\n"
                    + "    lb_algo rr\n    lb_kind NAT\n    protocol ").append(vs.protocol().toUpperCase()).append('\n')
                    .append(vs.extra());
            for (RealServers.Case c : vs.reals()) {
                b.append("    real_server ").append(c.address()).append(' ').append(c.port()).append(" {\n        weight 1\n"
                        + "        notify_up \"").append(notify).append(" up ").append(c.text()).append("\"\n"
                                + "        notify_down \"").append(notify).append(" down ").append(c.text()).append("\"\n")
                        .append(c.checkBlock()).append("    }\n");
            }
            b.append("}\n");
        }
        return b.toString();
    }

    /** A root-owned 755 /bin/sh script in the test folder that appends its arguments to "record" beside it. */
    static Path notifyScript(Path dir) {
        Path script = dir.resolve("notify.sh");
        try {
            Files.deleteIfExists(dir.resolve("record")); // the folder survives from an earlier run
            Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + dir.resolve("record") + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    private static void awaitRecord(Path record, String line) {
        awaitRecord(record, line, 1);
    }

    /** Waits until the notify script has recorded the line {@code times} times. */
    private static void awaitRecord(Path record, String line, long times) {
        try {
            await("notify script recorded \"" + line + "\" " + times + " times").atMost(SHORT)
                    .pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(record)
                            && Files.readAllLines(record).stream().filter(line::equals).count() >= times);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the notify script did not record \"" + line + "\"; record:\n" + read(record), e);
        }
    }

    /** Waits until lvs_notify_fifo_script has appended the line to its file. */
    private static void awaitFifo(Path lines, String line) {
        try {
            await("lvs_notify_fifo_script read \"" + line + "\"").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(lines) && Files.readAllLines(lines).contains(line));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("lvs_notify_fifo_script did not read \"" + line + "\"; read so far:\n"
                    + read(lines), e);
        }
    }

    /** bin/vigil ctl check:show VS shows the real server in that state, with a last result (it has been checked). */
    private static void awaitShow(Daemon.Vigil vigil, Vs vs, RealServers.Case c, String state) {
        Pattern row = Pattern.compile("(?m)^" + Pattern.quote(c.text()) + "\\s+" + state + "\\s.*$");
        String[] last = { "" };
        try {
            await("check:show " + vs.text() + " shows " + c.text() + " " + state).atMost(DETECT)
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        last[0] = show(vigil, vs);
                        java.util.regex.Matcher m = row.matcher(last[0]);
                        return m.find() && !m.group().strip().endsWith(" -");
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("check:show " + vs.text() + " does not show " + c.text() + " " + state + ":\n"
                    + last[0], e);
        }
    }

    static String show(Daemon.Vigil vigil, Vs vs) {
        Sh.Result r = Sh.run(List.of(LabEnv.dist().resolve("bin/vigil").toString(), "ctl", "-p",
                vigil.dir.resolve("vigil.pid").toString(), "check:show", vs.protocol() + ":" + vs.port()));
        return r.out() + r.err();
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
