package org.vigil.core.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.vigil.api.auth.AhSession;
import org.vigil.api.auth.AuthSession;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.Authenticator;
import org.vigil.api.auth.HmacSession;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.PriorityEvent;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.codec.ChecksumForm;
import org.vigil.codec.VrrpCodec;

/**
 * The glue around one state machine: its channel, auth session and VIPs. Implements the state
 * machine's actions with the services the engine has bound. Loop-confined.
 */
final class InstanceRuntime implements InstanceActions {

    private final ElectionEngine engine;
    InstanceConfig config;
    final VrrpInstance machine;
    /** The shared driver channel this instance sends on (its receive channel's), or null. */
    PacketChannel channel;
    /** This instance's own spec: its unicast peers are where it sends. */
    ChannelSpec channelSpec;
    private ReceivePath.Channel receiveChannel;
    /** Where adverts go and from which address, as bytes for the codec; set by {@link #attach}. */
    private byte[] sourceBytes;
    private InetAddress[] destinations = new InetAddress[0];
    private byte[][] destinationBytes = new byte[0][];
    /** Queue overflows of our VRID on the current channel already added to the counters. */
    private long overflowCounted;
    AuthSession session;
    Authenticator sessionSource;
    /** auth_hmac's session (keys, sequence, replay marks), null without auth_hmac or its authenticator. */
    HmacSession hmac;
    private final byte[] trailer = new byte[HmacSession.TRAILER_LENGTH];
    boolean linkUp;
    /** A tracked script, interface or file with weight 0 (or a file below -253) says FAULT. */
    boolean trackFault;
    /** Held in FAULT by an operator (VrrpService.forceFault): not kept across a restart. */
    boolean forcedFault;
    /** Set when the instance is removed because its configuration was deleted at a reload. */
    boolean deleting;
    private byte[] addressBytes;
    /** Each VIP's bytes, for the address-list check without allocating. */
    private byte[][] vipBytes;
    private final byte[] authData = new byte[VrrpCodec.V2_AUTH_DATA_LENGTH];
    /** auth_type AH: the whole IPv4 datagram, built by the session; allocated on first use. */
    private byte[] datagram;
    /** What we hold when no VIP manager is bound (addresses are then only logged). */
    private final Set<VirtualAddress> loggedHeld = new LinkedHashSet<>();

    InstanceRuntime(ElectionEngine engine, InstanceConfig config, Loop loop) {
        this.engine = engine;
        this.config = config;
        this.addressBytes = concatenate(config.virtualAddresses());
        this.vipBytes = split(config.virtualAddresses());
        this.machine = new VrrpInstance(config, loop, this);
    }

    @Override
    public void receiveArrived() {
        if (receiveChannel != null) {
            receiveChannel.catchUp();
        }
    }

    @Override
    public void receiveQueued() {
        if (receiveChannel != null) {
            receiveChannel.drainQuiet();
        }
    }

    void reconfigure(InstanceConfig next) {
        config = next;
        addressBytes = concatenate(next.virtualAddresses());
        vipBytes = split(next.virtualAddresses());
        machine.reconfigure(next);
    }

    /** v3 has no authentication (RFC 5798 section 5.2.3 removed it); v2 needs a session. */
    boolean authReady() {
        return (config.authHmac() == null || hmac != null) && (config.version() == 3 || session != null);
    }

    boolean usable() {
        return channel != null && linkUp && authReady() && !trackFault && !forcedFault;
    }

    ChannelSpec desiredSpec() {
        InetAddress group = config.unicast() ? null
                : config.mcastGroup() != null ? config.mcastGroup()
                : config.family() == IpFamily.IPV4 ? VrrpCodec.IPV4_MULTICAST_GROUP : VrrpCodec.IPV6_MULTICAST_GROUP;
        // on a vmac the adverts keep the configured interface's address (it has none of its own)
        InetAddress source = config.unicastSource() != null ? config.unicastSource()
                : config.advertInterface().equals(config.interfaceName()) ? null : parentSource;
        return new ChannelSpec(config.advertInterface(), config.family(),
                usesAh() ? AhSession.IP_PROTOCOL : VrrpCodec.IP_PROTOCOL, group, config.unicastPeers(), source);
    }

    /**
     * The configured interface's primary IPv4 or IPv6 link-local address, the source of adverts sent
     * on a use_vmac interface (set by the engine from the driver's link view before opening).
     */
    InetAddress parentSource;

    /** auth_type AH (keepalived-behaviour.md a.4): VRRPv2 over IPv4 only. */
    boolean usesAh() {
        return config.version() == 2 && config.family() == IpFamily.IPV4 && config.authType() == AuthType.AH;
    }

    /** Puts the instance on a shared channel (null: none); its counters keep what the old one counted. */
    void attach(ReceivePath.Channel shared, ChannelSpec spec) {
        foldOverflow();
        receiveChannel = shared;
        channel = shared == null ? null : shared.channel;
        channelSpec = shared == null ? null : spec;
        InetAddress source = channel == null ? null : channel.sourceAddress();
        sourceBytes = source == null ? null : source.getAddress();
        destinations = spec == null ? new InetAddress[0]
                : spec.unicast() ? spec.unicastPeers().toArray(InetAddress[]::new) : new InetAddress[] { spec.group() };
        destinationBytes = new byte[destinations.length][];
        for (int i = 0; i < destinations.length; i++) {
            destinationBytes[i] = destinations[i].getAddress();
        }
        overflowCounted = shared == null ? 0 : shared.overflow(config.vrid());
    }

    ReceivePath.Channel receiveChannel() {
        return receiveChannel;
    }

    byte[][] vipBytes() {
        return vipBytes;
    }

    /** The state machine's status with the channel's figures: queue overflows for our VRID, channel-level drops. */
    org.vigil.api.vrrp.InstanceStatus status() {
        foldOverflow();
        return machine.status(receiveChannel == null ? java.util.Map.of() : receiveChannel.dropped());
    }

    private void foldOverflow() {
        if (receiveChannel != null) {
            long total = receiveChannel.overflow(config.vrid());
            machine.counters.drop(ReceiveDrop.QUEUE_OVERFLOW, total - overflowCounted);
            overflowCounted = total;
        }
    }

    // ---- InstanceActions ----------------------------------------------------------------------

    @Override
    public boolean sendAdvert(int priority) {
        PacketChannel ch = channel;
        if (ch == null) {
            return false;
        }
        try {
            if (config.version() == 2 && session != null) {
                session.writeAuthData(authData, 0);
            }
            // worked out once per channel: an advert allocates nothing (GC pauses are what delay adverts)
            byte[] src = sourceBytes;
            InetAddress[] destinations = this.destinations;
            byte[][] destinationBytes = this.destinationBytes;
            byte[] buf = engine.sendBuffer();
            AhSession ah = usesAh() && session instanceof AhSession s ? s : null;
            if (ah != null) {
                // one IP ID and one sequence number per advert, whatever the number of peers (keepalived)
                ah.nextAdvert();
                if (datagram == null) {
                    datagram = new byte[AhSession.OVERHEAD + VrrpCodec.MAX_LENGTH];
                }
            }
            for (int i = 0; i < destinations.length; i++) {
                InetAddress dst = destinations[i];
                int len = VrrpCodec.encode(config.version(), config.vrid(), priority, config.advertIntervalCs(),
                        config.version() == 2 ? config.authType().wireValue() : 0,
                        config.version() == 2 ? authData : null, addressBytes, config.family() == IpFamily.IPV6,
                        checksumForm(), src, destinationBytes[i], buf, 0);
                HmacSession hmac = this.hmac;
                if (hmac != null && hmac.signs()) {
                    // once per advert, as keepalived: the HMAC leaves out the destination and the
                    // checksum, so every unicast copy carries the same trailer
                    if (i == 0) {
                        hmac.sign(buf, 0, len, config.version(), config.vrid(), src);
                        System.arraycopy(buf, len, trailer, 0, HmacSession.TRAILER_LENGTH);
                    } else {
                        System.arraycopy(trailer, 0, buf, len, HmacSession.TRAILER_LENGTH);
                    }
                    if (config.family() == IpFamily.IPV6) {
                        VrrpCodec.extendChecksumOverTrailer(buf, 0, len, HmacSession.TRAILER_LENGTH, src,
                                destinationBytes[i]);
                    }
                    len += HmacSession.TRAILER_LENGTH;
                }
                if (ah != null) {
                    int total = ah.buildDatagram(buf, 0, len, (Inet4Address) ch.sourceAddress(), (Inet4Address) dst,
                            channelSpec.unicast(), datagram, 0);
                    ch.sendDatagram(datagram, 0, total);
                    continue;
                }
                ch.send(buf, 0, len, dst);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            machine.logLimited("send-failed", "sending advert failed: " + e);
            return false;
        }
    }

    private ChecksumForm checksumForm() {
        if (config.version() == 2) {
            return ChecksumForm.V2;
        }
        // v3 IPv6 always has the pseudo-header; IPv4 follows v3_checksum_as_v2 (RFC 9568 5.2.8)
        return config.family() == IpFamily.IPV4 && config.v3ChecksumAsV2() ? ChecksumForm.V3_MESSAGE_ONLY
                : ChecksumForm.V3_PSEUDO_HEADER;
    }

    @Override
    public void acquire(Collection<VirtualAddress> addresses) {
        acquire(addresses, List.of());
    }

    @Override
    public void acquire(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes) {
        acquire(addresses, routes, List.of());
    }

    @Override
    public void acquire(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules) {
        VipManager vips = engine.vipManager();
        if (vips != null) {
            vips.acquire(config.name(), addresses, routes, rules, config.masterAnnounce());
        } else {
            loggedHeld.addAll(addresses);
            if (!addresses.isEmpty()) {
                engine.log().line("(" + config.name() + ") no VIP manager bound: not adding " + addresses, false);
            }
        }
    }

    @Override
    public void release(Collection<VirtualAddress> addresses) {
        release(addresses, List.of());
    }

    @Override
    public void announceLowerPriority() {
        VipManager vips = engine.vipManager();
        if (vips != null) {
            vips.announce(config.name(), config.lowerPrioAnnounce());
        }
    }

    @Override
    public void release(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes) {
        release(addresses, routes, List.of());
    }

    @Override
    public void release(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules) {
        VipManager vips = engine.vipManager();
        if (vips != null) {
            vips.release(config.name(), addresses, routes, rules);
        } else {
            boolean held = loggedHeld.removeAll(addresses);
            if (held) {
                engine.log().line("(" + config.name() + ") no VIP manager bound: not removing " + addresses, false);
            }
        }
    }

    @Override
    public void timerFired(boolean advert, long lateMicros) {
        (advert ? engine.advertLateness : engine.masterDownLateness).record(lateMicros);
    }

    @Override
    public List<VirtualAddress> held() {
        VipManager vips = engine.vipManager();
        return vips != null ? new ArrayList<>(vips.held(config.name())) : new ArrayList<>(loggedHeld);
    }

    @Override
    public void masterHeardLowerPriority() {
        if (usesAh() && session instanceof AhSession ah) {
            engine.log().line("(" + config.name() + ") " + ah.resyncAfterLowerPriority(), false);
        }
        engine.priorityEvent(config.name(), PriorityEvent.Kind.MASTER_RX_LOWER_PRI, machine.ownPriority());
    }

    @Override
    public void priorityChanged(int effectivePriority) {
        InstanceState s = machine == null ? null : machine.state();
        if (s == InstanceState.MASTER) {
            engine.priorityEvent(config.name(), PriorityEvent.Kind.MASTER_PRIORITY, effectivePriority);
        } else if (s == InstanceState.BACKUP) {
            engine.priorityEvent(config.name(), PriorityEvent.Kind.BACKUP_PRIORITY, effectivePriority);
        }
    }

    @Override
    public void enteringMaster() {
        if (usesAh() && session instanceof AhSession ah) {
            ah.enteringMaster();
        }
    }

    @Override
    public InetAddress localAddress() {
        PacketChannel ch = channel;
        return ch == null ? null : ch.sourceAddress();
    }

    @Override
    public void transition(InstanceState from, InstanceState to, boolean stopping) {
        engine.transitioned(this, from, to, stopping);
    }

    @Override
    public void log(String line, boolean detail) {
        engine.log().line(line, detail);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static byte[][] split(List<VirtualAddress> addresses) {
        byte[][] out = new byte[addresses.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = addresses.get(i).address().getAddress();
        }
        return out;
    }

    private static byte[] concatenate(List<VirtualAddress> addresses) {
        int size = 0;
        for (VirtualAddress a : addresses) {
            size += a.address().getAddress().length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (VirtualAddress a : addresses) {
            byte[] raw = a.address().getAddress();
            System.arraycopy(raw, 0, out, at, raw.length);
            at += raw.length;
        }
        return out;
    }
}
