package org.vigil.api.check;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A prepared check of one real server. {@link #attempt} must not block the caller: it starts the
 * I/O (non-blocking sockets, an asynchronous HTTP client, a child process) and completes the stage
 * from its callbacks. The checker enforces {@link CheckSpec#connectTimeout()}: a stage still open
 * then counts as a timeout and is cancelled ({@code toCompletableFuture().cancel(true)}), which
 * the check should answer by closing what it opened. A stage completed exceptionally, or an
 * attempt that throws, fails this check only.
 */
@ConsumerType
public interface HealthCheck extends AutoCloseable {

    /** Starts one attempt; never more than one at a time per check. */
    CompletionStage<CheckResult> attempt(CheckContext context);

    /** The configuration changed or went away: release what {@link CheckType#prepare} made. */
    @Override
    default void close() {
    }
}
