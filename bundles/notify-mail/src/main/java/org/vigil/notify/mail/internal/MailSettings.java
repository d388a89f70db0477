package org.vigil.notify.mail.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The keepalived global_defs mail settings ({@link MailNotifier.Global}, PID org.vigil.global, as
 * the config bridge writes them) plus Vigil's extensions ({@link MailNotifier.Config}, PID
 * {@value MailNotifier#PID}). The password is kept out of {@link #toString()}.
 *
 * @param defaultAlert whether a transition of an instance or group without a configuration of
 *        its own is mailed (smtp_alert_vrrp, else smtp_alert: the bridge resolves it)
 */
record MailSettings(String routerId, List<String> to, String from, String host, int port, long connectTimeoutMs,
        String heloName, boolean defaultAlert, boolean noEmailFaults, boolean startTls,
        String user, String password, String sslTrust, int queueSize, int tries, long retryDelayMs) {

    static final int DEFAULT_PORT = 25;
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
    static final int DEFAULT_QUEUE = 64;
    static final int DEFAULT_TRIES = 3;
    static final long DEFAULT_RETRY_DELAY_MS = 2_000;

    /** keepalived sends nothing unless both notification_email and smtp_server are set. */
    boolean enabled() {
        return !to.isEmpty() && host != null;
    }

    static MailSettings from(MailNotifier.Global g, MailNotifier.Config ext) {
        String hostName = hostName();
        String from = string(g.notification_email_from());
        String routerId = string(g.router_id());
        String helo = string(g.smtp_helo_name());
        return new MailSettings(routerId != null ? routerId : hostName, strings(g.notification_email()),
                from != null ? from : System.getProperty("user.name") + "@" + hostName, string(g.smtp_server()),
                g.smtp_port(), g.smtp_connect_timeout_ms(), helo != null ? helo : hostName, g.smtp_alert_vrrp(),
                g.no_email_faults(), ext.smtp_starttls(), string(ext.smtp_user()), string(ext._smtp_password()),
                string(ext.smtp_ssl_trust()), ext.notify_mail_queue(), Math.max(1, ext.notify_mail_tries()),
                ext.notify_mail_retry_delay_ms());
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String string(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static List<String> strings(String[] v) {
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v) {
                if (s != null && !s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "MailSettings[to=" + to + ", from=" + from + ", server=" + host + ":" + port + ", helo=" + heloName
                + ", starttls=" + startTls + ", user=" + user + (password != null ? ", password=***" : "") + "]";
    }
}
