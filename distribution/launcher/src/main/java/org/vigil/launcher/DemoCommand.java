package org.vigil.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/vigil demo}: three Vigil routers, each its own JVM and Felix framework, on the
 * simulated LAN (UDP over loopback, no root). It shows the election, a graceful stop of the
 * master (priority 0, skew takeover), a crash of the new master (master-down takeover), and the
 * recovery with preemption, checking each step against a deadline; it exits non-zero when a step
 * does not happen.
 */
@Command(name = "demo", description = "Three routers (priorities 150, 100, 50) on the simulated LAN: election, graceful stop, crash, recovery, preemption.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--lan-port", paramLabel = "PORT", description = "UDP base port of the simulated LAN (default: random).")
    int lanPort = 42_000 + 16 * ThreadLocalRandom.current().nextInt(200);

    @Option(names = "--advert-int", paramLabel = "SECONDS", description = "advert_int of the routers (default 1, VRRPv2; below 1 uses VRRPv3).")
    double advertInt = 1;

    @Option(names = "--step-timeout", paramLabel = "SECONDS", description = "How long one step may take before the demo fails (default 20).")
    int stepTimeoutSeconds = 20;

    @Option(names = "--quiet", description = "Do not echo the routers' log lines.")
    boolean quiet;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("vigil-demo-");
        List<DemoRouter> routers = List.of(
                new DemoRouter("r1", 150, "192.0.2.11", true),
                new DemoRouter("r2", 100, "192.0.2.12", false),
                new DemoRouter("r3", 50, "192.0.2.13", false));
        Thread cleanup = new Thread(() -> routers.forEach(DemoRouter::kill), "vigil-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (WireObserver wire = WireObserver.open(lanPort)) {
            banner("Vigil demo: three routers on the simulated LAN at udp/127.0.0.1:" + lanPort
                    + ", VRID 51, VIP 192.0.2.249, advert_int " + fmt(advertInt) + " s");
            for (DemoRouter r : routers) {
                r.writeConfig(work, advertInt);
                r.start(work, lanPort, quiet ? null : out);
            }

            step("1. Election: r1 (150) must become MASTER, r2 (100) and r3 (50) BACKUP");
            await("r1 MASTER, r2 and r3 BACKUP, r1's adverts on the wire", () -> routers.get(0).state() == DemoRouter.State.MASTER
                    && routers.get(1).state() == DemoRouter.State.BACKUP && routers.get(2).state() == DemoRouter.State.BACKUP
                    && "192.0.2.11".equals(wire.currentMaster()));
            table(routers, wire);

            step("2. Graceful stop of r1 (SIGTERM): it sends priority 0, r2 takes over after its skew time");
            long mark = wire.mark();
            routers.get(0).terminate();
            await("r2 MASTER", () -> routers.get(1).state() == DemoRouter.State.MASTER && "192.0.2.12".equals(wire.currentMaster()));
            await("r1 exited", () -> !routers.get(0).alive());
            WireObserver.Takeover graceful = wire.takeoverSince(mark, "192.0.2.11", "192.0.2.12");
            note("wire: priority-0 advert from 192.0.2.11 seen: " + graceful.priorityZeroSeen()
                    + "; 192.0.2.12's first advert " + ms(graceful.gapMicros()) + " later (skew of priority 100: "
                    + ms(skewMicros(100)) + ")");
            table(routers, wire);

            step("3. Crash of r2 (SIGKILL): its adverts stop, r3 takes over when its master-down timer expires");
            mark = wire.mark();
            routers.get(1).kill();
            await("r3 MASTER", () -> routers.get(2).state() == DemoRouter.State.MASTER && "192.0.2.13".equals(wire.currentMaster()));
            WireObserver.Takeover crash = wire.takeoverSince(mark, "192.0.2.12", "192.0.2.13");
            note("wire: " + ms(crash.gapMicros()) + " from r2's last advert to r3's first (master down of priority 50: "
                    + ms(masterDownMicros(50)) + ")");
            table(routers, wire);

            step("4. Recovery: r1 and r2 restart; r1 (150) preempts r3 (50), r2 stays BACKUP");
            routers.get(0).start(work, lanPort, quiet ? null : out);
            routers.get(1).start(work, lanPort, quiet ? null : out);
            await("r1 MASTER again, r2 and r3 BACKUP", () -> routers.get(0).state() == DemoRouter.State.MASTER
                    && routers.get(1).state() == DemoRouter.State.BACKUP && routers.get(2).state() == DemoRouter.State.BACKUP
                    && "192.0.2.11".equals(wire.currentMaster()));
            table(routers, wire);

            step("5. Stopping every router");
            for (DemoRouter r : routers) {
                r.terminate();
            }
            await("all routers stopped", () -> routers.stream().noneMatch(DemoRouter::alive));
            table(routers, wire);
            banner(String.format(Locale.ROOT, "Demo complete in %.1f s: election, graceful stop, crash, recovery and preemption all seen.",
                    (System.nanoTime() - t0) / 1e9));
            return 0;
        } catch (StepFailed e) {
            out.println();
            out.println("DEMO FAILED: " + e.getMessage());
            return 1;
        } finally {
            routers.forEach(DemoRouter::kill);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            deleteQuietly(work);
        }
    }

    private long skewMicros(int priority) {
        return advertInt >= 1 && advertInt == Math.rint(advertInt)
                ? (256L - priority) * 1_000_000L / 256
                : (256L - priority) * Math.round(advertInt * 100) * 10_000L / 256;
    }

    private long masterDownMicros(int priority) {
        return 3L * Math.round(advertInt * 1_000_000) + skewMicros(priority);
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException, StepFailed {
        long deadline = System.nanoTime() + stepTimeoutSeconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new StepFailed("not seen within " + stepTimeoutSeconds + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private void table(List<DemoRouter> routers, WireObserver wire) {
        out.println();
        out.printf(Locale.ROOT, "  %-6s %-8s %-5s %-9s %-10s %-14s%n", "ROUTER", "PID", "PRIO", "STATE", "VIP", "ADDRESS");
        for (DemoRouter r : routers) {
            out.printf(Locale.ROOT, "  %-6s %-8s %-5d %-9s %-10s %-14s%n", r.name(), r.alive() ? Long.toString(r.pid()) : "-",
                    r.priority(), r.alive() ? r.state() : "STOPPED", r.alive() && r.holdsVip() ? "held" : "-", r.address());
        }
        String master = wire.currentMaster();
        out.println("  master on the wire: " + (master == null ? "none" : master + " (priority " + wire.currentMasterPriority() + ")"));
        out.println();
    }

    private void banner(String s) {
        out.println();
        out.println("=== " + s);
    }

    private void step(String s) {
        out.println();
        out.println("--- " + s);
    }

    private void note(String s) {
        out.println("    " + s);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f s", micros / 1e6);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files only
        }
    }

    static final class StepFailed extends Exception {
        StepFailed(String message) {
            super(message);
        }
    }

    /** Used by the demo's own launch of children: the same java, class path and home. */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-Xms8m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"));
        // bin/vigil puts picocli on the boot class path (not on java.class.path): the children need it too
        ProcessHandle.current().info().arguments().ifPresent(args -> {
            for (String a : args) {
                if (a.startsWith("-Xbootclasspath/a:")) {
                    cmd.add(a);
                }
            }
        });
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Vigil.class.getName());
        return cmd;
    }
}
