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
