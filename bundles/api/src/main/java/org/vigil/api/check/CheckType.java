package org.vigil.api.check;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One kind of health check, registered as a service with the property {@value #TYPE_PROPERTY}
 * naming the keepalived block it handles ({@code TCP_CHECK}, {@code HTTP_GET}, ...). The checker
 * binds these services dynamically: a type that appears starts the checks waiting for it, and a
 * type that goes away leaves its checks "checker missing" (never down; the pool does not change).
 *
 * <p>The checker owns scheduling ({@code delay_loop}, {@code retry}, {@code delay_before_retry},
 * {@code warmup}), the timeout, the pool and the notifications. A type only runs one attempt at a
 * time against one real server.
 */
@ConsumerType
public interface CheckType {

    /** Service property: the keepalived block name, upper case, e.g. "TCP_CHECK". String. */
    String TYPE_PROPERTY = "vigil.check.type";

    /**
     * Prepares one configured check, once per configuration (again after a reload that changed
     * it). Validate here, not in each attempt.
     *
     * @throws IllegalArgumentException for a block the type cannot run; the message is logged
     *         with the block's file:line and should read like keepalived's
     */
    HealthCheck prepare(CheckSpec spec);

    /**
     * The name in the checker's summary line, "{@code <name> on service [rs] failed after N
     * retries.}": keepalived says HTTP_CHECK for HTTP_GET and SSL_CHECK for SSL_GET.
     */
    default String logName(CheckSpec spec) {
        return spec.type();
    }
}
