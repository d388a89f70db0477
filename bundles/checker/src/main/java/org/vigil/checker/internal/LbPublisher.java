package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.lb.LoadBalancerDriver;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * Hands pool changes to the load-balancer driver on a thread of its own, coalesced: what piles up
 * while the driver is busy goes out as one batch (one transaction). With no driver the pools are
 * only kept by the engine and reported. A refused batch is merged into the next one.
 */
final class LbPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(LbPublisher.class);

    private final ExecutorService thread;
    private final Object lock = new Object();
    private final Map<ServiceKey, VirtualService> pending = new LinkedHashMap<>();
    private final Set<ServiceKey> removed = new HashSet<>();
    private final Set<String> refusals = new HashSet<>();
    private final Map<String, List<ServiceKey>> keysByVs = new LinkedHashMap<>();
    private LoadBalancerDriver driver;
    private boolean scheduled;

    LbPublisher(long idleSeconds) {
        ThreadPoolExecutor t = new ThreadPoolExecutor(1, 1, idleSeconds, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread th = new Thread(r, "vigil-check-lb");
                    th.setDaemon(true);
                    return th;
                });
        // the thread exists while there are batches: none with no virtual server (issue 12, fewer threads)
        t.allowCoreThreadTimeOut(true);
        thread = t;
    }


    /** A virtual server's services now (called on the engine's loop: only queues). */
    void pool(String vsKey, List<VirtualService> services) {
        synchronized (lock) {
            List<ServiceKey> keys = new ArrayList<>();
            for (VirtualService s : services) {
                keys.add(s.key());
                pending.put(s.key(), s);
                removed.remove(s.key());
            }
            List<ServiceKey> old = keysByVs.put(vsKey, keys);
            if (old != null) {
                for (ServiceKey k : old) {
                    if (!keys.contains(k)) {
                        pending.remove(k);
                        removed.add(k);
                    }
                }
            }
            kick();
        }
    }

    void removed(String vsKey, List<ServiceKey> keys) {
        synchronized (lock) {
            List<ServiceKey> old = keysByVs.remove(vsKey);
            Set<ServiceKey> all = new HashSet<>(keys);
            if (old != null) {
                all.addAll(old);
            }
            for (ServiceKey k : all) {
                pending.remove(k);
                removed.add(k);
            }
            kick();
        }
    }

    /** A new driver (or none): it is given every service first. */
    void driver(LoadBalancerDriver d, List<VirtualService> all) {
        synchronized (lock) {
            driver = d;
            refusals.clear();
            if (d != null) {
                for (VirtualService s : all) {
                    pending.put(s.key(), s);
                }
                kick();
            }
        }
    }

    Optional<String> driverName() {
        synchronized (lock) {
            return Optional.ofNullable(driver).map(LoadBalancerDriver::name);
        }
    }

    private void kick() {
        if (!scheduled && driver != null && !thread.isShutdown()) {
            scheduled = true;
            thread.execute(this::drain);
        }
    }

    private void drain() {
        LoadBalancerDriver d;
        List<VirtualService> services;
        List<ServiceKey> gone;
        synchronized (lock) {
            scheduled = false;
            d = driver;
            if (d == null) {
                return;
            }
            services = new ArrayList<>(pending.values());
            gone = new ArrayList<>(removed);
            pending.clear();
            removed.clear();
        }
        List<VirtualService> accepted = new ArrayList<>();
        for (VirtualService s : services) {
            Optional<String> reason;
            try {
                reason = d.refuse(s);
            } catch (RuntimeException e) {
                reason = Optional.of(String.valueOf(e));
            }
            if (reason.isPresent()) {
                if (refusals.add(d.name() + s.key())) {
                    LOG.warn("Load balancer {} cannot program VS {}: {}", d.name(), s.key().text(), reason.get());
                }
            } else {
                accepted.add(s);
            }
        }
        try {
            d.apply(accepted, gone);
        } catch (Exception e) {
            LOG.warn("Load balancer {} refused {} changes ({}); retried with the next batch", d.name(),
                    accepted.size() + gone.size(), e.getMessage());
            synchronized (lock) {
                for (VirtualService s : accepted) {
                    pending.putIfAbsent(s.key(), s);
                }
                for (ServiceKey k : gone) {
                    if (!pending.containsKey(k)) {
                        removed.add(k);
                    }
                }
            }
        }
    }

    void shutdown() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
