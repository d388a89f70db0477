package org.vigil.check.smtp.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.nio.channels.AsynchronousChannelGroup;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/**
 * One prepared SMTP_CHECK: one dialogue per target (the block's connection and each deprecated
 * host block), all at once; the attempt fails with the first target, in configuration order, that
 * fails, and the other dialogues are then closed. Each dialogue ends itself just before the
 * checker's connect_timeout (or at a host block's own connect_timeout) with keepalived's timeout line.
 */
final class SmtpCheck implements HealthCheck {
    /** How much earlier than the checker's connect_timeout a dialogue gives up: at most this, at most a fifth of it. */
    static final Duration MARGIN = Duration.ofMillis(250);

    private final CheckSpec spec;
    private final SmtpSettings settings;
    private final AsynchronousChannelGroup group;
    private final String success;

    SmtpCheck(CheckSpec spec, SmtpSettings settings, AsynchronousChannelGroup group) {
        this.spec = spec;
        this.settings = settings;
        this.group = group;
        this.success = "Remote SMTP server " + spec.realServerText() + " succeed on service.";
    }

    SmtpSettings settings() {
        return settings;
    }

    /**
     * When a dialogue gives up on its own: a little before the checker's connect_timeout, so that
     * the attempt ends with keepalived's line ("SMTP_CHECK Read timeout from server ...") rather
     * than the checker's generic timeout line.
     */
    static Duration deadline(Duration connectTimeout) {
        Duration fifth = connectTimeout.dividedBy(5);
        return connectTimeout.minus(fifth.compareTo(MARGIN) < 0 ? fifth : MARGIN);
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        List<SmtpDialogue> dialogues = new ArrayList<>();
        Duration deadline = deadline(spec.connectTimeout());
        for (SmtpSettings.Target t : settings.targets()) {
            Duration own = t.timeout() == null || t.timeout().compareTo(deadline) > 0 ? deadline : t.timeout();
            dialogues.add(new SmtpDialogue(t, own, settings.heloName(), group, context.scheduler()));
        }
        // the checker cancels at connect_timeout; a failure ends the others early
        result.whenComplete((r, e) -> dialogues.forEach(SmtpDialogue::close));
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (SmtpDialogue d : dialogues) {
            CompletableFuture<String> f = d.start();
            outcomes.add(f);
            f.thenAccept(failure -> {
                if (failure != null) {
                    result.complete(CheckResult.failure(failure));
                }
            });
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenRun(() -> {
            for (CompletableFuture<String> f : outcomes) {
                String failure = f.join();
                if (failure != null) {
                    result.complete(CheckResult.failure(failure));
                    return;
                }
            }
            result.complete(CheckResult.success(success));
        });
        return result;
    }
}
