package org.vigil.checker.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.metrics.Histogram;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.HealthCheck;
import org.vigil.api.lb.Destination;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * The health-check engine: virtual servers, their real servers, the shared probes, the pools and
 * quorum, keepalived's log lines. Every method runs on the {@link Loop}; nothing here blocks: a
 * type's {@code prepare}, {@code attempt} and {@code close} run on the workers, their results come
 * back through {@link Loop#execute}, and the connect_timeout is enforced here.
 */
final class CheckEngine {
    static final Logger LOG = LoggerFactory.getLogger("org.vigil.checker");

    /** How long configurations may keep arriving before a new virtual server takes its starting pool and quorum. */
    static final long SETTLE = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long an unused probe is kept, so a reload that deletes and recreates a configuration keeps its verdict. */
    static final long LINGER = TimeUnit.SECONDS.toNanos(5);
    /** How long an interrupted attempt() may take to return before its worker counts as lost. */
    static final long STUCK_AFTER = TimeUnit.SECONDS.toNanos(1);
    /** Check-block keywords the engine resolves itself; the type sees the others. */
    static final Set<String> COMMON_KEYS = Set.of("connect.ip", "connect.port", "bindto", "bind.if", "bind.port",
            "fwmark", "alpha", "connect.timeout", "retry", "nb.get.retry", "delay.before.retry", "warmup", "delay.loop",
            "log.all.failures");

    /** The common keywords of a check block, read typed. */
    @interface CommonKeys {
        String connect_ip() default "";

        int connect_port() default -1;

        String bindto() default "";

        double connect_timeout() default -1;

        int retry() default -1;

        int nb_get_retry() default -1;

        double delay_before_retry() default -1;

        double warmup() default -1;

        double delay_loop() default -1;
    }

    private final Loop loop;
    private final Executor workers;
    private final ScheduledExecutorService checkTimers;
    private final EngineOutput out;
    private final DoubleSupplier random;

    private final Map<String, VirtualServer> vsByPid = new HashMap<>();
    private final Map<String, VirtualServer> vsByKey = new LinkedHashMap<>();
    private final Map<String, RealServer> rsByPid = new LinkedHashMap<>();
    /** The real server pids each virtual server's configuration brought. */
    private final Map<String, Set<String>> realsByVsPid = new HashMap<>();
    private final Map<String, GroupSettings> groupsByPid = new HashMap<>();
    private final Map<String, GroupSettings> groups = new HashMap<>();
    private final Map<ProbeKey, Probe> probes = new LinkedHashMap<>();
    private final Map<String, CheckType> types = new HashMap<>();
    private final Set<String> waitingLogged = new HashSet<>();
    private final Set<String> blockingLogged = new HashSet<>();
    private final long openFileLimit;
    private boolean openFileWarned;
    /** Attempts started since the engine began, for check:list and benchmarks. */
    private long attemptsStarted;
    /** Attempts that never reached a worker before their deadline, and when that was last logged. */
    private long notRun;
    private long notRunLogged;
    private boolean stopped;

    CheckEngine(Loop loop, Executor workers, ScheduledExecutorService checkTimers, EngineOutput out,
            DoubleSupplier random) {
        this.loop = loop;
        this.workers = workers;
        this.checkTimers = checkTimers;
        this.out = out;
        this.random = random;
        this.openFileLimit = openFileLimit();
    }

    // ---- configuration ----

    /**
     * A virtual server's configuration with its real servers: the real servers are diffed by
     * identity (address, port, sorry), so the removed ones go, the new ones join and the others
     * keep their state. A real server's pid in the engine is the virtual server's pid plus its
     * identity.
     */
    void putVirtualServer(String pid, VsSettings settings, List<RsSettings> reals) {
        putVirtualServer(pid, settings);
        VirtualServer vs = vsByPid.get(pid);
        if (vs == null || vs.settings != settings) {
            return; // the same virtual server configured twice: the later one is ignored
        }
        Map<String, RsSettings> next = new LinkedHashMap<>();
        for (RsSettings rs : reals) {
            if (next.putIfAbsent(pid + "/" + rs.identity(), rs) != null) {
                LOG.warn("{}: real server {} is configured twice in VS {}; the later one is ignored", rs.origin(),
                        Texts.realServer(rs.address(), settings.protocol()), vs.text());
            }
        }
        // joiners first, leavers after: a server replaced by another never costs the quorum
        next.forEach(this::putRealServer);
        Set<String> old = realsByVsPid.put(pid, next.keySet());
        if (old != null) {
            for (String rsPid : old) {
                if (!next.containsKey(rsPid)) {
                    removeRealServer(rsPid, true);
                }
            }
        }
    }

    void putVirtualServer(String pid, VsSettings settings) {
        VirtualServer vs = vsByPid.get(pid);
        if (vs != null && !vs.settings.key().equals(settings.key())) {
            removeVirtualServer(pid, true);
            vs = null;
        }
        if (vs == null) {
            VirtualServer other = vsByKey.get(settings.key());
            if (other != null) {
                LOG.warn("{}: virtual server {} is configured twice; the later one is ignored", settings.origin(),
                        settings.text());
                return;
            }
            vs = new VirtualServer(pid, settings);
            vsByPid.put(pid, vs);
            vsByKey.put(settings.key(), vs);
            for (RealServer rs : rsByPid.values()) {
                if (rs.vs == null && rs.settings.vsKey().equals(settings.key())) {
                    attach(vs, rs);
                }
            }
            settleLater(vs);
        } else {
            vs.settings = settings;
            for (RealServer rs : new ArrayList<>(members(vs))) {
                refreshProbes(rs);
            }
            update(vs);
        }
    }

    void removeVirtualServer(String pid, boolean deleted) {
        VirtualServer vs = vsByPid.remove(pid);
        if (vs == null) {
            return;
        }
        Set<String> reals = realsByVsPid.remove(pid);
        if (reals != null) {
            // they came with the virtual server's configuration and go with it
            reals.forEach(rsByPid::remove);
        }
        vsByKey.remove(vs.settings.key());
        if (vs.settle != null) {
            vs.settle.cancel();
        }
        for (RealServer rs : new ArrayList<>(members(vs))) {
            if (!deleted && rs.inPool && !rs.settings.sorry()) {
                LOG.info("Shutting down service {} from VS {}", rs.text, vs.text());
            }
            detach(rs);
        }
        if (deleted) {
            if (vs.settings.service() instanceof VsService.Group g) {
                LOG.info("Removing Virtual Server Group [{}]", g.name());
            } else {
                LOG.info("Removing Virtual Server {}", vs.text());
            }
            out.removed(vs.settings.key(), ServiceKeys.of(vs.settings, groups));
        }
    }

    void putRealServer(String pid, RsSettings settings) {
        RealServer rs = rsByPid.get(pid);
        if (rs != null && !rs.settings.identity().equals(settings.identity())) {
            removeRealServer(pid, true);
            rs = null;
        }
        if (rs == null) {
            rs = new RealServer(pid, settings);
            rsByPid.put(pid, rs);
            VirtualServer vs = vsByKey.get(settings.vsKey());
            if (vs != null) {
                attach(vs, rs);
                if (vs.started) {
                    update(vs, List.of(rs));
                } else {
                    settleLater(vs);
                }
            }
        } else if (!rs.settings.equals(settings)) {
            int oldWeight = rs.weight();
            rs.settings = settings;
            if (rs.vs != null) {
                refreshProbes(rs);
                if (rs.inPool && rs.weight() != oldWeight) {
                    LOG.info("Changing weight from {} to {} for active service {} of VS {}", oldWeight, rs.weight(),
                            rs.text, rs.vs.text());
                }
                update(rs.vs);
            }
        }
    }

    void removeRealServer(String pid, boolean deleted) {
        RealServer rs = rsByPid.remove(pid);
        if (rs == null || rs.vs == null) {
            return;
        }
        VirtualServer vs = rs.vs;
        if (deleted) {
            LOG.info("service {} no longer exist", rs.text);
        } else if (rs.inPool && !rs.settings.sorry()) {
            LOG.info("Shutting down service {} from VS {}", rs.text, vs.text());
        }
        detach(rs);
        if (deleted) {
            update(vs);
        }
    }

    void putGroup(String pid, GroupSettings group) {
        GroupSettings old = groupsByPid.put(pid, group);
        if (old != null) {
            groups.remove(old.name());
        }
        groups.put(group.name(), group);
        republishGroup(group.name());
        if (old != null && !old.name().equals(group.name())) {
            republishGroup(old.name());
        }
    }

    void removeGroup(String pid) {
        GroupSettings old = groupsByPid.remove(pid);
        if (old != null) {
            groups.remove(old.name());
            republishGroup(old.name());
        }
    }

    private void republishGroup(String name) {
        for (VirtualServer vs : vsByKey.values()) {
            if (vs.settings.service() instanceof VsService.Group g && g.name().equals(name)) {
                vs.published = null;
                publish(vs);
            }
        }
    }

    // ---- check types ----

    /** The service now handling {@code name}, or null when none is installed. */
    void setType(String name, CheckType type) {
        CheckType old = type == null ? types.remove(name) : types.put(name, type);
        if (old == type) {
            return;
        }
        List<Probe> affected = new ArrayList<>();
        for (Probe p : probes.values()) {
            if (p.key.type().equals(name) && (type != null ? p.key.error() == null
                    : p.status == Probe.Status.ACTIVE || p.status == Probe.Status.PREPARING)) {
                affected.add(p);
            }
        }
        if (type == null) {
            for (Probe p : affected) {
                stop(p);
                p.status = Probe.Status.MISSING;
            }
            // logged once for the type, not once per check: 10,000 lines would say nothing more
            LOG.warn("Check type {} is gone: {} checks are checker missing (not down; pools unchanged) until it returns",
                    name, affected.size());
            return;
        }
        waitingLogged.remove(name);
        if (!affected.isEmpty()) {
            LOG.info("Check type {} present: starting {} checks", name, affected.size());
        }
        for (Probe p : affected) {
            stop(p);
            prepare(p, type);
        }
    }

    // ---- status ----

    List<Status.Virtual> snapshot() {
        List<Status.Virtual> list = new ArrayList<>();
        for (VirtualServer vs : vsByKey.values()) {
            List<Status.Real> reals = new ArrayList<>();
            for (RealServer rs : vs.reals.values()) {
                reals.add(status(rs));
            }
            VsSettings s = vs.settings;
            list.add(new Status.Virtual(s.key(), vs.text(), s.scheduler(), s.method(), s.quorum(), s.hysteresis(),
                    vs.quorumUp, vs.liveWeight(), vs.sorryActive, reals, vs.sorry == null ? null : status(vs.sorry)));
        }
        return list;
    }

    Status.Totals totals() {
        int active = 0;
        int waiting = 0;
        int missing = 0;
        int invalid = 0;
        for (Probe p : probes.values()) {
            switch (p.status) {
                case ACTIVE, PREPARING -> active++;
                case WAITING -> waiting++;
                case MISSING -> missing++;
                case INVALID -> invalid++;
            }
        }
        int reals = 0;
        for (VirtualServer vs : vsByKey.values()) {
            reals += vs.reals.size();
        }
        return new Status.Totals(vsByKey.size(), reals, probes.size(), active, waiting, missing, invalid,
                new ArrayList<>(new TreeMap<>(types).keySet()), attemptsStarted);
    }

    /** Every virtual server's services, for a load-balancer driver that just bound. */
    List<VirtualService> allServices() {
        List<VirtualService> all = new ArrayList<>();
        for (VirtualServer vs : vsByKey.values()) {
            all.addAll(services(vs));
        }
        return all;
    }

    private Status.Real status(RealServer rs) {
        List<Status.Check> checks = new ArrayList<>();
        for (Probe p : rs.probes) {
            checks.add(new Status.Check(p.key.type(), p.status.name().toLowerCase(java.util.Locale.ROOT),
                    p.state.up(), p.state.failures(), p.lastLine,
                    p.lastLatencyNanos < 0 ? -1 : p.lastLatencyNanos / 1000, p.lastResultMillis, p.members.size()));
        }
        return new Status.Real(rs.text, rs.settings.sorry(), rs.inPool, rs.weight(), rs.inhibit(), checks);
    }

    // ---- lifecycle ----

    void shutdown() {
        omega();
        stopped = true;
        for (Probe p : probes.values()) {
            stop(p);
            if (p.linger != null) {
                p.linger.cancel();
            }
        }
        probes.clear();
        for (VirtualServer vs : vsByKey.values()) {
            if (vs.settle != null) {
                vs.settle.cancel();
            }
        }
    }

    /** Suspended when every virtual server that uses the probe is (one that needs it keeps it running). */
    private static boolean suspended(Probe p) {
        if (p.members.isEmpty()) {
            return false;
        }
        for (RealServer rs : p.members) {
            if (rs.vs == null || !rs.vs.suspended) {
                return false;
            }
        }
        return true;
    }

    /** Whether any virtual server asks for ha_suspend (the checker then watches the local addresses). */
    boolean wantsLocalAddresses() {
        return vsByKey.values().stream().anyMatch(vs -> vs.settings.haSuspend());
    }

    /**
     * keepalived's {@code ha_suspend}: the checks of a virtual server whose address is not on
     * this machine (the backup router of its VIP) are suspended, and resume when it arrives.
     * fwmark and group services have no one address and are never suspended.
     */
    void localAddresses(java.util.Set<InetAddress> local) {
        for (VirtualServer vs : vsByKey.values()) {
            InetAddress address = vs.settings.haSuspend() ? vs.settings.service().address() : null;
            boolean suspend = address != null && !local.contains(address);
            if (suspend != vs.suspended) {
                vs.suspended = suspend;
                LOG.info(suspend ? "Suspending healthcheckers of VS {}: {} is not on this machine (ha_suspend)"
                        : "Resuming healthcheckers of VS {}: {} is on this machine", vs.text(),
                        address.getHostAddress());
            }
        }
    }

    /**
     * keepalived's {@code omega}: at shutdown a virtual server's notifiers run as if its servers
     * went down, notify_down for each server in the pool and quorum_down while it has quorum.
     */
    private void omega() {
        for (VirtualServer vs : vsByKey.values()) {
            if (!vs.settings.omega() || !vs.started) {
                continue;
            }
            for (RealServer rs : vs.reals.values()) {
                if (rs.inPool) {
                    script(vs, "notify_down", rs.settings.notifyDown(), rs.settings.notifyDownUser());
                }
            }
            if (vs.quorumUp) {
                script(vs, "quorum_down", vs.settings.quorumDown(), vs.settings.quorumDownUser());
            }
        }
    }

    // ---- membership ----

    private List<RealServer> members(VirtualServer vs) {
        List<RealServer> all = new ArrayList<>(vs.reals.values());
        if (vs.sorry != null) {
            all.add(vs.sorry);
        }
        return all;
    }

    private void attach(VirtualServer vs, RealServer rs) {
        rs.vs = vs;
        rs.text = Texts.realServer(rs.settings.address(), vs.settings.protocol());
        if (rs.settings.sorry()) {
            if (vs.sorry != null) {
                LOG.warn("{}: VS {} has more than one sorry_server; {} is ignored", rs.settings.origin(), vs.text(),
                        rs.text);
                rs.vs = null;
                return;
            }
            vs.sorry = rs;
            rs.inPool = false;
            return;
        }
        vs.reals.put(rs.pid, rs);
        refreshProbes(rs);
        // a joining server enters the pool as it starts (alive unless alpha), without a line, as keepalived
        rs.inPool = rs.alive();
    }

    private void detach(RealServer rs) {
        VirtualServer vs = rs.vs;
        if (vs == null) {
            return;
        }
        for (Probe p : rs.probes) {
            release(p, rs);
        }
        rs.probes = new ArrayList<>();
        if (vs.sorry == rs) {
            vs.sorry = null;
        } else {
            vs.reals.remove(rs.pid);
        }
        rs.vs = null;
        rs.inPool = false;
    }

    /** Gives the real server the probes its configuration names now; unchanged probes keep their verdict. */
    private void refreshProbes(RealServer rs) {
        if (rs.settings.sorry()) {
            return;
        }
        VirtualServer vs = rs.vs;
        rs.text = Texts.realServer(rs.settings.address(), vs.settings.protocol());
        List<Probe> next = new ArrayList<>();
        List<RsSettings.Block> blocks = rs.settings.checks();
        for (int i = 0; i < blocks.size(); i++) {
            ProbeKey key = keyFor(vs, rs, blocks.get(i));
            Probe p = probes.get(key);
            if (p == null) {
                // a check whose settings changed at a reload keeps the verdict of the one it replaces
                Probe before = i < rs.probes.size() ? rs.probes.get(i) : null;
                ProbeState state = before != null && before.key.type().equals(key.type())
                        ? new ProbeState(key.schedule(), before.state)
                        : new ProbeState(key.schedule(), !key.alpha());
                p = create(key, specFor(vs, rs, key, i, blocks.get(i).origin()), state);
            }
            if (p.linger != null) {
                p.linger.cancel();
                p.linger = null;
            }
            if (!p.members.contains(rs)) {
                p.members.add(rs);
                if (p.status == Probe.Status.ACTIVE) {
                    LOG.info("Activating healthchecker for service {} for VS {}", rs.text, vs.text());
                }
            }
            next.add(p);
        }
        for (Probe old : rs.probes) {
            if (!next.contains(old)) {
                release(old, rs);
            }
        }
        rs.probes = next;
    }

    private Probe create(ProbeKey key, CheckSpec spec, ProbeState state) {
        Probe p = new Probe(key, spec, state);
        probes.put(key, p);
        if (!openFileWarned && openFileLimit > 0 && probes.size() > openFileLimit - 256) {
            openFileWarned = true;
            LOG.warn("{} checks may run at once but the open-file limit is {}: raise it (LimitNOFILE in vigil.service)",
                    probes.size(), openFileLimit);
        }
        if (key.error() != null) {
            p.status = Probe.Status.INVALID;
            p.lastLine = key.error();
            LOG.error("{}: {}", spec.origin().isEmpty() ? key.type() : spec.origin(), key.error());
            return p;
        }
        CheckType type = types.get(key.type());
        if (type != null) {
            prepare(p, type);
        } else if (waitingLogged.add(key.type())) {
            LOG.info("No check type {} is installed yet: its checks wait for it", key.type());
        }
        return p;
    }

    private void release(Probe p, RealServer rs) {
        p.members.remove(rs);
        if (p.members.isEmpty() && p.linger == null && !stopped) {
            p.linger = loop.schedule(LINGER, () -> {
                p.linger = null;
                if (p.members.isEmpty() && probes.get(p.key) == p) {
                    probes.remove(p.key);
                    stop(p);
                }
            });
        }
    }

    // ---- keys and specs ----

    private ProbeKey keyFor(VirtualServer vs, RealServer rs, RsSettings.Block block) {
        VsSettings v = vs.settings;
        RsSettings r = rs.settings;
        String type = block.type();
        CheckProperties props = block.properties();
        Map<String, List<String>> own = new TreeMap<>();
        for (String k : props.keys()) {
            if (!COMMON_KEYS.contains(k)) {
                own.put(k, props.tokens(k).orElse(List.of()));
            }
        }
        if ((type.equals("HTTP_GET") || type.equals("SSL_GET")) && !v.virtualhost().isEmpty()
                && !own.containsKey("virtualhost")) {
            own.put("virtualhost", List.of(v.virtualhost()));
        }
        boolean logAll = flag(props, "log.all.failures");
        try {
            CommonKeys c = props.as(CommonKeys.class);
            double delayLoop = Schedule.first(60, c.delay_loop(), r.delayLoop(), v.delayLoop());
            int retry = c.retry() >= 0 ? c.retry() : c.nb_get_retry() >= 0 ? c.nb_get_retry()
                    : r.retry() >= 0 ? r.retry() : v.retry() >= 0 ? v.retry() : Schedule.defaultRetry(type);
            double dbr = Schedule.retryWait(type, delayLoop, Schedule.first(
                    Schedule.defaultDelayBeforeRetry(type, delayLoop), c.delay_before_retry(), r.delayBeforeRetry(),
                    v.delayBeforeRetry()));
            double warmup = Schedule.first(delayLoop, c.warmup(), r.warmup(), v.warmup());
            double timeout = type.equals("MISC_CHECK") ? miscTimeout(props, delayLoop)
                    : Schedule.first(Schedule.DEFAULT_CONNECT_TIMEOUT, c.connect_timeout(), r.connectTimeout(),
                            v.connectTimeout());
            Schedule schedule = new Schedule(Schedule.nanos(delayLoop), retry, Schedule.nanos(dbr),
                    Schedule.nanos(warmup), Schedule.nanos(timeout));
            InetAddress connectIp = c.connect_ip().isEmpty() ? r.address().getAddress()
                    : ServiceKeys.literal(c.connect_ip());
            int connectPort = c.connect_port() >= 0 ? c.connect_port() : r.address().getPort();
            InetAddress bind = c.bindto().isEmpty() ? null : ServiceKeys.literal(c.bindto());
            boolean alpha = props.tokens("alpha").isPresent() ? flag(props, "alpha")
                    : r.alpha() != null ? r.alpha() : v.alpha();
            return new ProbeKey(type, r.address(), new InetSocketAddress(connectIp, connectPort), bind, v.protocol(),
                    schedule, alpha, logAll, own, null);
        } catch (IllegalArgumentException e) {
            Schedule none = new Schedule(Long.MAX_VALUE, 0, Long.MAX_VALUE, 0, 0);
            return new ProbeKey(type, r.address(), r.address(), null, v.protocol(), none, v.alpha(), logAll, own,
                    type + " of " + Texts.realServer(r.address(), v.protocol()) + ": " + e.getMessage());
        }
    }

    private CheckSpec specFor(VirtualServer vs, RealServer rs, ProbeKey key, int index, String origin) {
        return new CheckSpec(key.type(), vs.settings.key() + "/" + rs.settings.address() + "/" + index,
                key.realServer(), key.connectTo(), key.bindTo(), Duration.ofNanos(key.schedule().connectTimeout()),
                key.protocol(), vs.text(), new CheckProperties(key.properties()),
                origin.isEmpty() ? rs.settings.origin() : origin);
    }

    // ---- preparing and running checks ----

    private void prepare(Probe p, CheckType type) {
        p.status = Probe.Status.PREPARING;
        long generation = ++p.generation;
        try {
            workers.execute(() -> {
                HealthCheck check = null;
                String logName = null;
                Throwable error = null;
                try {
                    check = type.prepare(p.spec);
                    logName = type.logName(p.spec);
                    if (check == null) {
                        throw new IllegalStateException("prepare returned null");
                    }
                } catch (Throwable e) {
                    error = e;
                }
                HealthCheck c = check;
                String n = logName;
                Throwable err = error;
                loop.execute(() -> prepared(p, type, generation, c, n, err));
            });
        } catch (RejectedExecutionException e) {
            p.status = Probe.Status.WAITING;
        }
    }

    private void prepared(Probe p, CheckType type, long generation, HealthCheck check, String logName,
            Throwable error) {
        if (generation != p.generation || probes.get(p.key) != p || types.get(p.key.type()) != type || stopped) {
            closeLater(check);
            return;
        }
        if (error != null) {
            p.status = Probe.Status.INVALID;
            p.lastLine = String.valueOf(error.getMessage());
            String where = p.spec.origin().isEmpty() ? p.realServerText() : p.spec.origin();
            if (error instanceof IllegalArgumentException) {
                LOG.error("{}: {}", where, error.getMessage());
            } else {
                LOG.error("{}: {} failed to prepare the check of {}", where, p.key.type(), p.realServerText(), error);
            }
            return;
        }
        p.check = check;
        p.preparedBy = type;
        p.logName = logName == null ? p.key.type() : logName;
        p.status = Probe.Status.ACTIVE;
        for (RealServer rs : p.members) {
            LOG.info("Activating healthchecker for service {} for VS {}", rs.text, rs.vs.text());
        }
        long warmup = p.key.schedule().warmup();
        long delay = Schedule.FIRST_CHECK + (warmup > 0 ? (long) (random.getAsDouble() * warmup) : 0);
        p.timer = loop.schedule(delay, () -> startAttempt(p, generation));
    }

    private void startAttempt(Probe p, long generation) {
        if (p.generation != generation || p.status != Probe.Status.ACTIVE || p.attempt != null) {
            return;
        }
        p.timer = null;
        if (suspended(p)) {
            // ha_suspend: no attempt while the virtual address is elsewhere; the verdict stays
            p.timer = loop.schedule(p.key.schedule().delayLoop(), () -> startAttempt(p, generation));
            return;
        }
        Probe.Attempt a = new Probe.Attempt(loop.nanoTime());
        p.attempt = a;
        p.attemptsSinceVerdict++;
        attemptsStarted++;
        HealthCheck check = p.check;
        CheckContext context = new Context(workers, checkTimers, p.attemptsSinceVerdict);
        a.timeout = loop.schedule(p.key.schedule().connectTimeout() + Schedule.deadlineGrace(p.key.type()),
                () -> timedOut(p, a, generation));
        Runnable run = () -> {
            a.running = true;
            if (a.abandoned) {
                a.returned = true;
                return;
            }
            CompletionStage<CheckResult> stage;
            try {
                stage = check.attempt(context);
                if (stage == null) {
                    throw new IllegalStateException("attempt returned null");
                }
            } catch (Throwable e) {
                loop.execute(() -> finished(p, a, generation, null, e));
                return;
            } finally {
                a.returned = true;
            }
            a.stage = stage;
            if (a.abandoned) {
                Probe.Attempt.cancel(stage);
                return;
            }
            stage.whenComplete((r, e) -> loop.execute(() -> finished(p, a, generation, r, e)));
        };
        try {
            if (workers instanceof ExecutorService service) {
                a.submission = service.submit(run);
            } else {
                workers.execute(run);
            }
        } catch (RejectedExecutionException e) {
            p.attempt = null;
        }
    }

    private void timedOut(Probe p, Probe.Attempt a, long generation) {
        if (p.attempt != a || p.generation != generation) {
            return;
        }
        if (!a.running) {
            // still queued: every worker is busy (or lost in a type's attempt). The real server was not
            // checked, so this is no failure of it: the attempt is dropped and tried again a round later
            a.abandon();
            if (a.submission != null) {
                a.submission.cancel(false);
            }
            p.attempt = null;
            p.lastLine = "not run: the checker's workers were busy past connect_timeout";
            notRun++;
            long now = loop.nanoTime();
            if (now - notRunLogged > TimeUnit.SECONDS.toNanos(60) || notRunLogged == 0) {
                notRunLogged = now;
                LOG.warn("{} checks could not start within their connect_timeout: the checker's workers are busy "
                        + "(a check type blocking them?); they are retried, no server is marked down for it", notRun);
            }
            p.timer = loop.schedule(p.key.schedule().delayLoop(), () -> startAttempt(p, generation));
            return;
        }
        if (a.stage == null) {
            if (blockingLogged.add(p.key.type())) {
                LOG.warn("{} blocked its caller beyond connect_timeout in attempt(): a check type must not block",
                        p.key.type());
            }
            // interrupt the worker: a blocked attempt() must not keep one of the few workers forever
            if (a.submission != null) {
                a.submission.cancel(true);
            }
            // one that ignores the interrupt (a blocking java.net.Socket read) has taken a worker for good
            loop.schedule(STUCK_AFTER, () -> {
                if (!a.returned) {
                    out.workerStuck(p.key.type());
                }
            });
        }
        a.abandon();
        p.attempt = null;
        process(p, CheckResult.failure(timeoutLine(p.key.type(), p.realServerText())),
                loop.nanoTime() - a.started);
    }

    private void finished(Probe p, Probe.Attempt a, long generation, CheckResult result, Throwable error) {
        if (p.attempt != a || p.generation != generation) {
            return;
        }
        a.timeout.cancel();
        p.attempt = null;
        long latency = loop.nanoTime() - a.started;
        if (result == null) {
            Throwable cause = unwrap(error);
            String line = cause instanceof CancellationException
                    ? timeoutLine(p.key.type(), p.realServerText())
                    : p.key.type() + " on service " + p.realServerText() + " failed: " + describe(cause);
            if (!(cause instanceof Exception)) {
                LOG.warn("{} check of {} threw", p.key.type(), p.realServerText(), cause);
            }
            result = CheckResult.failure(line);
        }
        process(p, result, latency);
    }

    /** Every attempt's duration by check type, for the metrics (read by the scrape, written here). */
    private final Map<String, Histogram> durations = new java.util.concurrent.ConcurrentHashMap<>();
    static final double[] DURATION_BUCKETS = { 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

    Map<String, Histogram> durations() {
        return durations;
    }

    private void process(Probe p, CheckResult result, long latencyNanos) {
        durations.computeIfAbsent(p.key.type(), t -> new Histogram(DURATION_BUCKETS)).record(latencyNanos / 1_000);
        p.lastLine = result.line();
        p.lastLatencyNanos = latencyNanos;
        p.lastResultMillis = System.currentTimeMillis();
        boolean retrying = p.state.up() || !p.state.decided();
        ProbeState.Change change = p.state.record(result.success());
        if (!result.success() && p.key.logAllFailures() && retrying) {
            LOG.info("{}", result.line());
        }
        switch (change) {
            case UP -> LOG.info("{}", result.line());
            case DOWN, CONFIRMED_DOWN -> LOG.info("{} on service {} failed after {} retries.", p.logName,
                    p.realServerText(), p.key.schedule().retry());
            case NONE -> { }
        }
        if (change != ProbeState.Change.NONE || result.success()) {
            p.attemptsSinceVerdict = 0;
        }
        boolean weightChanged = false;
        if (result.weight() >= 0) {
            for (RealServer rs : p.members) {
                if (rs.weight() != result.weight()) {
                    LOG.info("Changing weight from {} to {} for {} service {} of VS {}", rs.weight(), result.weight(),
                            rs.inPool ? "active" : "inactive", rs.text, rs.vs.text());
                    rs.dynamicWeight = result.weight();
                    weightChanged = true;
                }
            }
        }
        if (change == ProbeState.Change.UP || change == ProbeState.Change.DOWN || weightChanged) {
            for (RealServer rs : new ArrayList<>(p.members)) {
                if (rs.vs != null) {
                    update(rs.vs, List.of(rs));
                }
            }
        }
        long generation = p.generation;
        p.timer = loop.schedule(p.state.nextDelay(), () -> startAttempt(p, generation));
    }

    /** Stops a probe's checking: its timers, its attempt, its prepared check. The verdict stays. */
    private void stop(Probe p) {
        p.generation++;
        if (p.timer != null) {
            p.timer.cancel();
            p.timer = null;
        }
        if (p.attempt != null) {
            p.attempt.abandon();
            p.attempt = null;
        }
        HealthCheck check = p.check;
        p.check = null;
        p.preparedBy = null;
        closeLater(check);
    }

    private void closeLater(HealthCheck check) {
        if (check == null) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    check.close();
                } catch (RuntimeException e) {
                    LOG.debug("Closing a check failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down: the type's own deactivation releases what is left
        }
    }

    // ---- pools and quorum ----

    private void settleLater(VirtualServer vs) {
        if (vs.started) {
            return;
        }
        if (vs.settle != null) {
            vs.settle.cancel();
        }
        vs.settle = loop.schedule(SETTLE, () -> {
            vs.settle = null;
            if (vsByKey.get(vs.settings.key()) == vs) {
                start(vs);
            }
        });
    }

    /** The starting pool is every server alive at start (all but alpha ones); then quorum. */
    private void start(VirtualServer vs) {
        vs.started = true;
        if (vs.settle != null) {
            vs.settle.cancel();
            vs.settle = null;
        }
        int w = vs.liveWeight();
        int q = vs.settings.quorum();
        if (w == 0 || w < q) {
            vs.quorumUp = false;
            String line = "Starting with quorum down for VS " + vs.text();
            LOG.info(line);
            fifo(vs, "VS " + vs.text() + " DOWN");
            out.event(new CheckEvent(CheckEvent.Kind.QUORUM_LOST, vs.text(), "", -1, line, "", vs.settings.smtpAlert()));
            sorry(vs);
        }
        publish(vs);
    }

    /** Brings the pool in line with the real servers' verdicts, then quorum and the load balancer. */
    private void update(VirtualServer vs) {
        update(vs, vs.reals.values());
    }

    /** As {@link #update(VirtualServer)}, looking only at {@code changed} (a result touches one server). */
    private void update(VirtualServer vs, Iterable<RealServer> changed) {
        if (!vs.started) {
            start(vs);
        }
        for (RealServer rs : changed) {
            boolean alive = rs.alive();
            if (alive == rs.inPool) {
                continue;
            }
            rs.inPool = alive;
            boolean inhibit = rs.inhibit();
            String line = alive
                    ? (inhibit ? "Enabling" : "Adding") + " service " + rs.text + " to VS " + vs.text()
                    : (inhibit ? "Disabling" : "Removing") + " service " + rs.text + " from VS " + vs.text();
            LOG.info(line);
            out.event(new CheckEvent(alive ? CheckEvent.Kind.REAL_SERVER_UP : CheckEvent.Kind.REAL_SERVER_DOWN,
                    vs.text(), rs.text, alive ? rs.weight() : inhibit ? 0 : -1, line, decidingCheck(rs, alive),
                    rs.settings.smtpAlert()));
            fifo(vs, "RS " + rs.text + " " + vs.text() + (alive ? " UP" : " DOWN"));
            script(vs, alive ? "notify_up" : "notify_down", alive ? rs.settings.notifyUp() : rs.settings.notifyDown(),
                    alive ? rs.settings.notifyUpUser() : rs.settings.notifyDownUser());
        }
        poolSoon(vs);
    }

    /**
     * How long pool changes gather before quorum is taken and the load balancer hears of them.
     * Each is O(pool size): taken once per result, 10,000 servers failing together cost
     * 10^8 steps and the garbage of 10,000 destination lists (the checker benchmark went from
     * 10,000 checks a second to 50, the JVM collecting all the time). One batch per 10 ms is
     * also one load-balancer transaction for all of them.
     */
    static final long POOL_BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private void poolSoon(VirtualServer vs) {
        if (vs.poolPending) {
            return;
        }
        vs.poolPending = true;
        loop.schedule(POOL_BATCH_NANOS, () -> {
            vs.poolPending = false;
            if (vsByKey.get(vs.settings.key()) == vs) {
                quorum(vs);
                publish(vs);
            }
        });
    }

    /** The check a mail names: the first failed one when down, the first when up; "" with none. */
    private static String decidingCheck(RealServer rs, boolean alive) {
        for (Probe p : rs.probes) {
            if (alive || !p.state.up()) {
                return p.key.type();
            }
        }
        return "";
    }

    /** keepalived's quorum: lost when W < Q - H (or W = 0), gained when W >= Q + H. */
    private void quorum(VirtualServer vs) {
        int w = vs.liveWeight();
        int q = vs.settings.quorum();
        int h = vs.settings.hysteresis();
        if (vs.quorumUp && (w == 0 || w < q - h)) {
            vs.quorumUp = false;
            String line = "Lost quorum " + q + "-" + h + "=" + (q - h) + " > " + w + " for VS " + vs.text();
            LOG.info(line);
            fifo(vs, "VS " + vs.text() + " DOWN");
            script(vs, "quorum_down", vs.settings.quorumDown(), vs.settings.quorumDownUser());
            out.event(new CheckEvent(CheckEvent.Kind.QUORUM_LOST, vs.text(), "", -1, line, "", vs.settings.smtpAlert()));
        } else if (!vs.quorumUp && w > 0 && w >= q + h) {
            vs.quorumUp = true;
            String line = "Gained quorum " + q + "+" + h + "=" + (q + h) + " <= " + w + " for VS " + vs.text();
            LOG.info(line);
            fifo(vs, "VS " + vs.text() + " UP");
            script(vs, "quorum_up", vs.settings.quorumUp(), vs.settings.quorumUpUser());
            out.event(new CheckEvent(CheckEvent.Kind.QUORUM_GAINED, vs.text(), "", -1, line, "",
                    vs.settings.smtpAlert()));
        }
        sorry(vs);
    }

    /** While quorum is lost the sorry server, when there is one, replaces the pool. */
    private void sorry(VirtualServer vs) {
        boolean want = !vs.quorumUp && vs.sorry != null;
        if (want == vs.sorryActive) {
            return;
        }
        boolean inhibit = vs.settings.sorryInhibit();
        if (want) {
            vs.sorryActive = true;
            vs.sorry.inPool = true;
            LOG.info("{} sorry server {} to VS {}", inhibit ? "Enabling" : "Adding", vs.sorry.text, vs.text());
            // keepalived says so whenever the virtual server has real servers, alive or not
            if (!vs.reals.isEmpty()) {
                LOG.info("Removing alive servers from the pool for VS {}", vs.text());
            }
        } else {
            vs.sorryActive = false;
            if (vs.sorry != null) {
                vs.sorry.inPool = false;
                LOG.info("{} sorry server {} from VS {}", inhibit ? "Disabling" : "Removing", vs.sorry.text,
                        vs.text());
                if (!vs.reals.isEmpty()) {
                    LOG.info("Adding alive servers to the pool for VS {}", vs.text());
                }
            }
        }
    }

    private List<VirtualService> services(VirtualServer vs) {
        VsSettings s = vs.settings;
        List<Destination> dest = destinations(vs);
        List<VirtualService> list = new ArrayList<>();
        for (ServiceKey key : ServiceKeys.of(s, groups)) {
            list.add(new VirtualService(key, s.scheduler(), s.schedulerFlags(), s.persistenceTimeout(),
                    s.persistenceGranularity(), dest, vs.sorryActive));
        }
        return list;
    }

    private List<Destination> destinations(VirtualServer vs) {
        List<Destination> dest = new ArrayList<>();
        if (vs.sorryActive) {
            dest.add(new Destination(vs.sorry.settings.address(), vs.sorry.weight(), vs.sorry.method(vs.settings)));
            return dest;
        }
        for (RealServer rs : vs.reals.values()) {
            if (rs.inPool) {
                dest.add(new Destination(rs.settings.address(), rs.weight(), rs.method(vs.settings)));
            } else if (rs.inhibit()) {
                dest.add(new Destination(rs.settings.address(), 0, rs.method(vs.settings)));
            }
        }
        return dest;
    }

    private void publish(VirtualServer vs) {
        if (!vs.started) {
            return;
        }
        List<Destination> dest = destinations(vs);
        if (dest.equals(vs.published) && vs.publishedSorry == vs.sorryActive) {
            return;
        }
        vs.published = dest;
        vs.publishedSorry = vs.sorryActive;
        out.pool(vs.settings.key(), services(vs));
    }

    // ---- helpers ----

    private void script(VirtualServer vs, String what, String commandLine, org.vigil.script.RunAs user) {
        if (commandLine != null && !commandLine.isBlank()) {
            out.script(what, commandLine, user, vs.settings.scriptUser(), vs.settings.scriptSecurity());
        }
    }

    private void fifo(VirtualServer vs, String line) {
        if (!vs.settings.notifyFifo().isEmpty()) {
            out.fifo(vs.settings.notifyFifo(), line);
        }
    }

    /**
     * MISC_CHECK runs no connection: keepalived bounds the script by misc_timeout, by default the
     * delay_loop, and ignores connect_timeout. That is the spec's timeout (the type kills the script
     * at it) and, with {@link Schedule#deadlineGrace}, the engine's deadline.
     */
    private static double miscTimeout(CheckProperties props, double delayLoop) {
        double t = props.get("misc.timeout").map(v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return -1.0;
            }
        }).orElse(-1.0);
        return t > 0 ? t : delayLoop;
    }

    /** A bare keyword, or one with on/true/yes/1. */
    private static boolean flag(CheckProperties props, String key) {
        return props.tokens(key)
                .map(t -> t.isEmpty() || List.of("on", "true", "yes", "1").contains(t.get(0).toLowerCase(java.util.Locale.ROOT)))
                .orElse(false);
    }

    /** The line for an attempt the engine timed out, in the type's keepalived words where known. */
    static String timeoutLine(String type, String rs) {
        return switch (type) {
            case "TCP_CHECK" -> "TCP connection to " + rs + " timeout.";
            case "HTTP_GET", "SSL_GET" -> "Timeout connecting server " + rs + ".";
            default -> type + " on service " + rs + " timed out.";
        };
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The soft open-file limit from /proc/self/limits, or -1 when unknown. */
    private static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] w = line.substring("Max open files".length()).trim().split("\\s+");
                    return w[0].equals("unlimited") ? -1 : Long.parseLong(w[0]);
                }
            }
        } catch (Exception e) {
            // not Linux, or no /proc: no warning then
        }
        return -1;
    }

    /** What an attempt gets from the engine. */
    private record Context(Executor executor, ScheduledExecutorService scheduler, int attemptNumber)
            implements CheckContext {
    }
}
