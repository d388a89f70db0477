package org.vigil.core.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.codec.VrrpCodec;

/**
 * One VRRP instance's state machine: RFC 5798 section 6.4 with keepalived's startup, FAULT and
 * stop behaviour. Fed only decoded, authenticated adverts and events, always on the loop; acts
 * only through {@link InstanceActions}.
 */
final class VrrpInstance {
    /** Below this a late timer is scheduling noise, not worth a warning. */
    private static final long MIN_LATE_THRESHOLD_MICROS = 20_000;

    private final Loop loop;
    private final InstanceActions actions;
    private final RateLimiter limiter = new RateLimiter(RateLimiter.DEFAULT_WINDOW_MICROS);
    final Counters counters = new Counters();

    private InstanceConfig config;
    private InstanceState state = InstanceState.INIT;
    private Instant enteredState = Instant.now();
    private int priorityAdjustment;
    private int effectivePriority;
    private int masterAdverIntervalCs;
    /** The master's address as last heard, in the first {@link #masterLength} bytes; no allocation per advert. */
    private final byte[] masterBytes = new byte[16];
    private int masterLength;
    /** {@link #masterBytes} as an address, made when first asked for after a change. */
    private InetAddress masterAddress;
    /** Reusable: a backup re-arms it on every advert, which must not allocate. */
    private final Loop.Timer masterDownTimer;
    private final Loop.Timer adverTimer;
    /**
     * A takeover whose advert has left but whose slower rest (log lines, VIPs, transition) waits
     * for {@link Loop#afterDueTimers}; the state it came from. Every input settles it first, so
     * nothing the instance does can overtake it.
     */
    private InstanceState takeoverFrom;
    private final Runnable finishTakeover;
    private long masterDownDeadline;
    private long adverDeadline;
    private long startedMicros;
    private boolean started;
    /** Link up, a driver bound, an authenticator present. */
    private boolean linkUsable;
    /** Held in FAULT by a sync group member. */
    private boolean groupFault;
    /** What the last {@link #admitLog} returned: lines swallowed since the last one written. */
    private long admittedSuppressed;
    /**
     * Set on the loop, read by the driver's thread: this backup accepted its master's last advert
     * and only restarted the master-down timer, so the same advert again would do only that
     * ({@link ReceivePath.Routine}). Cleared by anything that could make the next one count for
     * more: a state change, a priority or configuration change, another kind of advert.
     */
    private volatile boolean followsMaster;

    VrrpInstance(InstanceConfig config, Loop loop, InstanceActions actions) {
        this.config = config;
        this.loop = loop;
        this.actions = actions;
        this.effectivePriority = clampedPriority(config.priority(), 0);
        this.masterAdverIntervalCs = config.advertIntervalCs();
        this.finishTakeover = this::finishTakeover;
        this.masterDownTimer = loop.timer(this::masterDownExpired);
        this.adverTimer = loop.timer(this::adverTimerExpired);
    }

    // ---- inputs -------------------------------------------------------------------------------

    /** Startup (RFC 5798 section 6.4.1), or FAULT (init) when nothing can carry adverts. */
    void start(boolean usable) {
        finishTakeover();
        if (started) {
            return;
        }
        started = true;
        linkUsable = usable;
        startedMicros = loop.nowMicros();
        if (!canRun()) {
            enterFault(true);
        } else {
            initialise(true);
        }
    }

    /**
     * The run conditions changed: {@code usable} = link up, a driver bound and an authenticator
     * present; {@code heldByGroup} = a sync group member cannot run. Either one false means FAULT.
     */
    void setConditions(boolean usable, boolean heldByGroup) {
        finishTakeover();
        linkUsable = usable;
        groupFault = heldByGroup;
        reevaluateFault();
    }

    boolean linkUsable() {
        return linkUsable;
    }

    private void reevaluateFault() {
        if (!started || state == InstanceState.INIT) {
            return;
        }
        if (!canRun() && state != InstanceState.FAULT) {
            enterFault(false);
        } else if (canRun() && state == InstanceState.FAULT) {
            initialise(false);
        }
    }

    private boolean canRun() {
        return linkUsable && !groupFault;
    }

    /**
     * A decoded advert that passed every receive check, for our VRID.
     *
     * @param source the sender's address, 4 or 16 bytes; read during the call only
     * @param receivedMicros when the driver read it, on the loop's clock ({@link Loop#receivedMicros})
     */
    void onAdvert(int priority, int advertIntervalCs, byte[] source, long receivedMicros) {
        finishTakeover();
        counters.advertsReceived++;
        if (priority == VrrpCodec.PRIORITY_STOP) {
            counters.priorityZeroReceived++;
        }
        if (state == InstanceState.BACKUP && masterDownTimer.armed() && receivedMicros >= masterDownDeadline) {
            // The advert arrived after Master_Down ran out; only the election thread was too late
            // to see the timer first. RFC 5798 orders events by when they happen: at the
            // deadline the timer fired and the backup became master (section 6.4.2), and the
            // advert, later, reaches a master (section 6.4.3), which yields to a higher priority
            // and answers a lower one. Keeping the backup in BACKUP instead would make the outcome
            // depend on how late this thread was rather than on what was on the wire.
            expireMasterDown();
            finishTakeover();
        }
        switch (state) {
            case BACKUP -> backupReceived(priority, advertIntervalCs, source, receivedMicros);
            case MASTER -> masterReceived(priority, advertIntervalCs, source);
            default -> {
                // INIT and FAULT ignore adverts (RFC 5798 section 6.4.1; keepalived FAULT)
            }
        }
    }

    /** Shutdown (RFC 5798 sections 6.4.2, 6.4.3): a master says priority 0 and lets go. */
    void stop() {
        finishTakeover();
        if (!started) {
            return;
        }
        InstanceState from = state;
        if (state == InstanceState.MASTER) {
            sendAdvert(VrrpCodec.PRIORITY_STOP);
            log("sent 0 priority", true);
            releaseAddresses();
            counters.releasedMaster++;
        }
        cancelTimers();
        setState(InstanceState.INIT);
        started = false;
        actions.transition(from, InstanceState.INIT, true);
    }

    /** Whether the same advert as the last would only restart the master-down timer (any thread). */
    boolean followsMaster() {
        return followsMaster;
    }

    /** The hook for tracking: base priority plus {@code adjustment}, kept in 1..254; owners never change. */
    void setPriorityAdjustment(int adjustment) {
        finishTakeover();
        followsMaster = false;
        priorityAdjustment = adjustment;
        updateEffectivePriority();
    }

    /** Applies a changed configuration of the same identity, keeping state, timers and counters. */
    void reconfigure(InstanceConfig next) {
        finishTakeover();
        followsMaster = false;
        InstanceConfig previous = config;
        config = next;
        if (next.version() == 2 || state != InstanceState.BACKUP) {
            masterAdverIntervalCs = next.advertIntervalCs();
        }
        // a configured change is not a tracking event: keepalived logs nothing for it on reload
        effectivePriority = clampedPriority(next.priority(), priorityAdjustment);
        if (state == InstanceState.MASTER) {
            List<VirtualAddress> removed = new ArrayList<>(previous.allAddresses());
            removed.removeAll(next.allAddresses());
            List<VirtualAddress> added = new ArrayList<>(next.allAddresses());
            added.removeAll(previous.allAddresses());
            List<VirtualRoute> removedRoutes = new ArrayList<>(previous.virtualRoutes());
            removedRoutes.removeAll(next.virtualRoutes());
            List<VirtualRoute> addedRoutes = new ArrayList<>(next.virtualRoutes());
            addedRoutes.removeAll(previous.virtualRoutes());
            List<VirtualRule> removedRules = new ArrayList<>(previous.virtualRules());
            removedRules.removeAll(next.virtualRules());
            List<VirtualRule> addedRules = new ArrayList<>(next.virtualRules());
            addedRules.removeAll(previous.virtualRules());
            if (!removed.isEmpty() || !removedRoutes.isEmpty() || !removedRules.isEmpty()) {
                actions.release(removed, removedRoutes, removedRules);
            }
            if (!added.isEmpty() || !addedRoutes.isEmpty() || !addedRules.isEmpty()) {
                actions.acquire(added, addedRoutes, addedRules);
            }
        }
    }

    /** Sync group: a member became master, so do we. */
    void followMaster() {
        finishTakeover();
        if (state == InstanceState.BACKUP) {
            becomeMaster(loop.nowMicros());
        }
    }

    /** Sync group: a member fell back to backup, so do we. */
    void followBackup() {
        finishTakeover();
        if (state == InstanceState.MASTER) {
            yieldToBackup(null);
        }
    }

    // ---- state handlers -----------------------------------------------------------------------

    private void initialise(boolean init) {
        masterAdverIntervalCs = config.advertIntervalCs();
        if (config.owner()) {
            becomeMaster(loop.nowMicros());
            return;
        }
        if (init) {
            // a crashed predecessor may have left our VIPs configured (keepalived does the same)
            log("removing VIPs.", true);
            actions.release(config.allAddresses(), config.virtualRoutes(), config.virtualRules());
        }
        InstanceState from = state;
        setState(InstanceState.BACKUP);
        forgetMaster();
        log(init ? "Entering BACKUP STATE (init)" : "Entering BACKUP STATE", false);
        long downMicros = init && config.initialMaster()
                // keepalived a.5: a non-owner "state MASTER" waits one interval plus skew only
                ? VrrpTimes.csToMicros(masterAdverIntervalCs) + skewMicros()
                : masterDownMicros();
        armMasterDown(loop.nowMicros() + downMicros);
        actions.transition(from, InstanceState.BACKUP, false);
    }

    private void backupReceived(int priority, int advertIntervalCs, byte[] source, long receivedMicros) {
        // RFC 5798 6.4.2: the timers restart when the advert arrived, not when we got to it
        long now = receivedMicros;
        followsMaster = false;
        if (priority == VrrpCodec.PRIORITY_STOP) {
            log("Backup received priority 0 advertisement", true);
            armMasterDown(now + skewMicros());
            return;
        }
        if (!preemptsNow() || priority >= ownPriority()) {
            if (config.version() == 3) {
                // RFC 5798 section 6.4.2: Master_Adver_Interval := the advert's interval
                masterAdverIntervalCs = advertIntervalCs;
            }
            rememberMaster(source);
            armMasterDown(now + masterDownMicros());
            followsMaster = true;
            return;
        }
        // preempting and the master is lower: let our master-down timer run out
        if (admitLog("lower-priority")) {
            logAdmitted("received lower priority (" + priority + ") advert from " + text(source) + " - discarding");
        }
    }

    private void masterReceived(int priority, int advertIntervalCs, byte[] source) {
        long now = loop.nowMicros();
        int ours = ownPriority();
        if (priority == VrrpCodec.PRIORITY_STOP) {
            sendAdvert(ours);
            armAdverTimer(now + VrrpTimes.csToMicros(config.advertIntervalCs()));
            return;
        }
        boolean higher = priority > ours;
        boolean tieLost = priority == ours && compareUnsigned(source, localAddressBytes()) > 0;
        if (higher || tieLost) {
            if (higher) {
                log("Master received advert from " + text(source) + " with higher priority " + priority
                        + ", ours " + ours, false);
            } else {
                log("Master received advert from " + text(source) + " with same priority " + priority
                        + " but higher IP address than ours", false);
            }
            if (config.higherPrioSendAdvert()) {
                // one last advert so the winner sees us and re-announces its VIPs (split-brain recovery)
                sendAdvert(ours);
            }
            if (config.version() == 3) {
                masterAdverIntervalCs = advertIntervalCs;
            }
            yieldToBackup(source);
            return;
        }
        // The answer (log, advert, GARP restart) is rate-limited like every per-packet reaction: a
        // flood of forged lower-priority adverts must not turn into a flood of adverts and GARPs.
        // One answer per advert interval is what a real lower-priority peer needs to back off.
        long suppressed = limiter.admit("lower-priority-answer", now, VrrpTimes.csToMicros(config.advertIntervalCs()));
        if (suppressed < 0) {
            counters.lowerPriorityIgnored++;
            return;
        }
        if (admitLog("lower-priority-master")) {
            logAdmitted("Received advert from " + text(source) + " with lower priority " + priority + ", ours " + ours
                    + ", forcing new election");
        }
        actions.masterHeardLowerPriority();
        if (!config.lowerPrioNoAdvert()) {
            sendAdvert(ours);
        }
        // garp_lower_prio_*: re-announce so that a confused segment learns who is master
        actions.announceLowerPriority();
    }

    private void becomeMaster(long fromDeadlineMicros) {
        InstanceState from = state;
        takeMaster(fromDeadlineMicros);
        completeMaster(from);
    }

    /**
     * The advert first, before any slower work (log lines, VIPs, GARPs, notifications), so a
     * takeover costs the protocol's time and no more; and so the old master drops the VIPs
     * before we add them (keepalived a.5).
     */
    private void takeMaster(long fromDeadlineMicros) {
        cancelTimers();
        setState(InstanceState.MASTER);
        actions.enteringMaster();
        sendAdvert(ownPriority());
        counters.becameMaster++;
        forgetMaster();
        armAdverTimer(fromDeadlineMicros + VrrpTimes.csToMicros(config.advertIntervalCs()));
    }

    private void completeMaster(InstanceState from) {
        log("Entering MASTER STATE", false);
        log("setting VIPs.", true);
        actions.acquire(config.allAddresses(), config.virtualRoutes(), config.virtualRules());
        actions.transition(from, InstanceState.MASTER, false);
    }

    private void yieldToBackup(byte[] newMaster) {
        cancelTimers();
        InstanceState from = state;
        setState(InstanceState.BACKUP);
        log("Entering BACKUP STATE", false);
        releaseAddresses();
        counters.releasedMaster++;
        if (newMaster == null) {
            forgetMaster();
        } else {
            rememberMaster(newMaster);
        }
        armMasterDown(loop.nowMicros() + masterDownMicros());
        actions.transition(from, InstanceState.BACKUP, false);
    }

    private void enterFault(boolean init) {
        InstanceState from = state;
        cancelTimers();
        setState(InstanceState.FAULT);
        log(init ? "Entering FAULT STATE (init)" : "Entering FAULT STATE", false);
        if (from == InstanceState.MASTER) {
            // tell the backups at once if a channel still works, instead of letting them time out
            if (sendAdvert(VrrpCodec.PRIORITY_STOP)) {
                log("sent 0 priority", true);
            }
            releaseAddresses();
            counters.releasedMaster++;
        }
        forgetMaster();
        actions.transition(from, InstanceState.FAULT, false);
    }

    private void releaseAddresses() {
        log("removing VIPs.", true);
        actions.release(config.allAddresses(), config.virtualRoutes(), config.virtualRules());
    }

    // ---- timers -------------------------------------------------------------------------------

    private void armMasterDown(long deadlineMicros) {
        masterDownDeadline = deadlineMicros;
        masterDownTimer.arm(deadlineMicros);
    }

    private void masterDownExpired() {
        if (state != InstanceState.BACKUP) {
            return;
        }
        // an advert that is already here (in the socket, or queued behind this timer) decides first:
        // on a loaded machine the driver thread can be scheduled after the election thread. The
        // queue first: a followed master's routine adverts wait there without waking the loop, so
        // this timer is how they are taken, a few times per Master_Down_Interval; when one of them
        // restarted Master_Down, reading the socket (a system call) would decide nothing
        actions.receiveQueued();
        if (state == InstanceState.BACKUP && !masterDownTimer.armed()) {
            actions.receiveArrived();
        }
        if (state != InstanceState.BACKUP || masterDownTimer.armed()) {
            return;
        }
        expireMasterDown();
    }

    /** Master_Down ran out at {@link #masterDownDeadline}: the takeover advert now, the rest after every due timer. */
    private void expireMasterDown() {
        checkLate(masterDownDeadline, false);
        InstanceState from = state;
        takeMaster(masterDownDeadline);
        // the rest after every takeover due now has sent its advert (hundreds of backups time out
        // together when a master dies)
        takeoverFrom = from;
        loop.afterDueTimers(finishTakeover);
    }

    private void finishTakeover() {
        InstanceState from = takeoverFrom;
        if (from == null) {
            return;
        }
        takeoverFrom = null;
        log("Receive advertisement timeout", true);
        completeMaster(from);
    }

    private void armAdverTimer(long deadlineMicros) {
        adverDeadline = deadlineMicros;
        adverTimer.arm(deadlineMicros, VrrpTimes.advertSlackMicros(config.advertIntervalCs()));
    }

    private void adverTimerExpired() {
        finishTakeover();
        if (state != InstanceState.MASTER) {
            return;
        }
        long deadlineMicros = adverDeadline;
        checkLate(deadlineMicros, true);
        sendAdvert(ownPriority());
        long interval = VrrpTimes.csToMicros(config.advertIntervalCs());
        // fixed rate from the previous deadline, also when this advert left early to share the
        // wake-up of other timers (its slack): the wake-up at the earliest deadline takes every
        // advert due within the slack after it, so a master with hundreds of instances still wakes
        // a few times a second, and no instance's phase moves. (Counting from an early departure
        // instead merged the phases for good, and made DriverSwapIT's backup take over across a
        // driver swap; not understood yet, so not kept.) After a stall, skip the missed slots
        // instead of sending a burst
        long now = loop.nowMicros();
        long next = deadlineMicros + interval;
        if (next <= now) {
            next += ((now - next) / interval + 1) * interval;
        }
        armAdverTimer(next);
    }

    private void checkLate(long deadlineMicros, boolean advert) {
        long late = loop.nowMicros() - deadlineMicros;
        actions.timerFired(advert, late);
        long threshold = Math.max(MIN_LATE_THRESHOLD_MICROS, VrrpTimes.csToMicros(config.advertIntervalCs()) / 4);
        if (late > threshold) {
            counters.lateTimers++;
            long suppressed = limiter.admit("late-timer", loop.nowMicros());
            if (suppressed >= 0) {
                actions.log(RateLimiter.withCount(String.format(Locale.ROOT, "A thread timer expired %.3f seconds ago",
                        late / 1e6), suppressed), false);
            }
        }
    }

    private void cancelTimers() {
        masterDownTimer.cancel();
        adverTimer.cancel();
    }

    private void rememberMaster(byte[] source) {
        if (masterLength != source.length || !java.util.Arrays.equals(masterBytes, 0, masterLength, source, 0,
                source.length)) {
            System.arraycopy(source, 0, masterBytes, 0, source.length);
            masterLength = source.length;
            masterAddress = null;
        }
    }

    private void forgetMaster() {
        followsMaster = false;
        masterLength = 0;
        masterAddress = null;
    }

    /** For log lines only: allocates. */
    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private boolean sendAdvert(int priority) {
        boolean sent = actions.sendAdvert(priority);
        if (sent) {
            counters.advertsSent++;
            if (priority == VrrpCodec.PRIORITY_STOP) {
                counters.priorityZeroSent++;
            }
        }
        return sent;
    }

    /** keepalived's preempt_delay: for that long after startup a backup acts as nopreempt. */
    private boolean preemptsNow() {
        return config.preempt() && loop.nowMicros() - startedMicros >= config.preemptDelayMillis() * 1_000;
    }

    /** The priority we advertise and compare with: 255 for an owner. */
    int ownPriority() {
        return config.owner() ? VrrpCodec.PRIORITY_OWNER : effectivePriority;
    }

    long skewMicros() {
        return VrrpTimes.skewMicros(config.version(), ownPriority(), masterAdverIntervalCs);
    }

    long masterDownMicros() {
        return VrrpTimes.masterDownMicros(config.version(), ownPriority(), masterAdverIntervalCs,
                config.downTimerAdverts());
    }

    private void updateEffectivePriority() {
        int next = clampedPriority(config.priority(), priorityAdjustment);
        if (next != effectivePriority) {
            log("Changing effective priority from " + effectivePriority + " to " + next, false);
            effectivePriority = next;
            actions.priorityChanged(next);
        }
    }

    private static int clampedPriority(int base, int adjustment) {
        if (base == VrrpCodec.PRIORITY_OWNER) {
            return base;
        }
        return Math.max(VrrpTimes.MIN_BACKUP_PRIORITY, Math.min(VrrpTimes.MAX_BACKUP_PRIORITY, base + adjustment));
    }

    private byte[] localAddressBytes() {
        InetAddress local = actions.localAddress();
        return local == null ? new byte[0] : local.getAddress();
    }

    /** Unsigned, network byte order (RFC 9568 section 6.4.3); a missing address is lowest. */
    static int compareUnsigned(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        for (int i = 0; i < a.length; i++) {
            int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private void setState(InstanceState next) {
        followsMaster = false;
        state = next;
        enteredState = Instant.now();
    }

    private void log(String line, boolean detail) {
        actions.log("(" + config.name() + ") " + line, detail);
    }

    /** Rate-limited instance line: one per key per 10 s with the count of those swallowed. */
    void logLimited(String key, String line) {
        if (admitLog(key)) {
            logAdmitted(line);
        }
    }

    /**
     * The allocation-free half of {@link #logLimited}: whether a line for {@code key} may be
     * written now. When true, build the line and pass it to {@link #logAdmitted}, so that a
     * flood costs a map lookup per packet, never a string.
     */
    boolean admitLog(String key) {
        admittedSuppressed = limiter.admit(key, loop.nowMicros());
        return admittedSuppressed >= 0;
    }

    /** Writes the line {@link #admitLog} just admitted, with the count of those it swallowed. */
    void logAdmitted(String line) {
        log(RateLimiter.withCount(line, admittedSuppressed), false);
    }

    // ---- views --------------------------------------------------------------------------------

    InstanceState state() {
        return state;
    }

    InstanceConfig config() {
        return config;
    }

    int effectivePriority() {
        return effectivePriority;
    }

    int masterAdverIntervalCs() {
        return masterAdverIntervalCs;
    }

    /** The master as last heard (null when unknown or when we are master); allocates once per change. */
    InetAddress masterAddress() {
        if (masterAddress == null && masterLength > 0) {
            try {
                masterAddress = InetAddress.getByAddress(java.util.Arrays.copyOf(masterBytes, masterLength));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return masterAddress;
    }

    /** Deadline of the master-down timer, or -1 when it is not armed. */
    long masterDownDeadline() {
        return masterDownTimer.deadlineMicros();
    }

    /** Deadline of the advert timer, or -1 when it is not armed. */
    long adverTimerDeadline() {
        return adverTimer.deadlineMicros();
    }

    InstanceStatus status() {
        return status(java.util.Map.of());
    }

    /** @param channelDropped drops on the shared receive channel that belong to no instance */
    InstanceStatus status(java.util.Map<String, Long> channelDropped) {
        InetAddress master = state == InstanceState.MASTER ? actions.localAddress() : masterAddress();
        if (master != statusMaster) {
            statusMaster = master;
            statusMasterText = master == null ? null : master.getHostAddress();
        }
        if (config != statusConfig) {
            statusConfig = config;
            statusVips = config.virtualAddresses().stream().map(this::cidr).toList();
        }
        List<VirtualAddress> held = actions.held();
        List<String> heldText = new ArrayList<>(held.size());
        for (VirtualAddress a : held) {
            heldText.add(cidr(a));
        }
        return new InstanceStatus(config.name(), state, config.vrid(), config.family(), config.version(),
                config.interfaceName(), config.priority(), ownPriority(), statusMasterText, config.advertIntervalCs(),
                masterAdverIntervalCs, skewMicros(), masterDownMicros(), config.preempt(), config.preemptDelayMillis(),
                statusVips, heldText, counters.snapshot(channelDropped), enteredState);
    }

    /*
     * A scrape or status page builds every instance's status on the election thread (510
     * instances: 0.57 ms CPU and 655 KB per call before these caches, 0.27 ms and 227 KB with
     * them, StatusCostTest): the texts that change only with the configuration or the master are
     * made once, not per call.
     */
    private InetAddress statusMaster;
    private String statusMasterText;
    private InstanceConfig statusConfig;
    private List<String> statusVips;
    private final java.util.Map<VirtualAddress, String> cidrTexts = new java.util.HashMap<>();

    /** An address's "a/len" text, made once per address (the held ones are among the configured). */
    private String cidr(VirtualAddress a) {
        String text = cidrTexts.get(a);
        if (text == null) {
            if (cidrTexts.size() > 4 * (config.virtualAddresses().size() + 4)) {
                cidrTexts.clear(); // addresses of earlier configurations
            }
            text = a.cidr();
            cidrTexts.put(a, text);
        }
        return text;
    }
}
