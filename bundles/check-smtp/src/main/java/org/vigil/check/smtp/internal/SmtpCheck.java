package org.vigil.check.smtp.internal;

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
 * fails, and the other dialogues are then closed.
 */
final class SmtpCheck implements HealthCheck {
    private final SmtpSettings settings;
    private final AsynchronousChannelGroup group;
    private final String success;

    SmtpCheck(CheckSpec spec, SmtpSettings settings, AsynchronousChannelGroup group) {
        this.settings = settings;
        this.group = group;
        this.success = "Remote SMTP server " + spec.realServerText() + " succeed on service.";
    }

    SmtpSettings settings() {
        return settings;
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        List<SmtpDialogue> dialogues = new ArrayList<>();
        for (SmtpSettings.Target t : settings.targets()) {
            dialogues.add(new SmtpDialogue(t, settings.heloName(), group, context.scheduler()));
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
