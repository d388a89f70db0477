package org.vigil.notify.mail.internal;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * One SMTP delivery through Angus Mail, embedded privately in this bundle. Like keepalived it
 * says HELO (not EHLO) with smtp_helo_name, unless the Vigil STARTTLS or AUTH extension is on,
 * which needs EHLO. The message is handed over byte for byte as {@link MailFormat} wrote it.
 */
final class SmtpSender {

    private SmtpSender() {
    }

    static void send(MailSettings s, byte[] message) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", s.host());
        props.put("mail.smtp.port", Integer.toString(s.port()));
        props.put("mail.smtp.connectiontimeout", Long.toString(s.connectTimeoutMs()));
        props.put("mail.smtp.timeout", Long.toString(s.connectTimeoutMs()));
        props.put("mail.smtp.localhost", s.heloName());
        props.put("mail.smtp.from", MailFormat.envelopeAddress(s.from()));
        boolean extended = s.startTls() || s.user() != null;
        props.put("mail.smtp.ehlo", Boolean.toString(extended));
        if (s.startTls()) {
            // Asked for TLS: never fall back to plain text.
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            props.put("mail.smtp.ssl.checkserveridentity", "true");
            if (s.sslTrust() != null) {
                props.put("mail.smtp.ssl.trust", s.sslTrust());
            }
        }
        if (s.user() != null) {
            props.put("mail.smtp.auth", "true");
        }
        List<String> rcpts = s.to().stream().map(MailFormat::envelopeAddress).toList();
        Address[] addresses = new Address[rcpts.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = new InternetAddress(rcpts.get(i), false);
        }
        // jakarta.mail finds its providers through the context class loader (osgi-stack.md pitfall 10).
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SmtpSender.class.getClassLoader());
        try {
            Session session = Session.getInstance(props);
            MimeMessage mime = new MimeMessage(session, new ByteArrayInputStream(message));
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(s.host(), s.port(), s.user(), s.password());
                transport.sendMessage(mime, addresses);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
