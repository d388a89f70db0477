package org.vigil.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void observationsLandInTheirBucketCumulativelyWithSumAndCount() {
        Histogram h = new Histogram(0.001, 0.01, 0.1);
        h.record(-50); // early: 0
        h.record(1_000); // exactly on the bound: le="0.001"
        h.record(1_001);
        h.record(250_000); // above every bound: +Inf only
        Histogram.Snapshot s = h.snapshot();
        assertThat(s.upperBounds()).containsExactly(0.001, 0.01, 0.1);
        assertThat(s.cumulative()).containsExactly(2, 3, 3, 4);
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.sumSeconds()).isEqualTo(0.252001);
        assertThatThrownBy(() -> new Histogram(0.1, 0.01)).isInstanceOf(IllegalArgumentException.class);
    }
}
