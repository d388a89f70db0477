package org.vigil.notify.mail.internal;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.vigil.api.check.CheckEvent;

import org.vigil.api.vrrp.TransitionEvent.Kind;

/**
 * The message keepalived's SMTP client writes (keepalived-behaviour.md a.2): Date, From, Subject,
 * X-Mailer and To headers in that order, CRLF line ends, recipients continued with ",CRLF ", a
 * blank line, the body, a blank line. Subjects "[router_id] VRRP Instance|Group name - event".
 */
final class MailFormat {

    /** strftime "%a, %d %b %Y %H:%M:%S %z" in the C locale. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);
    private static final String CRLF = "\r\n";

    /** What is mailed about, keepalived's events. */
    enum Event {
        MASTER("Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=",
                "=> All VRRP group instances are now in MASTER state <="),
        BACKUP("Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <=",
                "=> All VRRP group instances are now in BACKUP state <="),
        FAULT("Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <=",
                "=> All VRRP group instances are now in FAULT state <="),
        STOP("Stopping", "=> VRRP Instance stopping <=", "=> All VRRP group instances are now stopping <="),
        DELETED("Deleted", "=> VRRP Deleted at reload <=", "=> VRRP Deleted at reload <=");

        final String subject;
        final String instanceBody;
        final String groupBody;

        Event(String subject, String instanceBody, String groupBody) {
            this.subject = subject;
            this.instanceBody = instanceBody;
            this.groupBody = groupBody;
        }
    }

    private MailFormat() {
    }

    static String subject(String routerId, Kind kind, String name, Event event) {
        return "[" + routerId + "] VRRP " + (kind == Kind.GROUP ? "Group " : "Instance ") + name + " - "
                + event.subject;
    }

    static String body(Kind kind, Event event) {
        return kind == Kind.GROUP ? event.groupBody : event.instanceBody;
    }

    /**
     * A checker event's subject, as keepalived's checker writes it: "[router] Realserver RS of
     * virtual server VS - UP|DOWN", "[router] Virtualserver VS - UP|DOWN".
     */
    static String checkSubject(String routerId, CheckEvent e) {
        return switch (e.kind()) {
            case REAL_SERVER_UP, REAL_SERVER_DOWN -> "[" + routerId + "] Realserver " + e.realServer()
                    + " of virtual server " + e.virtualServer() + (e.kind() == CheckEvent.Kind.REAL_SERVER_UP
                            ? " - UP" : " - DOWN");
            case QUORUM_GAINED, QUORUM_LOST -> "[" + routerId + "] Virtualserver " + e.virtualServer()
                    + (e.kind() == CheckEvent.Kind.QUORUM_GAINED ? " - UP" : " - DOWN");
        };
    }

    /** Its body: each check type's own words for a real server, the quorum line for a virtual server. */
    static String checkBody(CheckEvent e) {
        boolean up = e.kind() == CheckEvent.Kind.REAL_SERVER_UP;
        return switch (e.kind()) {
            case REAL_SERVER_UP, REAL_SERVER_DOWN -> switch (e.checkType()) {
                case "TCP_CHECK" -> up ? "=> TCP CHECK succeed on service <=" : "=> TCP CHECK failed on service <=";
                case "HTTP_GET", "SSL_GET" -> up ? "=> CHECK succeed on service <="
                        : "=> CHECK failed on service : HTTP/SSL request failed <=";
                case "MISC_CHECK" -> up ? "=> MISC CHECK succeeded on service <=" : "=> MISC CHECK failed on service <=";
                case "UDP_CHECK" -> up ? "=> UDP CHECK succeed on service <=" : "=> UDP CHECK failed on service <=";
                case "PING_CHECK" -> up ? "=> ICMP CHECK succeed on service <=" : "=> ICMP CHECK failed on service <=";
                case "DNS_CHECK" -> up ? "=> DNS_CHECK: succeed on service <=" : "=> DNS_CHECK: failed on service <=";
                default -> up ? "=> CHECK succeed on service <=" : "=> CHECK failed on service <=";
            };
            // "Gained quorum 1+0=1 <= 2 for VS [..]" -> "=> Gained quorum 1+0=1 <= 2 <="
            case QUORUM_GAINED, QUORUM_LOST -> {
                String line = e.line();
                int vs = line.lastIndexOf(" for VS ");
                yield "=> " + (vs > 0 ? line.substring(0, vs) : line) + " <=";
            }
        };
    }

    /** The DATA content up to, not including, the terminating "." line. */
    static byte[] message(ZonedDateTime date, String from, List<String> to, String subject, String body) {
        String text = "Date: " + DATE.format(date) + CRLF
                + "From: " + from + CRLF
                + "Subject: " + subject + CRLF
                + "X-Mailer: Keepalived" + CRLF
                + "To: " + String.join("," + CRLF + " ", to) + CRLF
                + CRLF
                + body + CRLF
                + CRLF;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** keepalived uses only the part in angle brackets of "Name &lt;a@b&gt;" in MAIL and RCPT. */
    static String envelopeAddress(String address) {
        int open = address.indexOf('<');
        int close = address.lastIndexOf('>');
        if (open >= 0 && close > open) {
            return address.substring(open + 1, close).strip();
        }
        return address.strip();
    }
}
