package org.vigil.checker.internal;

import java.util.List;
import java.util.Objects;

import org.vigil.script.RunAs;

/**
 * One virtual_server as the bridge wrote it, already typed. Times in seconds; a negative retry,
 * delay_before_retry, warmup or connect_timeout means "not set here" (the real server, the check
 * block, then the type's default decide).
 *
 * @param key  {@link org.vigil.api.check.CheckerPids#VIRTUAL_SERVER_KEY}, its identity only (compared, never parsed)
 * @param service what the virtual server stands for, from its typed attributes
 * @param text the virtual server as keepalived logs it
 * @param quorumUpUser who runs quorum_up, null for script_user or the default
 * @param scriptUser global_defs script_user, null for keepalived's default
 * @param scriptSecurity global_defs enable_script_security
 * @param smtpAlert mail quorum changes (smtp_alert, default global_defs smtp_alert_checker, else false)
 */
record VsSettings(String key, VsService service, String text, String protocol, double delayLoop, String scheduler,
        List<String> schedulerFlags, String method, long persistenceTimeout, String persistenceGranularity,
        int quorum, int hysteresis, String quorumUp, String quorumDown, boolean sorryInhibit,
        String sorryMethod, boolean inhibitOnFailure, boolean alpha, boolean omega, boolean haSuspend, int retry,
        double delayBeforeRetry, double warmup, double connectTimeout, String virtualhost, String notifyFifo,
        String origin, boolean smtpAlert, RunAs quorumUpUser, RunAs quorumDownUser, RunAs scriptUser,
        boolean scriptSecurity) {

    VsSettings {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(text, "text");
        schedulerFlags = List.copyOf(schedulerFlags);
    }

    VsSettings withDelayLoop(double seconds) {
        return new VsSettings(key, service, text, protocol, seconds, scheduler, schedulerFlags, method, persistenceTimeout,
                persistenceGranularity, quorum, hysteresis, quorumUp, quorumDown, sorryInhibit, sorryMethod,
                inhibitOnFailure, alpha, omega, haSuspend, retry, delayBeforeRetry, warmup, connectTimeout,
                virtualhost, notifyFifo, origin, smtpAlert, quorumUpUser, quorumDownUser, scriptUser, scriptSecurity);
    }

    VsSettings withQuorum(int q, int h) {
        return new VsSettings(key, service, text, protocol, delayLoop, scheduler, schedulerFlags, method, persistenceTimeout,
                persistenceGranularity, q, h, quorumUp, quorumDown, sorryInhibit, sorryMethod, inhibitOnFailure, alpha,
                omega, haSuspend, retry, delayBeforeRetry, warmup, connectTimeout, virtualhost, notifyFifo, origin, smtpAlert, quorumUpUser, quorumDownUser, scriptUser, scriptSecurity);
    }

    VsSettings withFlags(boolean inhibit, boolean alphaFlag) {
        return new VsSettings(key, service, text, protocol, delayLoop, scheduler, schedulerFlags, method, persistenceTimeout,
                persistenceGranularity, quorum, hysteresis, quorumUp, quorumDown, sorryInhibit, sorryMethod, inhibit,
                alphaFlag, omega, haSuspend, retry, delayBeforeRetry, warmup, connectTimeout, virtualhost, notifyFifo,
                origin, smtpAlert, quorumUpUser, quorumDownUser, scriptUser, scriptSecurity);
    }

    VsSettings withNotifyFifo(String path) {
        return new VsSettings(key, service, text, protocol, delayLoop, scheduler, schedulerFlags, method, persistenceTimeout,
                persistenceGranularity, quorum, hysteresis, quorumUp, quorumDown, sorryInhibit, sorryMethod,
                inhibitOnFailure, alpha, omega, haSuspend, retry, delayBeforeRetry, warmup, connectTimeout,
                virtualhost, path, origin, smtpAlert, quorumUpUser, quorumDownUser, scriptUser, scriptSecurity);
    }

    VsSettings withTimers(int retryCount, double dbr, double warmupSeconds, double connectTimeoutSeconds) {
        return new VsSettings(key, service, text, protocol, delayLoop, scheduler, schedulerFlags, method, persistenceTimeout,
                persistenceGranularity, quorum, hysteresis, quorumUp, quorumDown, sorryInhibit, sorryMethod,
                inhibitOnFailure, alpha, omega, haSuspend, retryCount, dbr, warmupSeconds, connectTimeoutSeconds,
                virtualhost, notifyFifo, origin, smtpAlert, quorumUpUser, quorumDownUser, scriptUser, scriptSecurity);
    }
}
