package org.vigil.core.internal;

import java.util.function.Supplier;

import org.vigil.api.config.PropertyTypes;

/**
 * Errors in a typed configuration named by attribute. Declarative Services converts a
 * configuration into its Config annotation lazily: a value that does not convert fails only when
 * its method is called. {@link #check} calls them all first so that the error names the property
 * ({@link PropertyTypes#check}, shared with the checker).
 */
final class TypedAttributes {
    private TypedAttributes() {
    }

    /** Calls every attribute method of {@code config}; the first that fails is reported by its property key. */
    static <A extends java.lang.annotation.Annotation> A check(A config) {
        return PropertyTypes.check(config);
    }

    /**
     * What {@code read} makes of a configuration, or null after the one log line that names the
     * PID and the attribute: {@code Configuration PID: attribute KEY: PROBLEM; WHAT OUTCOME}.
     *
     * @param pid the configuration's service.pid
     * @param what what the configuration is, e.g. "instance", "vrrp_script"
     * @param outcome what happens instead, e.g. "not started", "kept as it was"
     */
    static <T> T readOrLog(org.slf4j.Logger log, String pid, String what, String outcome, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            log.error("Configuration {}: {}; {} {}", pid, e.getMessage(), what, outcome);
            return null;
        }
    }

    /** The configuration's service.pid, or the PID it is of when it has none (a test). */
    static String pid(java.util.Map<String, ?> properties, String fallback) {
        Object pid = properties.get(org.osgi.framework.Constants.SERVICE_PID);
        return pid == null ? fallback : String.valueOf(pid);
    }

    /** A value checked beyond its type: the error names the attribute. */
    static <T> T attribute(String key, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attribute " + key + ": " + e.getMessage(), e);
        }
    }

    /** A required String attribute. */
    static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("attribute " + key + ": required");
        }
        return value.trim();
    }
}
