package org.vigil.checker.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.HealthCheck;

/**
 * A check type for the virtual-time tests of the engine's scheduling: each connect address
 * answers as the test sets it (pass, fail, hang, throw, complete exceptionally), after a latency
 * in virtual time. It is a real implementation of the SPI, not a mock of the engine.
 */
final class ScriptedType implements CheckType {
    enum Mode { PASS, FAIL, HANG, THROW, EXCEPTION }

    private final VirtualLoop loop;
    private final Map<InetSocketAddress, Mode> modes = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, List<Double>> attempts = new ConcurrentHashMap<>();
    final List<CompletableFuture<CheckResult>> hung = new ArrayList<>();
    volatile double latency;
    volatile int weight = -1;
    final List<CheckSpec> specs = new ArrayList<>();
    int prepared;
    int closed;

    ScriptedType(VirtualLoop loop) {
        this.loop = loop;
    }

    void set(InetSocketAddress address, Mode mode) {
        modes.put(address, mode);
    }

    /** Virtual seconds of each attempt against {@code address}. */
    List<Double> attempts(InetSocketAddress address) {
        return attempts.getOrDefault(address, List.of());
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        if (spec.properties().get("refuse").isPresent()) {
            throw new IllegalArgumentException("refuse is set");
        }
        prepared++;
        specs.add(spec);
        InetSocketAddress to = spec.connectTo();
        String rs = spec.realServerText();
        return new HealthCheck() {
            @Override
            public CompletionStage<CheckResult> attempt(CheckContext context) {
                attempts.computeIfAbsent(to, k -> new ArrayList<>()).add(loop.seconds());
                Mode mode = modes.getOrDefault(to, Mode.PASS);
                CompletableFuture<CheckResult> f = new CompletableFuture<>();
                switch (mode) {
                    case THROW -> throw new IllegalStateException("scripted throw");
                    case HANG -> {
                        hung.add(f);
                        return f;
                    }
                    default -> { }
                }
                Runnable complete = () -> {
                    switch (mode) {
                        case PASS -> f.complete(new CheckResult(true, "Scripted check of " + rs + " passed.", weight));
                        case FAIL -> f.complete(CheckResult.failure("Scripted check of " + rs + " failed."));
                        case EXCEPTION -> f.completeExceptionally(new java.io.IOException("scripted"));
                        default -> { }
                    }
                };
                if (latency > 0) {
                    loop.schedule(Math.round(latency * 1e9), complete);
                } else {
                    complete.run();
                }
                return f;
            }

            @Override
            public void close() {
                closed++;
            }
        };
    }
}
