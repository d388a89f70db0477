package org.vigil.check.http.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/** Test support: a check block as the bridge stores it, and attempts run as the checker runs them. */
final class Checks implements AutoCloseable {
    final IoLoop loop = new IoLoop();
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    int attemptNumber = 1;

    /** Keywords and sub-block keys, dotted as CheckProperties has them: "url.0.path", "/". */
    static Map<String, List<String>> keys(String... keyThenTokens) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String s : keyThenTokens) {
            int space = s.indexOf(' ');
            m.put(space < 0 ? s : s.substring(0, space),
                    space < 0 ? List.of() : List.of(s.substring(space + 1).split(" ")));
        }
        return m;
    }

    static CheckSpec spec(String type, InetSocketAddress server, Duration timeout, Map<String, List<String>> keys) {
        return new CheckSpec(type, "test/" + type, server, server, null, timeout, "tcp", "[192.0.2.249]:tcp:80",
                new CheckProperties(keys), "keepalived.conf:12");
    }

    HealthCheck prepare(CheckSpec spec) {
        return spec.type().equals("SSL_GET") ? new SslGetCheckType(loop).prepare(spec) : new HttpGetCheckType(loop).prepare(spec);
    }

    CheckContext context() {
        int n = attemptNumber;
        return new CheckContext() {
            @Override
            public Executor executor() {
                return executor;
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return executor;
            }

            @Override
            public int attemptNumber() {
                return n;
            }
        };
    }

    CheckResult attempt(HealthCheck check) throws Exception {
        return check.attempt(context()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
        executor.shutdownNow();
        ((ExecutorService) executor).awaitTermination(5, TimeUnit.SECONDS);
    }
}
