package org.vigil.check.misc.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.script.CommandLine;
import org.vigil.script.ScriptResult;
import org.vigil.script.ScriptRun;
import org.vigil.script.ScriptSecurity;

/** One prepared MISC_CHECK; its lines are keepalived's. */
final class MiscCheck implements HealthCheck {
    /** keepalived: exit status 2..255 sets the weight to status - 2 under misc_dynamic. */
    static final int DYNAMIC_OFFSET = 2;

    private static final Logger LOG = LoggerFactory.getLogger(MiscCheck.class);

    private final MiscCheckType type;
    private final CommandLine command;
    private final org.vigil.script.RunAs user;
    private final Duration timeout;
    private final boolean dynamic;
    /** "Misc check for [[rs] VS [vs]] by [script]". */
    private final String prefix;
    /** The decision and the global_defs it was made under; re-made when those change. */
    private final AtomicReference<Decided> decided;

    /** decision null: refused under these globals, for {@code refusal}; not decided (nor logged) again until they change. */
    private record Decided(MiscCheckType.Globals globals, ScriptSecurity.Decision decision, String refusal) {
    }

    MiscCheck(CheckSpec spec, MiscCheckType type, CommandLine command, org.vigil.script.RunAs user, long miscTimeoutSeconds,
            boolean dynamic, MiscCheckType.Globals globals, ScriptSecurity.Decision decision) {
        this.type = type;
        this.command = command;
        this.user = user;
        // keepalived's default misc_timeout is the delay_loop, which the SPI does not carry; the
        // checker cuts every attempt at connect_timeout anyway, so that is the default here
        this.timeout = miscTimeoutSeconds > 0 ? Duration.ofSeconds(miscTimeoutSeconds) : spec.connectTimeout();
        this.dynamic = dynamic;
        this.prefix = "Misc check for [" + spec.realServerText() + " VS " + spec.virtualServerText() + "] by ["
                + command.text() + "]";
        this.decided = new AtomicReference<>(new Decided(globals, decision, null));
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        AtomicReference<String> refused = new AtomicReference<>();
        // the argv is made on the runner's thread: a re-decision stats files and reads /etc/passwd
        ScriptRun run = type.runner().run(() -> argv(refused), timeout);
        CompletableFuture<CheckResult> result = run.result().toCompletableFuture()
                .thenApply(r -> verdict(r, refused.get()));
        // the checker cancels this stage at connect_timeout: stop the script with it
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                run.kill();
            }
        });
        return result;
    }

    /** The argument vector, decided again when global_defs changed since the last decision. */
    private List<String> argv(AtomicReference<String> refused) {
        Decided d = decided.get();
        MiscCheckType.Globals now = type.globals();
        if (!now.equals(d.globals())) {
            try {
                d = new Decided(now, type.decide(command, user, now), null);
            } catch (IllegalArgumentException e) {
                LOG.warn("{}", e.getMessage());
                d = new Decided(now, null, e.getMessage());
            }
            decided.set(d);
        }
        if (d.decision() == null) {
            refused.set(d.refusal());
            return null;
        }
        return d.decision().argv();
    }

    private CheckResult verdict(ScriptResult r, String refusal) {
        return switch (r.status()) {
            case EXITED -> exited(r.code());
            case SIGNALLED -> CheckResult.failure(prefix + " failed (signal " + r.code() + ").");
            case TIMED_OUT -> CheckResult.failure(prefix + " timed out.");
            case NOT_STARTED, REJECTED -> CheckResult.failure(prefix + " failed: "
                    + (refusal != null ? refusal : r.message() != null ? r.message() : r.status().name()) + ".");
        };
    }

    private CheckResult exited(int status) {
        String tail = " (exit status " + status + ").";
        if (status == 0) {
            return CheckResult.success(prefix + " succeeded" + tail);
        }
        if (dynamic && status >= DYNAMIC_OFFSET) {
            return new CheckResult(true, prefix + " succeeded" + tail, status - DYNAMIC_OFFSET);
        }
        return CheckResult.failure(prefix + " failed" + tail);
    }
}
