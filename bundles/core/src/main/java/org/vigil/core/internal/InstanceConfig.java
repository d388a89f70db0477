package org.vigil.core.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.HmacSettings;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.codec.VrrpCodec;

/**
 * One vrrp_instance, normalised. The auth password is held as an {@link AuthKey}, whose
 * toString is a mask, so a config dump never shows it.
 *
 * @param initialMaster keepalived's {@code state MASTER} hint
 * @param advertIntervalCs Advertisement_Interval in centiseconds
 * @param mcastGroup the group to send to, null for the protocol default
 * @param unicastSource unicast_src_ip, null for the interface's address
 * @param unicastPeers unicast peers; empty for multicast
 * @param virtualRoutes virtual_routes, added and removed with the addresses
 * @param masterAnnounce the garp_master_* schedule on becoming master
 * @param lowerPrioAnnounce the garp_lower_prio_* schedule of a master hearing a lower priority
 * @param tracks track_script, track_interface and track_file entries
 * @param virtualRules virtual_rules, added after the routes and removed before them
 * @param authHmac the auth_hmac block, null without one; its toString names key ids only
 * @param virtualInterface use_vmac / use_ipvlan: the interface created on {@code interfaceName}
 *        that carries the addresses (and the adverts unless vmac_xmit_base); null without
 */
public record InstanceConfig(String name, boolean initialMaster, String interfaceName, int vrid, int priority,
        int advertIntervalCs, int version, IpFamily family, boolean preempt, long preemptDelayMillis,
        AuthType authType, AuthKey authKey, List<VirtualAddress> virtualAddresses,
        List<VirtualAddress> excludedAddresses, InetAddress unicastSource, List<InetAddress> unicastPeers,
        InetAddress mcastGroup, boolean v3ChecksumAsV2, int downTimerAdverts, boolean lowerPrioNoAdvert,
        boolean higherPrioSendAdvert, List<VirtualRoute> virtualRoutes, AnnouncePolicy masterAnnounce,
        AnnouncePolicy lowerPrioAnnounce, Tracks tracks, List<VirtualRule> virtualRules, HmacSettings authHmac,
        VirtualInterface virtualInterface) {

    public InstanceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interfaceName, "interface");
        Objects.requireNonNull(family, "family");
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("virtual_router_id " + vrid + " not in 1..255");
        }
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException("priority " + priority + " not in 1..255");
        }
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("version " + version + " is neither 2 nor 3");
        }
        if (family == IpFamily.IPV6 && version != 3) {
            throw new IllegalArgumentException("IPv6 instances run VRRPv3 only");
        }
        if (advertIntervalCs < 1 || advertIntervalCs > 4095 || (version == 2 && advertIntervalCs % 100 != 0)) {
            throw new IllegalArgumentException("advert interval " + advertIntervalCs + " cs not valid for VRRPv" + version);
        }
        authType = authType == null ? AuthType.NONE : authType;
        authKey = authKey == null ? AuthKey.of("") : authKey;
        virtualAddresses = List.copyOf(virtualAddresses);
        excludedAddresses = List.copyOf(excludedAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        virtualRoutes = virtualRoutes == null ? List.of() : List.copyOf(virtualRoutes);
        masterAnnounce = masterAnnounce == null ? AnnouncePolicy.DEFAULT : masterAnnounce;
        lowerPrioAnnounce = lowerPrioAnnounce == null ? masterAnnounce : lowerPrioAnnounce;
        if (downTimerAdverts < 1) {
            downTimerAdverts = VrrpTimes.DEFAULT_DOWN_TIMER_ADVERTS;
        }
        tracks = tracks == null ? Tracks.NONE : tracks;
        virtualRules = virtualRules == null ? List.of() : List.copyOf(virtualRules);
        if (virtualInterface != null && !virtualInterface.parent().equals(interfaceName)) {
            throw new IllegalArgumentException(virtualInterface + " is not on the instance's interface " + interfaceName);
        }
    }

    /** The interface adverts go out on: the virtual interface's unless vmac_xmit_base, else the configured one. */
    public String advertInterface() {
        return virtualInterface == null ? interfaceName : virtualInterface.advertInterface();
    }

    /** Without virtual rules, auth_hmac and a virtual interface. */
    public InstanceConfig(String name, boolean initialMaster, String interfaceName, int vrid, int priority,
            int advertIntervalCs, int version, IpFamily family, boolean preempt, long preemptDelayMillis,
            AuthType authType, AuthKey authKey, List<VirtualAddress> virtualAddresses,
            List<VirtualAddress> excludedAddresses, InetAddress unicastSource, List<InetAddress> unicastPeers,
            InetAddress mcastGroup, boolean v3ChecksumAsV2, int downTimerAdverts, boolean lowerPrioNoAdvert,
            boolean higherPrioSendAdvert, List<VirtualRoute> virtualRoutes, AnnouncePolicy masterAnnounce,
            AnnouncePolicy lowerPrioAnnounce, Tracks tracks) {
        this(name, initialMaster, interfaceName, vrid, priority, advertIntervalCs, version, family, preempt,
                preemptDelayMillis, authType, authKey, virtualAddresses, excludedAddresses, unicastSource, unicastPeers,
                mcastGroup, v3ChecksumAsV2, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert, virtualRoutes,
                masterAnnounce, lowerPrioAnnounce, tracks, List.of(), null, null);
    }

    /** Without tracking. */
    public InstanceConfig(String name, boolean initialMaster, String interfaceName, int vrid, int priority,
            int advertIntervalCs, int version, IpFamily family, boolean preempt, long preemptDelayMillis,
            AuthType authType, AuthKey authKey, List<VirtualAddress> virtualAddresses,
            List<VirtualAddress> excludedAddresses, InetAddress unicastSource, List<InetAddress> unicastPeers,
            InetAddress mcastGroup, boolean v3ChecksumAsV2, int downTimerAdverts, boolean lowerPrioNoAdvert,
            boolean higherPrioSendAdvert, List<VirtualRoute> virtualRoutes, AnnouncePolicy masterAnnounce,
            AnnouncePolicy lowerPrioAnnounce) {
        this(name, initialMaster, interfaceName, vrid, priority, advertIntervalCs, version, family, preempt,
                preemptDelayMillis, authType, authKey, virtualAddresses, excludedAddresses, unicastSource, unicastPeers,
                mcastGroup, v3ChecksumAsV2, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert, virtualRoutes,
                masterAnnounce, lowerPrioAnnounce, Tracks.NONE, List.of(), null, null);
    }

    /** Without virtual routes, with keepalived's default announcement schedule. */
    public InstanceConfig(String name, boolean initialMaster, String interfaceName, int vrid, int priority,
            int advertIntervalCs, int version, IpFamily family, boolean preempt, long preemptDelayMillis,
            AuthType authType, AuthKey authKey, List<VirtualAddress> virtualAddresses,
            List<VirtualAddress> excludedAddresses, InetAddress unicastSource, List<InetAddress> unicastPeers,
            InetAddress mcastGroup, boolean v3ChecksumAsV2, int downTimerAdverts, boolean lowerPrioNoAdvert,
            boolean higherPrioSendAdvert) {
        this(name, initialMaster, interfaceName, vrid, priority, advertIntervalCs, version, family, preempt,
                preemptDelayMillis, authType, authKey, virtualAddresses, excludedAddresses, unicastSource, unicastPeers,
                mcastGroup, v3ChecksumAsV2, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert, List.of(),
                AnnouncePolicy.DEFAULT, AnnouncePolicy.DEFAULT);
    }

    /** keepalived matches instances across a reload by these; a change means remove and add. */
    public Identity identity() {
        return new Identity(vrid, family, interfaceName);
    }

    public boolean owner() {
        return priority == VrrpCodec.PRIORITY_OWNER;
    }

    public boolean unicast() {
        return !unicastPeers.isEmpty();
    }

    /** Advertised and excluded addresses: everything taken over on becoming master. */
    public List<VirtualAddress> allAddresses() {
        List<VirtualAddress> all = new ArrayList<>(virtualAddresses);
        all.addAll(excludedAddresses);
        return all;
    }

    public record Identity(int vrid, IpFamily family, String interfaceName) {
    }
}
