package org.vigil.notify.mail.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionEvent.Kind;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/** A real SMTP server (GreenMail on 127.0.0.1) receives what keepalived would send. */
class MailNotifierTest {

    private static final String DATE =
            "Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n";

    private GreenMail greenMail;
    private MailNotifier notifier;

    @BeforeEach
    void startServer() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.deactivate();
        }
        greenMail.stop();
    }

    private Map<String, Object> global(Object... kv) {
        Map<String, Object> p = new HashMap<>();
        p.put("router.id", "LVS_DEVEL");
        p.put("notification.email", new String[] {"acassen@firewall.loc", "Ops Team <ops@firewall.loc>"});
        p.put("notification.email.from", "Alexandre Cassen <alexandre.cassen@firewall.loc>");
        p.put("smtp.server", "127.0.0.1");
        p.put("smtp.port", greenMail.getSmtp().getPort());
        p.put("smtp.connect.timeout.ms", 5000L);
        p.put("smtp.helo.name", "vigil-test");
        p.put("smtp.alert.vrrp", true);
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    private static TransitionEvent event(Kind kind, String name, InstanceState from, InstanceState to, boolean stop) {
        return new TransitionEvent(kind, name, from, to, 100, stop, Instant.now());
    }

    /** Everything after GreenMail's own Return-Path and Received headers, one per recipient mailbox. */
    private List<String> received(int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length >= count);
        List<String> out = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            try {
                m.writeTo(raw);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            out.add(raw.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String expected(String subject, String body) {
        return "From: Alexandre Cassen <alexandre.cassen@firewall.loc>\r\n"
                + "Subject: " + subject + "\r\n"
                + "X-Mailer: Keepalived\r\n"
                + "To: acassen@firewall.loc,\r\n Ops Team <ops@firewall.loc>\r\n"
                + "\r\n"
                + body + "\r\n";
        // keepalived sends one more blank line before "."; GreenMail counts that line's CRLF as the
        // first CRLF of the <CRLF>.<CRLF> terminator. MailFormatTest checks the DATA bytes themselves.
    }

    private static void assertMessage(String whole, String subject, String body) {
        int date = whole.indexOf("Date: ");
        assertThat(date).isGreaterThanOrEqualTo(0);
        String ours = whole.substring(date);
        assertThat(ours).containsPattern("^" + DATE);
        assertThat(ours.substring(ours.indexOf("\r\n") + 2)).isEqualTo(expected(subject, body));
        // MAIL FROM carries only the <...> part of "Name <a@b>".
        assertThat(whole).contains("Return-Path: <alexandre.cassen@firewall.loc>");
        assertThat(whole).contains("vigil-test");
    }

    @Test
    void checkerEventsAreMailedWithKeepalivedsSubjectsAndBodiesWhenTheirSmtpAlertAsks() throws Exception {
        notifier = Typed.notifier(global());
        String vs = "[192.0.2.249]:tcp:80";
        String rs = "[192.0.2.21]:tcp:80";
        // smtp_alert off for this one: no mail
        notifier.changed(new org.vigil.api.check.CheckEvent(org.vigil.api.check.CheckEvent.Kind.REAL_SERVER_DOWN, vs,
                "[192.0.2.22]:tcp:80", -1, "Removing service [192.0.2.22]:tcp:80 from VS " + vs, "TCP_CHECK", false));
        notifier.changed(new org.vigil.api.check.CheckEvent(org.vigil.api.check.CheckEvent.Kind.REAL_SERVER_DOWN, vs, rs,
                -1, "Removing service " + rs + " from VS " + vs, "TCP_CHECK", true));
        assertMessage(received(2).get(0), "[LVS_DEVEL] Realserver " + rs + " of virtual server " + vs + " - DOWN",
                "=> TCP CHECK failed on service <=");
        assertThat(greenMail.getReceivedMessages()).hasSize(2);

        greenMail.purgeEmailFromAllMailboxes();
        notifier.changed(new org.vigil.api.check.CheckEvent(org.vigil.api.check.CheckEvent.Kind.REAL_SERVER_UP, vs, rs, 1,
                "Adding service " + rs + " to VS " + vs, "HTTP_GET", true));
        assertMessage(received(2).get(0), "[LVS_DEVEL] Realserver " + rs + " of virtual server " + vs + " - UP",
                "=> CHECK succeed on service <=");

        greenMail.purgeEmailFromAllMailboxes();
        notifier.changed(new org.vigil.api.check.CheckEvent(org.vigil.api.check.CheckEvent.Kind.QUORUM_LOST, vs, "", -1,
                "Lost quorum 1-0=1 > 0 for VS " + vs, "", true));
        assertMessage(received(2).get(0), "[LVS_DEVEL] Virtualserver " + vs + " - DOWN", "=> Lost quorum 1-0=1 > 0 <=");
    }

    @Test
    void instanceMasterBackupFaultAndStopAsKeepalivedWritesThem() throws Exception {
        notifier = Typed.notifier(global());
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, false));
        List<String> got = received(2);
        assertMessage(got.get(0), "[LVS_DEVEL] VRRP Instance VI_1 - Entering MASTER state",
                "=> VRRP Instance is now owning VRRP VIPs <=");
        // One copy per recipient: RCPT TO used the bare address of "Ops Team <ops@firewall.loc>".
        assertThat(greenMail.getReceivedMessagesForDomain("firewall.loc")).hasSize(2);
        assertThat(greenMail.getUserManager().getUserByEmail("ops@firewall.loc")).isNotNull();

        greenMail.purgeEmailFromAllMailboxes();
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.BACKUP, false));
        assertMessage(received(2).get(0), "[LVS_DEVEL] VRRP Instance VI_1 - Entering BACKUP state",
                "=> VRRP Instance is no longer owning VRRP VIPs <=");

        greenMail.purgeEmailFromAllMailboxes();
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.FAULT, false));
        assertMessage(received(2).get(0), "[LVS_DEVEL] VRRP Instance VI_1 - Entering FAULT state",
                "=> VRRP Instance is no longer owning VRRP VIPs <=");

        greenMail.purgeEmailFromAllMailboxes();
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.FAULT, InstanceState.INIT, true));
        assertMessage(received(2).get(0), "[LVS_DEVEL] VRRP Instance VI_1 - Stopping",
                "=> VRRP Instance stopping <=");
    }

    @Test
    void stoppingMailsQueuedAtShutdownStillGoOut() {
        notifier = Typed.notifier(global());
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.MASTER, InstanceState.INIT, true));
        notifier.deactivate();
        assertThat(greenMail.getReceivedMessages()).hasSize(2);
        notifier = null;
    }

    @Test
    void syncGroupMail() {
        notifier = Typed.notifier(global());
        notifier.transition(event(Kind.GROUP, "VG_1", InstanceState.BACKUP, InstanceState.MASTER, false));
        assertMessage(received(2).get(0), "[LVS_DEVEL] VRRP Group VG_1 - Entering MASTER state",
                "=> All VRRP group instances are now in MASTER state <=");
    }

    @Test
    void noEmailFaultsSuppressesFaultMailsOnly() {
        notifier = Typed.notifier(global("no.email.faults", true));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.FAULT, false));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.FAULT, InstanceState.BACKUP, false));
        List<String> got = received(2);
        assertThat(got).allSatisfy(m -> assertThat(m).contains("Entering BACKUP state").doesNotContain("FAULT"));
    }

    @Test
    void smtpAlertOffForOneInstance() {
        notifier = Typed.notifier(global());
        notifier.setAlert(Kind.INSTANCE, "VI_QUIET", false);
        notifier.transition(event(Kind.INSTANCE, "VI_QUIET", InstanceState.BACKUP, InstanceState.MASTER, false));
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, false));
        assertThat(received(2)).allSatisfy(m -> assertThat(m).contains("VI_1").doesNotContain("VI_QUIET"));
    }

    @Test
    void unreachableServerIsLoggedAndStallsNothing() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        notifier = Typed.notifier(global("smtp.port", closedPort, "notify.mail.tries", 2,
                "notify.mail.retry.delay.ms", 50L));
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, false));
            notifier.transition(event(Kind.INSTANCE, "VI_2", InstanceState.BACKUP, InstanceState.MASTER, false));
        });
        // Both are tried and given up on; the worker is then free again.
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.pending().isEmpty());
    }

    @Test
    void fullQueueDropsTheOldest() throws Exception {
        // A server that accepts and never answers keeps the worker busy on the first mail.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            notifier = Typed.notifier(global("smtp.port", silent.getLocalPort(),
                    "smtp.connect.timeout.ms", 10_000L, "notify.mail.queue", 2));
            notifier.transition(event(Kind.INSTANCE, "VI_0", InstanceState.BACKUP, InstanceState.MASTER, false));
            await().atMost(Duration.ofSeconds(5)).until(() -> notifier.pending().isEmpty());
            assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                for (int i = 1; i <= 4; i++) {
                    notifier.transition(event(Kind.INSTANCE, "VI_" + i, InstanceState.BACKUP, InstanceState.MASTER,
                            false));
                }
            });
            assertThat(notifier.pending()).extracting(MailNotifier.Mail::subject).containsExactly(
                    "[LVS_DEVEL] VRRP Instance VI_3 - Entering MASTER state",
                    "[LVS_DEVEL] VRRP Instance VI_4 - Entering MASTER state");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void authExtensionLogsInAndAWrongPasswordDeliversNothing() {
        GreenMail auth = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("vigil@firewall.loc", "vigil", "s3cret"));
        auth.start();
        try {
            int server = auth.getSmtp().getPort();
            MailNotifier wrong = Typed.notifier(global("smtp.port", server, "smtp.user", "vigil",
                    ".smtp.password", "wrong", "notify.mail.tries", 1));
            try {
                wrong.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, false));
                await().atMost(Duration.ofSeconds(10)).until(() -> wrong.givenUp() == 1);
                assertThat(auth.getReceivedMessages()).isEmpty();
            } finally {
                wrong.deactivate();
            }
            notifier = Typed.notifier(global("smtp.port", server, "smtp.user", "vigil", ".smtp.password", "s3cret"));
            notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, false));
            await().atMost(Duration.ofSeconds(10)).until(() -> auth.getReceivedMessages().length == 2);
            assertThat(notifier.sent()).isEqualTo(1);
            // The settings are logged at activation: without the password.
            assertThat(Typed.settings(global("smtp.user", "vigil", ".smtp.password", "s3cret")).toString())
                    .doesNotContain("s3cret").contains("user=vigil");
        } finally {
            auth.stop();
        }
    }

    @Test
    void noMailWithoutRecipientsOrServer() {
        Map<String, Object> g = global();
        g.remove("smtp.server");
        notifier = Typed.notifier(g);
        notifier.transition(event(Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER, false));
        assertThat(notifier.pending()).isEmpty();
    }
}
