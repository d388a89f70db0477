package org.vigil.metrics.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.vigil.api.metrics.Histogram;
import org.vigil.api.metrics.MetricWriter;

/** Prometheus' text exposition format 0.0.4, written into a buffer for one scrape. */
final class PrometheusText implements MetricWriter {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out;
    private final Set<String> families = new HashSet<>();
    /** Label names already checked: a scrape of 510 instances writes some 26,000 of them, a handful of names. */
    private final Set<String> labelNames = new HashSet<>();
    private String current;

    PrometheusText() {
        this(4096);
    }

    /** @param expected the text's expected length (the last scrape's), so the buffer is not regrown */
    PrometheusText(int expected) {
        out = new StringBuilder(Math.max(4096, expected + expected / 8));
    }

    @Override
    public void family(String name, Type type, String help) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (!families.add(name)) {
            throw new IllegalArgumentException("family written twice: " + name);
        }
        current = name;
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append("\n# TYPE ").append(name).append(' ').append(type.name().toLowerCase(Locale.ROOT)).append('\n');
    }

    @Override
    public void sample(double value, String... labels) {
        write("", value, labels, null, null);
    }

    @Override
    public void histogram(Histogram.Snapshot h, String... labels) {
        double[] bounds = h.upperBounds();
        long[] cumulative = h.cumulative();
        for (int i = 0; i < bounds.length; i++) {
            write("_bucket", cumulative[i], labels, "le", number(bounds[i]));
        }
        write("_bucket", h.count(), labels, "le", "+Inf");
        write("_sum", h.sumSeconds(), labels, null, null);
        write("_count", h.count(), labels, null, null);
    }

    /** One line: the family's name with {@code suffix}, the labels and an optional last one. */
    private void write(String suffix, double v, String[] labels, String lastName, String lastValue) {
        if (current == null) {
            throw new IllegalStateException("a sample before its family");
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        out.append(current).append(suffix);
        if (labels.length > 0 || lastName != null) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!labelNames.contains(labels[i])) {
                    if (!LABEL_NAME.matcher(labels[i]).matches()) {
                        throw new IllegalArgumentException("not a label name: " + labels[i]);
                    }
                    labelNames.add(labels[i]);
                }
                out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"");
                escape(labels[i + 1] == null ? "" : labels[i + 1], true);
                out.append('"');
            }
            if (lastName != null) {
                out.append(labels.length == 0 ? "" : ",").append(lastName).append("=\"").append(lastValue).append('"');
            }
            out.append('}');
        }
        out.append(' ');
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v); // the common case (counters, states), without a String per sample
        } else {
            out.append(number(v));
        }
        out.append('\n');
    }

    /** Closes the current family: samples after this need a new one (a source's families are its own). */
    void endSource() {
        current = null;
    }

    String text() {
        return out.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** Backslash and newline always; the double quote in label values only (the format's rule). */
    private void escape(String s, boolean quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }
}
