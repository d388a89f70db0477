package org.vigil.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.vigil.api.auth.AhSession;
import org.vigil.api.auth.HmacResult;
import org.vigil.api.auth.HmacSession;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.codec.DecodeStatus;
import org.vigil.codec.DecodedAdvert;
import org.vigil.codec.VrrpCodec;

/**
 * The receive side of the election core (ARCHITECTURE, scaling rule and receive rule): one driver
 * channel per interface, family, protocol, group and source, shared by every instance on it and
 * demultiplexed by VRID here; a bounded queue per channel between the driver's thread and the
 * loop; the receive checks; and the drop accounting. The cost of a packet does not grow with the
 * number of instances, and the path from the driver's buffer to the state machine allocates
 * nothing.
 *
 * <p>Loop-confined, except {@link Channel#received}, which runs on the driver's thread.
 */
final class ReceivePath {
    /** Packets a channel queues for the loop (a power of two); 510 instances advertise in one burst, junk comes on top. */
    static final int QUEUE_CAPACITY = 1024;
    /** Packets read and processed before a master-down decision ({@link Channel#catchUp}). */
    static final int CATCH_UP = 64;
    /**
     * Routine adverts a channel queues without waking the loop ({@link Channel#received}). Half
     * of {@link #CATCH_UP}, so a master-down decision always reaches the newest of them.
     */
    static final int QUIET_LIMIT = CATCH_UP / 2;
    /** VRRP header bytes a routine advert repeats: version and type, VRID, priority, count, interval (v2: auth type, interval). */
    static final int ROUTINE_BYTES = 6;

    /** What identifies a shared channel: the spec without the unicast peers, which only sending uses. */
    record ChannelKey(String interfaceName, IpFamily family, int protocol, InetAddress group, InetAddress source) {
        static ChannelKey of(ChannelSpec spec) {
            return new ChannelKey(spec.interfaceName(), spec.family(), spec.protocol(), spec.group(), spec.source());
        }

        ChannelSpec spec() {
            return new ChannelSpec(interfaceName, family, protocol, group, List.of(), source);
        }
    }

    private final Loop loop;
    private final Map<ChannelKey, Channel> channels = new HashMap<>();
    private final DecodedAdvert decoded = new DecodedAdvert();
    // exact-size copies of the addresses for the codec's pseudo-header and the state machine
    private final byte[] source4 = new byte[4];
    private final byte[] destination4 = new byte[4];
    private final byte[] source16 = new byte[16];
    private final byte[] destination16 = new byte[16];

    ReceivePath(Loop loop) {
        this.loop = loop;
    }

    /**
     * Puts the instance on the channel its spec needs, opening that channel on {@code driver}
     * when it is the first. The instance's VRID must be free on that channel (the engine's
     * identity check sees to it).
     */
    Channel join(InstanceRuntime rt, ChannelSpec spec, InterfaceDriver driver) throws IOException {
        ChannelKey key = ChannelKey.of(spec);
        Channel ch = channels.get(key);
        if (ch == null) {
            ch = new Channel(key);
            ch.channel = driver.open(key.spec(), ch);
            InetAddress local = ch.channel.sourceAddress();
            ch.localSource = local == null ? new byte[0] : local.getAddress();
            channels.put(key, ch);
        }
        ch.add(rt);
        return ch;
    }

    /** Takes the instance off its channel; the last one out closes it (without waiting for the driver's thread). */
    void leave(InstanceRuntime rt, Channel ch) {
        if (ch == null || !ch.remove(rt)) {
            return;
        }
        if (ch.members == 0) {
            channels.remove(ch.key);
            ch.close();
        }
    }

    int channelCount() {
        return channels.size();
    }

    List<Channel> channels() {
        return new ArrayList<>(channels.values());
    }

    /** One shared channel and its queue. */
    final class Channel implements PacketListener, Loop.ReceiveSource {
        final ChannelKey key;
        PacketChannel channel;
        byte[] localSource = new byte[0];
        private final InstanceRuntime[] byVrid = new InstanceRuntime[256];
        int members;
        /** The VRIDs of the members, for the driver thread's early filter; replaced, never changed in place. */
        private volatile long[] wanted = new long[4];

        // the queue: single consumer (the loop); producers serialised by the monitor of `slots`
        private final ReceivedPacket[] slots = new ReceivedPacket[QUEUE_CAPACITY];
        private volatile long head;
        private volatile long tail;
        private final AtomicBoolean signalled = new AtomicBoolean();
        private volatile boolean closed;

        /**
         * Per VRID, the advert that would change nothing but the backup's master-down timer
         * (published by the loop, read by the driver's thread): such an advert is queued without
         * waking the loop (see {@link #received}).
         */
        private final AtomicReferenceArray<Routine> routine = new AtomicReferenceArray<>(256);

        // counted on the driver's thread
        private final AtomicLongArray overflowByVrid = new AtomicLongArray(256);
        private final AtomicLong runtsEarly = new AtomicLong();
        private final AtomicLong unknownEarly = new AtomicLong();
        // counted on the loop
        private long unknownVrid;
        private long runts;

        Channel(ChannelKey key) {
            this.key = key;
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new ReceivedPacket();
            }
        }

        private void add(InstanceRuntime rt) {
            int vrid = rt.config.vrid();
            if (byVrid[vrid] == null) {
                members++;
            }
            byVrid[vrid] = rt;
            publishWanted();
        }

        private boolean remove(InstanceRuntime rt) {
            int vrid = rt.config.vrid();
            if (byVrid[vrid] != rt) {
                return false;
            }
            byVrid[vrid] = null;
            routine.set(vrid, null);
            members--;
            publishWanted();
            return true;
        }

        private void publishWanted() {
            long[] bits = new long[4];
            BitSet set = new BitSet(256);
            for (int v = 1; v < 256; v++) {
                if (byVrid[v] != null) {
                    bits[v >>> 6] |= 1L << (v & 63);
                    set.set(v);
                }
            }
            wanted = bits;
            if (channel != null) {
                // a kernel socket filter where the driver has one: junk for other VRIDs never reaches Java
                channel.acceptVrids(set);
            }
        }

        private void close() {
            closed = true;
            try {
                channel.close();
            } catch (RuntimeException e) {
                // the driver's problem; the instances have moved on
            }
        }

        // ---- driver thread ----------------------------------------------------------------------

        /**
         * Copies the packet into the queue, or counts it; never blocks, never allocates once warm.
         *
         * <p>Wakes the loop unless the packet repeats its instance's {@link Routine} advert and
         * fewer than {@link #QUIET_LIMIT} packets wait: a backup's steady stream of adverts from
         * its master then costs the election thread one wake-up per master-down interval (when
         * the timer's {@link #catchUp} takes them) or per {@code QUIET_LIMIT} adverts, instead of
         * one per advert. Nothing is lost or reordered: the queue is the same, and the master-down
         * timer restarts from each advert's receive stamp, whenever the loop gets to it.
         */
        @Override
        public void received(ReceivedPacket p) {
            if (closed) {
                return;
            }
            int vrid = vridOf(p);
            if (vrid < 0) {
                runtsEarly.getAndIncrement();
                return;
            }
            long[] bits = wanted;
            if ((bits[vrid >>> 6] & (1L << (vrid & 63))) == 0) {
                unknownEarly.getAndIncrement();
                return;
            }
            synchronized (slots) {
                long t = tail;
                if (t - head >= QUEUE_CAPACITY) {
                    overflowByVrid.getAndIncrement(vrid);
                    return;
                }
                slots[(int) (t & (QUEUE_CAPACITY - 1))].copyFrom(p);
                tail = t + 1;
                if (t + 1 - head < QUIET_LIMIT) {
                    Routine r = routine.get(vrid);
                    if (r != null && r.machine.followsMaster() && r.matches(p)) {
                        return;
                    }
                }
            }
            if (!signalled.getAndSet(true)) {
                loop.ready(this);
            }
        }

        // ---- loop -------------------------------------------------------------------------------

        @Override
        public boolean drain(int budget) {
            int done = 0;
            while (done < budget) {
                long h = head;
                if (h == tail) {
                    break;
                }
                if (!closed) {
                    process(this, slots[(int) (h & (QUEUE_CAPACITY - 1))]);
                }
                head = h + 1;
                done++;
            }
            if (head != tail) {
                return true;
            }
            signalled.set(false);
            // a packet queued between the check above and the reset would otherwise wait for the next one
            return head != tail && !signalled.getAndSet(true);
        }

        /**
         * Reads what the kernel holds for this channel and processes the queue, at most
         * {@link #CATCH_UP} packets of each: bounded, so a flood costs the master-down decision
         * one batch, never more.
         */
        void catchUp() {
            if (closed || channel == null) {
                return;
            }
            // the routine adverts queued quietly first: they are older than what the socket holds
            drainQuiet();
            channel.receivePending(CATCH_UP);
            drainQuiet();
        }

        /**
         * Processes the queue now, at most {@link #CATCH_UP} packets (the routine adverts queued
         * without waking the loop, and whatever came after them); what is left is signalled to the
         * loop as usual.
         */
        void drainQuiet() {
            if (drain(CATCH_UP) && !signalled.getAndSet(true)) {
                loop.ready(this);
            }
        }

        /**
         * After the loop processed an advert from {@code source} whose VRRP header starts at
         * {@code offset}: publishes it as the instance's routine advert when the machine now
         * {@link VrrpInstance#followsMaster follows} that master (allocating only when it changed).
         */
        void learnRoutine(InstanceRuntime rt, byte[] source, byte[] data, int offset, int length) {
            int vrid = rt.config.vrid();
            if (!rt.machine.followsMaster() || length < ROUTINE_BYTES) {
                if (routine.get(vrid) != null) {
                    routine.set(vrid, null);
                }
                return;
            }
            Routine r = routine.get(vrid);
            if (r == null || r.machine != rt.machine || !r.same(source, data, offset)) {
                routine.set(vrid, new Routine(rt.machine, source, data, offset));
            }
        }

        InstanceRuntime member(int vrid) {
            return byVrid[vrid];
        }

        /** Packets for {@code vrid} the queue had no room for (counted on the driver's thread). */
        long overflow(int vrid) {
            return overflowByVrid.get(vrid);
        }

        /** Channel-level drops by reason name, for every member's counters. */
        Map<String, Long> dropped() {
            long unknown = unknownVrid + unknownEarly.get();
            long runt = runts + runtsEarly.get();
            if (unknown == 0 && runt == 0) {
                return Map.of(); // the common case, asked once per instance per scrape
            }
            Map<String, Long> out = new TreeMap<>();
            if (unknown > 0) {
                out.put(ReceiveDrop.UNKNOWN_VRID.name(), unknown);
            }
            if (runt > 0) {
                out.put(ReceiveDrop.RUNT.name(), runt);
            }
            return out;
        }

        @Override
        public String toString() {
            return "channel " + key + " (" + members + " instances)";
        }
    }

    /**
     * A backup's routine advert: its master's address and the first {@link #ROUTINE_BYTES} of the
     * VRRP header (priority and interval among them). One of them again changes nothing but the
     * master-down timer, for as long as the machine {@link VrrpInstance#followsMaster follows} the
     * master (it stops at any state change). A different priority, interval or sender wakes the
     * loop at once. VRRP only: an AH advert's sequence number makes every one new.
     */
    static final class Routine {
        final VrrpInstance machine;
        private final byte[] source;
        private final byte[] header;

        Routine(VrrpInstance machine, byte[] source, byte[] data, int offset) {
            this.machine = machine;
            this.source = source.clone();
            this.header = java.util.Arrays.copyOfRange(data, offset, offset + ROUTINE_BYTES);
        }

        boolean same(byte[] src, byte[] data, int offset) {
            return java.util.Arrays.equals(source, src)
                    && java.util.Arrays.equals(header, 0, ROUTINE_BYTES, data, offset, offset + ROUTINE_BYTES);
        }

        /** On the driver's thread. */
        boolean matches(ReceivedPacket p) {
            return p.protocol() == VrrpCodec.IP_PROTOCOL && p.length() >= ROUTINE_BYTES
                    && p.addressLength() == source.length && p.sourceEquals(source)
                    && java.util.Arrays.equals(header, 0, ROUTINE_BYTES, p.data(), p.offset(), p.offset() + ROUTINE_BYTES);
        }
    }

    /** The VRID byte, after the AH header for protocol 51; -1 when the packet is too short. */
    private static int vridOf(ReceivedPacket p) {
        int skip = p.protocol() == AhSession.IP_PROTOCOL ? AhSession.AH_LENGTH : 0;
        if (p.length() < skip + 2) {
            return -1;
        }
        return p.data()[p.offset() + skip + 1] & 0xff;
    }

    // ---- the receive checks -----------------------------------------------------------------------

    /** On the loop: every receive check, then the state machine. A failed check only counts. */
    void process(Channel ch, ReceivedPacket p) {
        byte[] data = p.data();
        // AH (keepalived-behaviour.md a.4): the VRRP packet follows the 24-byte AH header
        boolean ah = p.protocol() == AhSession.IP_PROTOCOL;
        int vrrpOffset = p.offset() + (ah ? AhSession.AH_LENGTH : 0);
        int vrrpLength = p.length() - (ah ? AhSession.AH_LENGTH : 0);
        if (vrrpLength < 2) {
            ch.runts++;
            return;
        }
        InstanceRuntime rt = ch.member(data[vrrpOffset + 1] & 0xff);
        if (rt == null) {
            // RFC 5798 section 7.1: not our VRID; counted, silent
            ch.unknownVrid++;
            return;
        }
        if (p.sourceEquals(ch.localSource)) {
            return; // our own advert looped back by the driver
        }
        InstanceConfig cfg = rt.config;
        VrrpInstance machine = rt.machine;
        if (!ah && p.protocol() != VrrpCodec.IP_PROTOCOL) {
            if (drop(rt, ReceiveDrop.UNSUPPORTED_PROTOCOL)) {
                machine.logAdmitted("received IP protocol " + p.protocol() + " from " + from(p));
            }
            return;
        }
        if (ah != rt.usesAh()) {
            // keepalived checks this before anything else of the packet
            if (drop(rt, ReceiveDrop.AUTH_TYPE_MISMATCH)) {
                machine.logAdmitted(ah ? "Received AH header but auth type not AH" : "No AH header but auth type is AH");
            }
            return;
        }
        if (ah && (data[p.offset()] & 0xff) != VrrpCodec.IP_PROTOCOL) {
            // keepalived ignores "an AH header for some other protocol" without a word; we count it
            if (drop(rt, ReceiveDrop.AH_NOT_VRRP)) {
                machine.logAdmitted("IPSEC-AH : next header " + (data[p.offset()] & 0xff) + " is not VRRP - ignoring");
            }
            return;
        }
        boolean ipv6 = cfg.family() == IpFamily.IPV6;
        byte[] src = ipv6 ? source16 : source4;
        byte[] dst = ipv6 ? destination16 : destination4;
        if (p.addressLength() == src.length) {
            System.arraycopy(p.sourceBytes(), 0, src, 0, src.length);
            System.arraycopy(p.destinationBytes(), 0, dst, 0, dst.length);
        } else {
            // a driver without addresses: the codec then fails a checksum that needs them
            java.util.Arrays.fill(src, (byte) 0);
            java.util.Arrays.fill(dst, (byte) 0);
        }
        // keepalived checks TTL 255 only on multicast: routed unicast peers arrive with less
        int ttl = cfg.unicast() ? VrrpCodec.TTL : p.ttl();
        HmacSession hmac = rt.hmac;
        int trailer = hmac == null ? 0 : trailerLength(data, vrrpOffset, vrrpLength, ipv6);
        DecodeStatus status = VrrpCodec.decode(data, vrrpOffset, vrrpLength, ipv6, src, dst, ttl, trailer, decoded);
        if (status != DecodeStatus.OK) {
            if (drop(rt, ReceiveDrop.of(status))) {
                machine.logAdmitted(decodeReason(status, from(p), cfg));
            }
            return;
        }
        if (decoded.version() != cfg.version()) {
            if (drop(rt, ReceiveDrop.VERSION_MISMATCH)) {
                machine.logAdmitted("wrong version. Received " + decoded.version() + " and expect " + cfg.version());
            }
            return;
        }
        if (hmac != null && !passesHmac(rt, hmac, trailer, vrrpOffset, src, p)) {
            return;
        }
        if (cfg.version() == 2 && !passesV2Checks(rt, p, ah)) {
            return;
        }
        if (hmac != null && trailer > 0) {
            // every check passed: now, and only now, the sender's replay mark moves
            hmac.accept();
        }
        if (decoded.priority() != VrrpCodec.PRIORITY_STOP) {
            checkAddressList(rt);
        }
        machine.onAdvert(decoded.priority(), decoded.advertIntervalCs(), src, loop.receivedMicros(p.receivedNanos()));
        if (!ah) {
            ch.learnRoutine(rt, src, data, vrrpOffset, vrrpLength);
        }
    }

    /** Processes the adverts every channel queued without waking the loop: before a management call reads counters. */
    void drainQuiet() {
        for (Channel ch : channels.values()) {
            if (!ch.closed) {
                ch.drainQuiet();
            }
        }
    }

    /**
     * auth_hmac's trailer length in this packet: 28 when exactly a trailer follows the message its
     * header announces, else 0 (and the codec judges the length as for any advert).
     */
    private static int trailerLength(byte[] data, int offset, int length, boolean ipv6) {
        if (length < VrrpCodec.HEADER_LENGTH) {
            return 0;
        }
        int version = (data[offset] & 0xff) >>> 4;
        int message = VrrpCodec.messageLength(version, ipv6, data[offset + 3] & 0xff);
        return length == message + HmacSession.TRAILER_LENGTH ? HmacSession.TRAILER_LENGTH : 0;
    }

    /** auth_hmac: a valid trailer, or none where the mode accepts unsigned adverts. */
    private boolean passesHmac(InstanceRuntime rt, HmacSession hmac, int trailer, int offset, byte[] src,
            ReceivedPacket p) {
        if (trailer == 0) {
            if (hmac.acceptsUnsigned()) {
                return true;
            }
            if (drop(rt, ReceiveDrop.HMAC_MISSING)) {
                rt.machine.logAdmitted("auth_hmac: advert without a trailer from " + from(p) + " - dropped");
            }
            return false;
        }
        HmacResult r = hmac.verify(p.data(), offset, decoded.length(), decoded.version(), decoded.vrid(), src);
        if (r != HmacResult.OK) {
            if (drop(rt, ReceiveDrop.of(r))) {
                rt.machine.logAdmitted("auth_hmac: " + hmacReason(r) + " from " + from(p) + " - dropped");
            }
            return false;
        }
        int skew = hmac.lastSkewSeconds();
        if (hmac.settings().timeAntiReplay() && 2 * Math.abs(skew) > hmac.settings().timeWindowSeconds()) {
            rt.machine.logLimited("hmac-skew", "auth_hmac: the clock of " + from(p) + " is " + skew
                    + " s off ours, over half the time_window; check NTP");
        }
        return true;
    }

    private static String hmacReason(HmacResult r) {
        return switch (r) {
            case MALFORMED -> "malformed trailer";
            case STALE -> "stale trailer (timestamp outside time_window)";
            case UNKNOWN_KEY -> "unknown key id";
            case BAD_HMAC -> "invalid HMAC";
            case REPLAY -> "replayed sequence number";
            case OK -> "ok";
        };
    }

    /** Authentication, then the interval; only an advert that passes both raises the AH replay counter. */
    private boolean passesV2Checks(InstanceRuntime rt, ReceivedPacket p, boolean ah) {
        InstanceConfig cfg = rt.config;
        String reason = rt.session == null ? null : rt.session.check(decoded.authType(), decoded.buffer(),
                decoded.authDataOffset());
        if (rt.session == null || reason != null) {
            if (drop(rt, ReceiveDrop.AUTH_FAILED)) {
                rt.machine.logAdmitted(reason != null ? reason : "no authenticator for " + cfg.authType());
            }
            return false;
        }
        AhSession ahSession = ah && rt.session instanceof AhSession s ? s : null;
        if (ah) {
            String ahReason = ahSession == null ? "no AH session"
                    : ahSession.verify(p.protocol(), p.data(), p.headerOffset(), p.headerLength(), p.offset(),
                            p.length(), cfg.unicast());
            if (ahReason != null) {
                if (drop(rt, ReceiveDrop.AUTH_FAILED)) {
                    rt.machine.logAdmitted(ahReason);
                }
                return false;
            }
        }
        if (decoded.advertIntervalCs() != cfg.advertIntervalCs()) {
            // RFC 3768 section 7.1: MUST drop
            if (drop(rt, ReceiveDrop.INTERVAL_MISMATCH)) {
                rt.machine.logAdmitted("advertisement interval mismatch mine=" + cfg.advertIntervalCs() / 100
                        + " sec rcv'd=" + decoded.advertIntervalCs() / 100 + " sec");
            }
            return false;
        }
        if (ahSession != null) {
            // every check passed: now, and only now, the advert's sequence number counts
            ahSession.accept();
        }
        return true;
    }

    /** Logged and counted but processed, as keepalived does (RFC 5798 section 7.1: SHOULD log). */
    private void checkAddressList(InstanceRuntime rt) {
        List<VirtualAddress> ours = rt.config.virtualAddresses();
        byte[][] ourBytes = rt.vipBytes();
        boolean mismatch = false;
        if (decoded.addressCount() != ourBytes.length) {
            mismatch = true;
            if (rt.machine.admitLog("address-count")) {
                rt.machine.logAdmitted("expected " + ourBytes.length + " VIPs but received " + decoded.addressCount());
            }
        }
        for (int i = 0; i < ourBytes.length; i++) {
            if (!decoded.containsAddress(ourBytes[i])) {
                mismatch = true;
                String vip = ours.get(i).address().getHostAddress();
                rt.machine.logLimited("address-missing:" + vip,
                        "ip address associated with VRID " + rt.config.vrid() + " not present in MASTER advert: " + vip);
            }
        }
        if (mismatch) {
            rt.machine.counters.addressListMismatch++;
        }
    }

    /** Counts the drop; returns whether its rate-limited line may be written now. */
    private static boolean drop(InstanceRuntime rt, ReceiveDrop reason) {
        rt.machine.counters.drop(reason);
        return rt.machine.admitLog(reason.name());
    }

    private static String from(ReceivedPacket p) {
        InetAddress a = p.source();
        return a == null ? "?" : a.getHostAddress();
    }

    private static String decodeReason(DecodeStatus status, String from, InstanceConfig cfg) {
        return switch (status) {
            case BAD_CHECKSUM -> "Invalid VRRPv" + cfg.version() + " checksum from " + from;
            case BAD_TTL -> "invalid TTL/HL. Received from " + from;
            case BAD_VERSION -> "wrong version from " + from;
            default -> "dropped advert from " + from + ": " + status;
        };
    }
}
