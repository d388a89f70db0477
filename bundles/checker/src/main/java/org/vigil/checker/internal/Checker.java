package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckListener;
import org.vigil.api.check.CheckType;
import org.vigil.api.lb.LoadBalancerDriver;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;
import org.vigil.script.ScriptSecurity;

/**
 * The checker: owns the engine and its threads (one loop thread, two workers for the types'
 * calls, one timer thread lent to the types, one notification thread, one load-balancer thread,
 * one lvs_notify_fifo writer; the last four only once they have work),
 * and binds the whiteboards. The configuration components and the commands reach the engine
 * through this; every call is handed to the loop.
 */
@Component(service = Checker.class, immediate = true)
public final class Checker {
    static final int WORKERS = 2;
    /** Workers lost inside attempts that ignore interrupts are replaced up to this many threads. */
    static final int MAX_WORKERS = 4;
    static final String THREAD_PREFIX = "vigil-check";
    private static final Logger LOG = LoggerFactory.getLogger(Checker.class);

    private final ThreadLoop loop;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor checkTimers;
    private final Notifier notifier = new Notifier();
    private final LbPublisher publisher;
    /** FIFOs the checker made (lvs_notify_fifo and its reader's): removed when it stops. */
    private final org.vigil.script.MadeFifos madeFifos = new org.vigil.script.MadeFifos();
    private final FifoLines fifo = new FifoLines(madeFifos);
    private final NotifyScripts scripts = new NotifyScripts(ScriptSecurity.Host.system(), madeFifos);
    private final LvsFifoScripts fifoScripts = new LvsFifoScripts(scripts);
    private final CheckEngine engine;
    /** Every bound service per type name, best first (ranking, then the oldest). */
    private final Map<String, List<TypeRef>> types = new HashMap<>();
    private final List<DriverRef> drivers = new ArrayList<>();
    private volatile String preferredDriver;

    private record TypeRef(CheckType type, int ranking, long id) {
    }

    private record DriverRef(LoadBalancerDriver driver, int ranking, long id) {
    }

    private static final Comparator<TypeRef> BEST_TYPE = Comparator.comparingInt(TypeRef::ranking).reversed()
            .thenComparingLong(TypeRef::id);
    private static final Comparator<DriverRef> BEST_DRIVER = Comparator.comparingInt(DriverRef::ranking).reversed()
            .thenComparingLong(DriverRef::id);

    /** How long the loop's and the publisher's threads wait with nothing to do before they end (the next task starts them). */
    static final long IDLE_SECONDS = 10;

    @Activate
    public Checker() {
        this(IDLE_SECONDS);
    }

    Checker(long idleSeconds) {
        loop = new ThreadLoop(THREAD_PREFIX + "er", idleSeconds);
        publisher = new LbPublisher(idleSeconds);
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named(THREAD_PREFIX + "-worker-"));
        checkTimers = new ScheduledThreadPoolExecutor(1, named(THREAD_PREFIX + "-timer-"));
        checkTimers.setRemoveOnCancelPolicy(true);
        engine = new CheckEngine(loop, workers, checkTimers, new EngineOutput() {
            @Override
            public void event(CheckEvent event) {
                notifier.publish(event);
            }

            @Override
            public void pool(String vsKey, List<VirtualService> services) {
                publisher.pool(vsKey, services);
            }

            @Override
            public void removed(String vsKey, List<ServiceKey> keys) {
                publisher.removed(vsKey, keys);
            }

            @Override
            public void fifo(String path, String line) {
                fifo.write(path, line);
            }

            @Override
            public void script(String what, String commandLine, org.vigil.script.RunAs user,
                    org.vigil.script.RunAs scriptUser,
                    boolean scriptSecurity) {
                scripts.run(what, commandLine, user, scriptUser, scriptSecurity);
            }

            @Override
            public void workerStuck(String type) {
                replaceStuckWorker(type);
            }
        }, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** On the loop: the first virtual server starts what only virtual servers need (no thread runs before). */
    private boolean watching;

    private void firstVirtualServer() {
        if (watching) {
            return;
        }
        watching = true;
        loop.schedule(LOCAL_ADDRESS_PERIOD, this::watchLocalAddresses);
        loop.schedule(TimeUnit.SECONDS.toNanos(2), () -> {
            if (publisher.driverName().isEmpty() && engine.totals().virtualServers() > 0) {
                LOG.info("No load-balancer driver: the checker keeps and reports the pools (check:list) and programs no kernel");
            }
        });
    }

    @Deactivate
    void deactivate() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            engine.shutdown();
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The checker did not stop in time: {}", e.toString());
        }
        loop.shutdown(1000);
        workers.shutdownNow();
        checkTimers.shutdownNow();
        notifier.shutdown();
        publisher.shutdown();
        fifoScripts.shutdown();
        scripts.shutdown();
        // last: the FIFO readers are killed, the writer has written what it had; the made FIFOs go
        fifo.shutdown();
    }

    /**
     * How often ha_suspend looks at this machine's addresses. keepalived hears of them through
     * rtnetlink; the checker has no netlink of its own and reads them through the JDK, only while
     * some virtual server asks for ha_suspend. A VIP taken by VRRP resumes its checks within this.
     */
    static final long LOCAL_ADDRESS_PERIOD = TimeUnit.SECONDS.toNanos(1);

    private void watchLocalAddresses() {
        if (engine.wantsLocalAddresses()) {
            java.util.Set<java.net.InetAddress> local = new java.util.HashSet<>();
            try {
                for (java.net.NetworkInterface i : java.util.Collections.list(
                        java.net.NetworkInterface.getNetworkInterfaces())) {
                    local.addAll(java.util.Collections.list(i.getInetAddresses()).stream()
                            .map(a -> a instanceof java.net.Inet6Address v6 && v6.getScopeId() != 0
                                    ? withoutScope(v6) : a)
                            .toList());
                }
                engine.localAddresses(local);
            } catch (java.net.SocketException e) {
                LOG.debug("cannot list the local addresses: {}", e.toString());
            }
        }
        loop.schedule(LOCAL_ADDRESS_PERIOD, this::watchLocalAddresses);
    }

    private static java.net.InetAddress withoutScope(java.net.Inet6Address a) {
        try {
            return java.net.InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }

    /** Called on the loop when a worker stays inside an attempt() that ignored its interrupt. */
    private void replaceStuckWorker(String type) {
        int n = workers.getCorePoolSize();
        if (n < MAX_WORKERS) {
            workers.setMaximumPoolSize(n + 1);
            workers.setCorePoolSize(n + 1);
            LOG.warn("A worker is stuck in {}'s attempt(), which ignores interrupts: adding a worker ({} of at most {})",
                    type, n + 1, MAX_WORKERS);
        } else {
            LOG.error("Another worker is stuck in {}'s attempt(); {} workers is the limit: checks may fall behind. "
                    + "Remove or fix the {} bundle", type, MAX_WORKERS, type);
        }
    }

    /** The lvs_notify_fifo_script readers running (tests). */
    java.util.Set<LvsFifoScripts.Reader> fifoReaders() {
        return fifoScripts.running();
    }

    int workerThreads() {
        return workers.getCorePoolSize();
    }

    // ---- whiteboards ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeType")
    void addType(CheckType type, Map<String, Object> props) {
        String name = typeName(props);
        if (name == null) {
            LOG.warn("A CheckType service without {} is ignored: {}", CheckType.TYPE_PROPERTY, type);
            return;
        }
        CheckType best;
        synchronized (types) {
            List<TypeRef> list = types.computeIfAbsent(name, k -> new ArrayList<>());
            list.add(new TypeRef(type, ranking(props), id(props)));
            list.sort(BEST_TYPE);
            best = list.get(0).type();
        }
        loop.execute(() -> engine.setType(name, best));
    }

    void removeType(CheckType type, Map<String, Object> props) {
        String name = typeName(props);
        if (name == null) {
            return;
        }
        CheckType best;
        synchronized (types) {
            List<TypeRef> list = types.getOrDefault(name, new ArrayList<>());
            list.removeIf(r -> r.type() == type);
            best = list.isEmpty() ? null : list.get(0).type();
            if (list.isEmpty()) {
                types.remove(name);
            }
        }
        loop.execute(() -> engine.setType(name, best));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(CheckListener listener) {
        notifier.add(listener);
    }

    void removeListener(CheckListener listener) {
        notifier.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDriver")
    void addDriver(LoadBalancerDriver driver, Map<String, Object> props) {
        synchronized (drivers) {
            drivers.add(new DriverRef(driver, ranking(props), id(props)));
            drivers.sort(BEST_DRIVER);
        }
        chooseDriver();
    }

    void removeDriver(LoadBalancerDriver driver, Map<String, Object> props) {
        synchronized (drivers) {
            drivers.removeIf(r -> r.driver() == driver);
        }
        chooseDriver();
    }

    /**
     * Prefers the load-balancer driver of this name ("nft", "ipvs") over ranking, as the core
     * prefers an interface driver; null or empty: the best ranked. A preferred driver that is not
     * (or no longer) present falls back to the best remaining one.
     */
    void preferDriver(String name) {
        preferredDriver = name == null || name.isBlank() ? null : name.trim();
        chooseDriver();
    }

    String preferredDriver() {
        return preferredDriver;
    }

    /** The names of the bound drivers, best ranked first. */
    List<String> driverNames() {
        synchronized (drivers) {
            return drivers.stream().map(r -> r.driver().name()).toList();
        }
    }

    private void chooseDriver() {
        loop.execute(() -> {
            LoadBalancerDriver best;
            String preferred = preferredDriver;
            synchronized (drivers) {
                best = drivers.isEmpty() ? null : drivers.get(0).driver();
                for (DriverRef r : drivers) {
                    if (r.driver().name().equals(preferred)) {
                        best = r.driver();
                        break;
                    }
                }
            }
            if (preferred != null && (best == null || !best.name().equals(preferred))) {
                LOG.warn("Load-balancer driver {} is preferred but not present; {}", preferred,
                        best == null ? "none is" : "using " + best.name());
            }
            Optional<String> was = publisher.driverName();
            String now = best == null ? null : best.name();
            if (!Optional.ofNullable(now).equals(was)) {
                LOG.info(now == null ? "No load-balancer driver: pools are kept and reported only"
                        : "Load-balancer driver " + now + " programs the pools");
            }
            publisher.driver(best, best == null ? List.of() : engine.allServices());
        });
    }

    // ---- what the configuration components and the commands call ----

    void putVirtualServer(String pid, VsSettings settings, List<RsSettings> reals) {
        loop.execute(() -> {
            firstVirtualServer();
            engine.putVirtualServer(pid, settings, reals);
        });
    }

    /** Who lvs_notify_fifo {@code path} is given to when this process creates it; null: Vigil's user. */
    void fifoOwner(String path, org.vigil.script.RunAs owner) {
        fifo.owner(path, owner);
    }

    /** The lvs_notify_fifo_script reader the virtual server of {@code pid} names; null: none. */
    void fifoScript(String pid, LvsFifoScripts.Reader reader) {
        fifoScripts.want(pid, reader);
    }

    void removeVirtualServer(String pid, boolean deleted) {
        loop.execute(() -> engine.removeVirtualServer(pid, deleted));
    }

    void putGroup(String pid, GroupSettings group) {
        loop.execute(() -> engine.putGroup(pid, group));
    }

    void removeGroup(String pid) {
        loop.execute(() -> engine.removeGroup(pid));
    }

    List<Status.Virtual> snapshot() {
        return ask(CheckEngine::snapshot);
    }

    Status.Totals totals() {
        return ask(CheckEngine::totals);
    }

    Optional<String> driverName() {
        return publisher.driverName();
    }

    /** Check durations by type: thread-safe histograms, read without a trip through the loop. */
    java.util.Map<String, org.vigil.api.metrics.Histogram> durations() {
        return engine.durations();
    }

    /** Runs a query on the loop and waits a bounded time for it (the shell's thread, never the loop). */
    private <T> T ask(Function<CheckEngine, T> query) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(query.apply(engine));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The checker did not answer: " + e, e);
        }
    }

    private static String typeName(Map<String, Object> props) {
        Object v = props.get(CheckType.TYPE_PROPERTY);
        if (v instanceof String[] a && a.length > 0) {
            v = a[0];
        }
        return v == null ? null : v.toString().trim().toUpperCase(java.util.Locale.ROOT);
    }

    private static int ranking(Map<String, Object> props) {
        return props.get("service.ranking") instanceof Integer i ? i : 0;
    }

    private static long id(Map<String, Object> props) {
        return props.get("service.id") instanceof Long l ? l : 0;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
