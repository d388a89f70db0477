package org.vigil.notify.mail.internal;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckListener;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionEvent.Kind;
import org.vigil.api.vrrp.TransitionListener;
import org.vigil.notify.mail.internal.MailFormat.Event;

/**
 * keepalived's SMTP alerts as a {@link TransitionListener}. {@link #transition} formats the
 * message and queues it; a worker thread of its own delivers, with a few tries and a growing
 * delay. The queue is bounded: when it is full the oldest mail is dropped with a log line, so an
 * unreachable server costs log lines, never a stalled thread elsewhere.
 */
@Component(configurationPid = {ConfigurationPids.GLOBAL, MailNotifier.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {TransitionListener.class, CheckListener.class, MailNotifier.class})
public class MailNotifier implements TransitionListener, CheckListener {

    /**
     * Vigil's extension settings (PID {@value #PID}); the keepalived settings come from the
     * bridge's global configuration ({@link Global}). Both read by {@link MailSettings}.
     */
    // bnd allows @Designate only on single-PID components: each OCD names its PID itself.
    @ObjectClassDefinition(pid = PID, name = "Vigil SMTP alerts",
            description = "Vigil extensions to keepalived's SMTP alerts")
    @interface Config {
        @AttributeDefinition(description = "STARTTLS required (never falls back to plain text)")
        boolean smtp_starttls() default false;

        @AttributeDefinition(required = false,
                description = "Hosts whose TLS certificate is trusted (Angus mail.smtp.ssl.trust)")
        String smtp_ssl_trust();

        @AttributeDefinition(required = false, description = "SMTP AUTH user; AUTH is used when set")
        String smtp_user();

        /**
         * Key {@code .smtp.password}: DS copies a component's properties onto its service
         * registration except those starting with a full stop, so without it the password would
         * be a service property any bundle (and Gogo's {@code inspect}) could read.
         */
        @AttributeDefinition(required = false, type = AttributeType.PASSWORD,
                description = "SMTP AUTH password (key .smtp.password: private to the component)")
        String _smtp_password();

        @AttributeDefinition(description = "Mails waiting for delivery; the oldest is dropped beyond this")
        int notify_mail_queue() default MailSettings.DEFAULT_QUEUE;

        @AttributeDefinition(description = "Delivery tries per mail")
        int notify_mail_tries() default MailSettings.DEFAULT_TRIES;

        @AttributeDefinition(description = "Delay before the second try, doubled for each further try, ms")
        long notify_mail_retry_delay_ms() default MailSettings.DEFAULT_RETRY_DELAY_MS;
    }

    /**
     * The global_defs keywords the SMTP alerts read (PID org.vigil.global, written by the bridge;
     * the same configuration's election keywords are the core's form, its script keywords
     * notify-script's). No secret here: SMTP AUTH is Vigil's extension ({@link Config}).
     */
    @ObjectClassDefinition(pid = ConfigurationPids.GLOBAL, name = "Global definitions: SMTP alerts",
            description = "global_defs of keepalived.conf, as the SMTP alerts read it")
    @interface Global {
        @AttributeDefinition(required = false, description = "router_id: in the subject; empty: the host name")
        String router_id() default "";

        @AttributeDefinition(required = false, description = "notification_email: the recipients; none: no mail")
        String[] notification_email() default {};

        @AttributeDefinition(required = false, description = "notification_email_from; empty: user@host")
        String notification_email_from() default "";

        @AttributeDefinition(required = false, description = "smtp_server's host; empty: no mail")
        String smtp_server() default "";

        @AttributeDefinition(description = "smtp_server's port")
        int smtp_port() default MailSettings.DEFAULT_PORT;

        @AttributeDefinition(description = "smtp_connect_timeout in ms, also the read timeout")
        long smtp_connect_timeout_ms() default MailSettings.DEFAULT_CONNECT_TIMEOUT_MS;

        @AttributeDefinition(required = false, description = "smtp_helo_name; empty: the host name")
        String smtp_helo_name() default "";

        @AttributeDefinition(description = "smtp_alert_vrrp (else smtp_alert), resolved by the bridge: mail "
                + "an instance or group that has no configuration of its own")
        boolean smtp_alert_vrrp() default false;

        @AttributeDefinition(description = "no_email_faults: no mail for FAULT")
        boolean no_email_faults() default false;
    }

    /** Vigil's own mail settings (STARTTLS, AUTH, queue, tries), apart from the bridge's global PID. */
    static final String PID = "org.vigil.notify.mail";

    /** How long deactivation waits for queued mails. */
    static final long DRAIN_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(MailNotifier.class);

    /** One mail waiting for delivery. */
    record Mail(String subject, byte[] content) {
    }

    private final MailSettings settings;
    private final LinkedBlockingDeque<Mail> queue;
    private final Thread worker;
    private final Map<String, Boolean> alerts = new ConcurrentHashMap<>();
    private final Map<String, Event> lastMailed = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();
    private volatile boolean stopped;

    @Activate
    public MailNotifier(Config extension, Global global) {
        this(MailSettings.from(global, extension));
    }

    MailNotifier(MailSettings settings) {
        this.settings = settings;
        this.queue = new LinkedBlockingDeque<>(Math.max(1, settings.queueSize()));
        this.worker = new Thread(this::deliverLoop, "vigil-notify-mail");
        worker.setDaemon(true);
        if (settings.enabled()) {
            LOG.info("SMTP alerts enabled: {}", settings);
            worker.start();
        }
    }

    /**
     * At shutdown the core stops first (higher start level) and reports STOP: the "Stopping" mails
     * get a bounded time to go out (one try each) before the framework exits.
     */
    @Deactivate
    void deactivate() {
        stopped = true;
        if (worker.isAlive()) {
            try {
                worker.join(DRAIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                LOG.warn("{} SMTP alerts not sent at shutdown", queue.size() + 1);
                worker.interrupt();
            }
        }
    }

    /** smtp_alert of one instance or group (the bridge resolves it against the global settings). */
    void setAlert(Kind kind, String name, boolean alert) {
        alerts.put(key(kind, name), alert);
    }

    void removed(Kind kind, String name, boolean deleted) {
        Boolean alert = alerts.remove(key(kind, name));
        if (deleted && Boolean.TRUE.equals(alert)) {
            mail(kind, name, Event.DELETED, ZonedDateTime.now());
        }
    }

    @Override
    public void transition(TransitionEvent e) {
        if (e.deleted()) {
            return; // mailed as "Deleted" when the configuration goes (removed)
        }
        Event event;
        if (e.stopping()) {
            event = Event.STOP;
        } else if (e.to() == InstanceState.INIT) {
            return;
        } else {
            event = Event.valueOf(e.to().name());
        }
        if (!alerts.getOrDefault(key(e.kind(), e.name()), settings.defaultAlert())) {
            return;
        }
        mail(e.kind(), e.name(), event, e.time().atZone(ZoneId.systemDefault()));
    }

    /**
     * The checker's events, mailed when their smtp_alert asks (the bridge resolved it against
     * smtp_alert_checker and smtp_alert of global_defs). Each event is one transition already, so
     * there is nothing to suppress here.
     */
    @Override
    public void changed(CheckEvent e) {
        if (!settings.enabled() || !e.smtpAlert()) {
            return;
        }
        String subject = MailFormat.checkSubject(settings.routerId(), e);
        enqueue(new Mail(subject, MailFormat.message(ZonedDateTime.now(), settings.from(), settings.to(), subject,
                MailFormat.checkBody(e))));
    }

    private void mail(Kind kind, String name, Event event, ZonedDateTime when) {
        if (!settings.enabled() || settings.noEmailFaults() && event == Event.FAULT) {
            return;
        }
        // keepalived mails a state once, not again until it changes.
        if (lastMailed.put(key(kind, name), event) == event) {
            return;
        }
        String subject = MailFormat.subject(settings.routerId(), kind, name, event);
        enqueue(new Mail(subject, MailFormat.message(when, settings.from(), settings.to(), subject,
                MailFormat.body(kind, event))));
    }

    private void enqueue(Mail mail) {
        while (!queue.offerLast(mail)) {
            Mail dropped = queue.pollFirst();
            if (dropped != null) {
                LOG.warn("SMTP queue full ({} mails), dropping the oldest: {}", settings.queueSize(),
                        dropped.subject());
            }
        }
    }

    /** Mails waiting, for tests and status. */
    List<Mail> pending() {
        return List.copyOf(queue);
    }

    /** Mails delivered since activation. */
    long sent() {
        return sent.get();
    }

    /** Mails given up on after every try. */
    long givenUp() {
        return givenUp.get();
    }

    private void deliverLoop() {
        while (!stopped || !queue.isEmpty()) {
            Mail mail;
            try {
                mail = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (mail != null) {
                deliver(mail);
            }
        }
    }

    private void deliver(Mail mail) {
        long delay = settings.retryDelayMs();
        for (int attempt = 1; attempt <= settings.tries(); attempt++) {
            try {
                SmtpSender.send(settings, mail.content());
                LOG.info("Remote SMTP server [{}]:{} connected. SMTP alert successfully sent: {}", settings.host(),
                        settings.port(), mail.subject());
                sent.incrementAndGet();
                return;
            } catch (Exception e) {
                LOG.warn("SMTP alert \"{}\" to [{}]:{} failed (try {} of {}): {}", mail.subject(), settings.host(),
                        settings.port(), attempt, settings.tries(), e.toString());
            }
            if (attempt < settings.tries() && !stopped) {
                try {
                    TimeUnit.MILLISECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                delay *= 2;
            }
        }
        LOG.error("SMTP alert \"{}\" not sent, giving up", mail.subject());
        givenUp.incrementAndGet();
    }

    private static String key(Kind kind, String name) {
        return kind + "/" + name;
    }
}
