package org.vigil.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.vrrp.VrrpService;

/**
 * The notifiers inside Felix: the mail notifier, with jakarta.mail and Angus Mail embedded in its
 * bundle, mails an election to a real SMTP server, and the script notifier runs the notify
 * scripts. GreenMail runs host-side in the same JVM (native container; {@link HostSideSmtp} is
 * never loaded inside the framework); the test inside the framework reads what it received
 * through a java.util.function.Supplier left in the system properties.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NotifyMailIT {
    private static final String RECEIVED = "vigil.it.greenmail.received";
    private static final String RECORD = "vigil.it.notify.record";

    @Inject
    VrrpService vrrp;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        int smtpPort = HostSideSmtp.start(RECEIVED);

        int lanPort = 45_000 + 16 * (int) (Math.random() * 100);
        System.setProperty("vigil.it.mail.lanPort", Integer.toString(lanPort));
        Path dir = Files.createTempDirectory("vigil-notify-it-");
        Path record = dir.resolve("record.txt");
        System.setProperty(RECORD, record.toString());
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + record + "\n");
        script.toFile().setExecutable(true);
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, String.join("\n",
                "global_defs {",
                "    router_id vigil_mail_it",
                "    notification_email {",
                "        Ops Team <ops@example.com>",
                "    }",
                "    notification_email_from vigil@example.com",
                "    smtp_server 127.0.0.1 " + smtpPort,
                "    smtp_helo_name vigil-it",
                "    smtp_connect_timeout 5",
                "}",
                "vrrp_instance VI_M {",
                "    state BACKUP",
                "    interface lan0",
                "    virtual_router_id 61",
                "    priority 100",
                "    advert_int 0.1",
                "    smtp_alert",
                "    notify_master \"" + script + " master 'two words'\"",
                "    notify " + script,
                "    virtual_ipaddress {",
                "        192.0.2.239/24",
                "    }",
                "}", ""));
        return options(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty("vigil.config.file").value(conf.toString()),
                VigilBundles.infrastructure(),
                VigilBundles.ours("api", "codec", "script", "auth", "driver.sim", "core", "config", "notify.mail", "notify.script"),
                junitBundles());
    }



    @Test
    @SuppressWarnings("unchecked")
    public void anElectionIsMailedAndScriptedAsKeepalivedDoesIt() throws Exception {
        // The simulated driver on a LAN of its own: nobody else there, so VI_M becomes MASTER.
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("org.vigil.driver.sim", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("lan.port", Integer.getInteger("vigil.it.mail.lanPort"));
        p.put("node", "vigil");
        p.put("interfaces", new String[] { "lan0 192.0.2.11/24 fe80::11" });
        c.update(p);

        Supplier<List<String>> received = (Supplier<List<String>>) System.getProperties().get(RECEIVED);
        String subject = "Subject: [vigil_mail_it] VRRP Instance VI_M - Entering MASTER state\r\n";
        long deadline = System.currentTimeMillis() + 20_000;
        String master = null;
        while (master == null && System.currentTimeMillis() < deadline) {
            master = received.get().stream().filter(m -> m.contains(subject)).findFirst().orElse(null);
            if (master == null) {
                Thread.sleep(100);
            }
        }
        if (master == null) {
            fail("no MASTER mail; received: " + received.get());
        }
        String ours = master.substring(master.indexOf("Date: "));
        assertTrue(ours, ours.matches("(?s)Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} "
                + "\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n"
                + "From: vigil@example.com\r\n"
                + "Subject: \\[vigil_mail_it\\] VRRP Instance VI_M - Entering MASTER state\r\n"
                + "X-Mailer: Keepalived\r\n"
                + "To: Ops Team <ops@example.com>\r\n"
                + "\r\n"
                + "=> VRRP Instance is now owning VRRP VIPs <=\r\n.*"));
        assertTrue(master, master.contains("Return-Path: <vigil@example.com>"));
        assertTrue(master, master.contains("vigil-it"));

        // notify-script, from the same keepalived.conf: notify_master with its own arguments, the
        // generic notify with keepalived's four.
        Path record = Path.of(System.getProperty(RECORD));
        long scriptDeadline = System.currentTimeMillis() + 10_000;
        List<String> lines = List.of();
        while (System.currentTimeMillis() < scriptDeadline
                && !(lines.contains("master two words") && lines.contains("INSTANCE VI_M MASTER 100"))) {
            Thread.sleep(100);
            lines = Files.exists(record) ? Files.readAllLines(record) : List.of();
        }
        assertTrue(lines.toString(), lines.contains("master two words"));
        assertTrue(lines.toString(), lines.contains("INSTANCE VI_M BACKUP 100"));
        assertTrue(lines.toString(), lines.contains("INSTANCE VI_M MASTER 100"));
    }
}
