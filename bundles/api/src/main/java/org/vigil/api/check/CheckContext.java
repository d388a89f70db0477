package org.vigil.api.check;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.annotation.versioning.ProviderType;

/** What the checker lends an attempt. */
@ProviderType
public interface CheckContext {

    /**
     * Runs short, non-blocking follow-up work (parsing a reply, completing the stage). A few
     * threads serve every check of the daemon: never block on it.
     */
    Executor executor();

    /** For a check's own short timers (an SMTP dialogue step, a UDP retry); same rule as {@link #executor()}. */
    ScheduledExecutorService scheduler();

    /** The attempt number since the last success or failure verdict, from 1. */
    int attemptNumber();
}
