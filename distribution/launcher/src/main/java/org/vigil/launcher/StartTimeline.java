package org.vigil.launcher;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Where a start goes (issue 12's start-up budget), when {@code -Dvigil.start.timeline=true}
 * (through VIGIL_EXTRA_JAVA_OPTS): the JVM's uptime at each phase of the launcher (configuration
 * pre-parse, Felix init, bundle install or the kept cache, resolve) and at the end of each start
 * level (with the process's CPU time), and the bundles that took longest to resolve and start, logged in one line once the framework has reached its beginning start level. Off by
 * default: nothing is registered and nothing measured.
 */
final class StartTimeline implements SynchronousBundleListener, FrameworkListener {
    static final String PROPERTY = "vigil.start.timeline";

    private final long jvmStartNanos;
    private final KeepalivedLog log;
    private final List<String> marks = new ArrayList<>();
    private int level = -1;
    private long lastStarted;
    /**
     * Each bundle's activator (STARTING to STARTED), and the time between the previous bundle's
     * STARTED and this one's STARTING: the extenders' work on the previous one (SCR activating its
     * components) and the resolving of this one.
     */
    private final List<Step> steps = new ArrayList<>();
    private long starting;
    private String lastName;

    private record Step(String bundle, long nanos) {
    }

    private StartTimeline(KeepalivedLog log) {
        this.log = log;
        long uptimeMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        this.jvmStartNanos = System.nanoTime() - uptimeMillis * 1_000_000L;
    }

    /** A timeline when the property asks for one, else null (every call site checks). */
    static StartTimeline ifEnabled(KeepalivedLog log) {
        return Boolean.getBoolean(PROPERTY) ? new StartTimeline(log) : null;
    }

    synchronized void mark(String phase) {
        marks.add(phase + " " + seconds(System.nanoTime()));
    }

    void listen(BundleContext systemContext) {
        systemContext.addBundleListener(this);
        systemContext.addFrameworkListener(this);
    }

    @Override
    public synchronized void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type != BundleEvent.STARTING && type != BundleEvent.STARTED) {
            return;
        }
        long now = System.nanoTime();
        Bundle b = event.getBundle();
        if (type == BundleEvent.STARTING) {
            BundleStartLevel sl = b.adapt(BundleStartLevel.class);
            int l = sl == null ? 0 : sl.getStartLevel();
            if (l != level) {
                flushLevel();
                level = l;
            }
            if (lastStarted != 0) {
                // Felix resolving this bundle, after the extenders (SCR) handled the previous one
                steps.add(new Step("before " + b.getSymbolicName() + " (after " + lastName + ")", now - lastStarted));
            }
            starting = now;
        } else {
            steps.add(new Step(b.getSymbolicName() + " activator", now - starting));
            lastStarted = now;
            lastName = b.getSymbolicName();
        }
    }

    private void flushLevel() {
        if (level >= 0) {
            marks.add("level " + level + " " + seconds(lastStarted) + " (CPU " + processCpu() + ")");
        }
    }

    /**
     * The process's CPU time so far (utime + stime of /proc/self/stat in USER_HZ, 100 on Linux; all threads: the JIT and GC
     * too), in seconds: on a busy host a steadier figure than the uptime.
     */
    private static String processCpu() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14 and stime 15 (1-based, man 5 proc)
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return String.format(java.util.Locale.ROOT, "%.2f", ticks / 100.0);
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    @Override
    public synchronized void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            flushLevel();
            level = -1;
            marks.add("framework started " + seconds(System.nanoTime()));
            steps.sort(java.util.Comparator.comparingLong(Step::nanos).reversed());
            StringBuilder top = new StringBuilder();
            for (Step s : steps) {
                if (s.nanos() < 10_000_000L) {
                    break; // under 10 ms: the rest is noise
                }
                top.append(top.length() == 0 ? "" : ", ")
                        .append(s.bundle()).append(String.format(java.util.Locale.ROOT, " %.3f", s.nanos() / 1e9));
            }
            marks.add("steps over 10 ms: " + top);
            log.log("Start timeline (JVM uptime, s): " + String.join(", ", marks));
            marks.clear();
        }
    }

    private String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", (nanos - jvmStartNanos) / 1e9);
    }
}
