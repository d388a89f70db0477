package org.vigil.api.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Prometheus histogram of durations, cheap enough for the election thread: {@link #record}
 * allocates nothing and takes no lock (a few array writes), and any thread may take a
 * {@link #snapshot} for a scrape. Bucket bounds are fixed at construction, in seconds.
 *
 * @since 0.2.0
 */
public final class Histogram {
    private final double[] bounds;
    private final long[] boundsMicros;
    /** One count per bucket (not cumulative), the last one above every bound; then the sum in µs. */
    private final AtomicLongArray counts;
    private final int sumIndex;

    /** @param upperBoundsSeconds increasing bucket bounds; +Inf is added */
    public Histogram(double... upperBoundsSeconds) {
        bounds = upperBoundsSeconds.clone();
        boundsMicros = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(bounds));
            }
            boundsMicros[i] = Math.round(bounds[i] * 1e6);
        }
        sumIndex = bounds.length + 1;
        counts = new AtomicLongArray(sumIndex + 1);
    }

    /** Counts one observation of {@code micros} (negative counts as 0: a timer that fired early). */
    public void record(long micros) {
        long v = Math.max(0, micros);
        int i = 0;
        while (i < boundsMicros.length && v > boundsMicros[i]) {
            i++;
        }
        counts.getAndIncrement(i);
        counts.getAndAdd(sumIndex, v);
    }

    public Snapshot snapshot() {
        long[] cumulative = new long[bounds.length + 1];
        long running = 0;
        for (int i = 0; i <= bounds.length; i++) {
            running += counts.get(i);
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, counts.get(sumIndex) / 1e6);
    }

    /**
     * @param upperBounds     the bucket bounds in seconds, without +Inf
     * @param cumulative      observations at or below each bound, then the total (the +Inf bucket)
     * @param sumSeconds      the sum of all observations
     */
    public record Snapshot(double[] upperBounds, long[] cumulative, double sumSeconds) {
        public long count() {
            return cumulative[cumulative.length - 1];
        }
    }
}
