package org.vigil.notify.mail.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vigil.api.vrrp.ConfigurationPids.Global;

/**
 * The keepalived global_defs mail settings (PID org.vigil.global, as the config bridge writes
 * them) plus Vigil's extensions from PID {@value MailNotifier#PID}: smtp.starttls, smtp.user,
 * smtp.password, smtp.ssl.trust, notify.mail.queue, notify.mail.tries, notify.mail.retry.delay.ms.
 * The password is kept out of {@link #toString()}.
 */
record MailSettings(String routerId, List<String> to, String from, String host, int port, long connectTimeoutMs,
        String heloName, boolean smtpAlert, Boolean smtpAlertVrrp, boolean noEmailFaults, boolean startTls,
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

    static MailSettings from(Map<String, ?> p) {
        String hostName = hostName();
        String server = string(p.get(Global.SMTP_SERVER));
        String host = null;
        int port = DEFAULT_PORT;
        if (server != null) {
            String[] words = server.strip().split("\\s+");
            host = words[0];
            if (words.length > 1) {
                port = Integer.parseInt(words[1]);
            }
        }
        String from = string(p.get(Global.NOTIFICATION_EMAIL_FROM));
        String routerId = string(p.get(Global.ROUTER_ID));
        String helo = string(p.get(Global.SMTP_HELO_NAME));
        Object alertVrrp = p.get("smtp.alert.vrrp");
        return new MailSettings(routerId != null ? routerId : hostName, strings(p.get(Global.NOTIFICATION_EMAIL)),
                from != null ? from : System.getProperty("user.name") + "@" + hostName, host, port,
                number(p.get(Global.SMTP_CONNECT_TIMEOUT_MS), DEFAULT_CONNECT_TIMEOUT_MS),
                helo != null ? helo : hostName, bool(p.get(Global.SMTP_ALERT)),
                alertVrrp == null ? null : bool(alertVrrp), bool(p.get("no.email.faults")),
                bool(p.get("smtp.starttls")), string(p.get("smtp.user")), string(p.get("smtp.password")),
                string(p.get("smtp.ssl.trust")), (int) number(p.get("notify.mail.queue"), DEFAULT_QUEUE),
                (int) Math.max(1, number(p.get("notify.mail.tries"), DEFAULT_TRIES)),
                number(p.get("notify.mail.retry.delay.ms"), DEFAULT_RETRY_DELAY_MS));
    }

    /** Whether a transition of an instance or group without its own smtp_alert setting is mailed. */
    boolean defaultAlert() {
        return smtpAlertVrrp != null ? smtpAlertVrrp : smtpAlert;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String string(Object v) {
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v).strip();
    }

    static boolean bool(Object v) {
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(String.valueOf(v).strip());
    }

    private static long number(Object v, long fallback) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        return v == null ? fallback : Long.parseLong(String.valueOf(v).strip());
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (v instanceof Iterable<?> it) {
            it.forEach(o -> out.add(String.valueOf(o)));
        } else if (v != null) {
            out.add(String.valueOf(v));
        }
        out.replaceAll(String::strip);
        out.removeIf(String::isEmpty);
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "MailSettings[to=" + to + ", from=" + from + ", server=" + host + ":" + port + ", helo=" + heloName
                + ", starttls=" + startTls + ", user=" + user + (password != null ? ", password=***" : "") + "]";
    }
}
