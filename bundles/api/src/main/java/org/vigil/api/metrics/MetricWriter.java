package org.vigil.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a {@link MetricSource} writes. Names follow Prometheus' rules ({@code [a-zA-Z_:][a-zA-Z0-9_:]*};
 * a counter's name ends in {@code _total}); label values may hold any text, the writer escapes them.
 */
@ProviderType
public interface MetricWriter {

    enum Type {
        GAUGE, COUNTER,
        /** @since 0.2.0; its samples are written with {@link MetricWriter#histogram} */
        HISTOGRAM
    }

    /** Starts a family: its samples follow. */
    void family(String name, Type type, String help);

    /**
     * One sample of the current family.
     *
     * @param labels label names and values, alternating: {@code "iname", "VI_1", "vrid", "51"}
     */
    void sample(double value, String... labels);

    /**
     * One histogram of the current family (of type {@link Type#HISTOGRAM}): its {@code _bucket}
     * samples with {@code le}, {@code _sum} and {@code _count}.
     *
     * @since 0.2.0
     */
    default void histogram(Histogram.Snapshot histogram, String... labels) {
        throw new UnsupportedOperationException("this writer takes no histograms");
    }
}
