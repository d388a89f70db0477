package org.vigil.core.internal;

import static org.vigil.core.internal.TypedAttributes.attribute;
import static org.vigil.core.internal.TypedAttributes.required;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.HmacMode;
import org.vigil.api.auth.HmacSettings;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.api.vrrp.IpFamily;

/**
 * An {@link InstanceConfig} from the typed configuration of {@code org.vigil.vrrp.instance}.
 * Scalars arrive typed and in their units; each address, route, rule and track entry is one value
 * in its entry form, read by the one method that owns that form. Errors name the attribute.
 */
final class InstanceConfigs {
    private InstanceConfigs() {
    }

    static InstanceConfig from(VrrpInstanceComponent.Config raw) {
        VrrpInstanceComponent.Config c = TypedAttributes.check(raw);
        String iface = required(Instance.INTERFACE, c.interface$());
        int vrid = c.virtual_router_id();
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("attribute " + Instance.VIRTUAL_ROUTER_ID
                    + (vrid == 0 ? ": required" : ": " + vrid + " not in 1..255"));
        }
        String name = c.name() == null || c.name().isBlank() ? "VRID_" + vrid : c.name().trim();
        boolean initialMaster = "MASTER".equalsIgnoreCase(c.state());
        IpFamily family = c.family() == null || c.family().isBlank() ? null
                : attribute(Instance.FAMILY, () -> IpFamily.valueOf(c.family().trim().toUpperCase(Locale.ROOT)));
        if (family == null) {
            List<VirtualAddress> probe = addresses(Instance.VIRTUAL_IPADDRESS, c.virtual_ipaddress(), iface);
            family = probe.isEmpty() ? IpFamily.IPV4 : IpFamily.of(probe.get(0).address());
        }
        IpFamily f = family;
        // use_vmac / use_ipvlan: addresses and routes without a dev go on the created interface
        VirtualInterface vif = attribute(Instance.INTERFACE, () -> virtualInterface(c, iface, vrid, f));
        String device = vif == null ? iface : vif.name();
        List<VirtualAddress> vips = addresses(Instance.VIRTUAL_IPADDRESS, c.virtual_ipaddress(), device);
        List<VirtualAddress> excluded = addresses(Instance.VIRTUAL_IPADDRESS_EXCLUDED, c.virtual_ipaddress_excluded(),
                device);
        int version = c.version() != 0 ? c.version() : family == IpFamily.IPV6 ? 3 : 2;
        AuthType authType = attribute(Instance.AUTH_TYPE,
                () -> AuthType.valueOf(c.auth_type().trim().toUpperCase(Locale.ROOT)));
        List<java.net.InetAddress> peers = new ArrayList<>();
        for (String peer : c.unicast_peer()) {
            if (!peer.isBlank()) {
                peers.add(attribute(Instance.UNICAST_PEER, () -> literal(peer)));
            }
        }
        String src = c.unicast_src_ip();
        String mcast = c.mcast_dst_ip();
        int priority = c.priority() != 0 ? c.priority() : initialMaster ? 255 : 100;
        List<VirtualRoute> routes = new ArrayList<>();
        for (String e : c.virtual_routes()) {
            if (!e.isBlank()) {
                routes.add(attribute(Instance.VIRTUAL_ROUTES, () -> VirtualRoute.parse(e, device)));
            }
        }
        List<VirtualRule> rules = new ArrayList<>();
        for (String e : c.virtual_rules()) {
            if (!e.isBlank()) {
                rules.add(attribute(Instance.VIRTUAL_RULES, () -> VirtualRule.parse(e)));
            }
        }
        Tracks tracks = Tracks.of(c.track_script(), c.track_interface(), c.track_file(), c.track_process());
        try {
            return new InstanceConfig(name, initialMaster, iface, vrid, priority, c.advert_int_cs(), version, family,
                    c.preempt(), c.preempt_delay_ms(), authType, AuthKey.of(c.auth_pass() == null ? "" : c.auth_pass()),
                    vips, excluded,
                    src == null || src.isBlank() ? null
                            : attribute(Instance.UNICAST_SRC_IP, () -> literal(src)),
                    peers,
                    mcast == null || mcast.isBlank() ? null
                            : attribute(Instance.MCAST_DST_IP, () -> literal(mcast)),
                    c.v3_checksum_as_v2(), c.down_timer_adverts(), c.lower_prio_no_advert(),
                    c.higher_prio_send_advert(), routes, masterAnnounce(c, iface), lowerPrioAnnounce(c), tracks, rules,
                    authHmac(c), vif);
        } catch (IllegalArgumentException | NullPointerException e) {
            // InstanceConfig's own checks name the keyword (priority, version, advert interval)
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<VirtualAddress> addresses(String key, String[] entries, String device) {
        List<VirtualAddress> out = new ArrayList<>();
        for (String e : entries) {
            if (!e.isBlank()) {
                out.add(attribute(key, () -> VirtualAddress.parse(e, device)));
            }
        }
        return out;
    }

    /**
     * auth_hmac from its typed attributes (key ids, and the keys in hex at the same index); null
     * without keys. Errors never quote a key.
     */
    private static HmacSettings authHmac(VrrpInstanceComponent.Config c) {
        String[] hex = c.auth_hmac_keys();
        int[] ids = c.auth_hmac_key_ids();
        if (hex.length == 0) {
            return null;
        }
        if (ids.length != hex.length) {
            throw new IllegalArgumentException("attribute " + Instance.AUTH_HMAC_KEY_IDS + ": " + ids.length
                    + " ids for " + hex.length + " keys");
        }
        Map<Integer, byte[]> keys = new TreeMap<>();
        for (int i = 0; i < hex.length; i++) {
            if (ids[i] < 1 || ids[i] > 255) {
                throw new IllegalArgumentException("attribute " + Instance.AUTH_HMAC_KEY_IDS + ": " + ids[i]
                        + " not in 1..255");
            }
            try {
                keys.put(ids[i], java.util.HexFormat.of().parseHex(hex[i].trim()));
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException("attribute " + Instance.AUTH_HMAC_KEYS + ": key " + ids[i]
                        + " is not hex");
            }
        }
        String mode = c.auth_hmac_mode().trim();
        HmacMode m = Arrays.stream(HmacMode.values()).filter(x -> x.keyword().equals(mode)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("attribute " + Instance.AUTH_HMAC_MODE + ": " + mode
                        + " is not enforce, permissive or receive-only"));
        int active = c.auth_hmac_active_key() != 0 ? c.auth_hmac_active_key()
                : keys.size() == 1 ? keys.keySet().iterator().next() : 0;
        int window = c.auth_hmac_time_window() > 0 ? c.auth_hmac_time_window()
                : HmacSettings.defaultTimeWindow(c.advert_int_cs());
        return new HmacSettings(keys, active, !"monotonic".equals(c.auth_hmac_anti_replay().trim()), window, m);
    }

    /** keepalived's use_vmac (a macvlan with the virtual MAC) with vmac_xmit_base, or use_ipvlan. */
    private static VirtualInterface virtualInterface(VrrpInstanceComponent.Config c, String iface, int vrid,
            IpFamily family) {
        if (c.use_vmac()) {
            return VirtualInterface.vmac(iface, vrid, family, blankToNull(c.use_vmac_name()), c.vmac_xmit_base());
        }
        if (!c.use_ipvlan()) {
            return null;
        }
        return new VirtualInterface(VirtualInterface.Kind.IPVLAN, blankToNull(c.use_ipvlan_name()), iface, vrid, family,
                c.vmac_xmit_base(), blankToNull(c.use_ipvlan_address()), blankToNull(c.use_ipvlan_mode()));
    }

    /** garp_master_* and garp_extra_if; the defaults are keepalived's (5 frames now, 5 more after 5 s). */
    static AnnouncePolicy masterAnnounce(VrrpInstanceComponent.Config c, String iface) {
        AnnouncePolicy p = new AnnouncePolicy(Duration.ofMillis(c.garp_master_delay_ms()), c.garp_master_repeat(),
                Duration.ofMillis(c.garp_master_refresh_ms()), c.garp_master_refresh_repeat(),
                Duration.ofNanos(c.vrrp_garp_interval_us() * 1_000), Duration.ofNanos(c.vrrp_gna_interval_us() * 1_000));
        if (c.garp_extra_if_ms() > 0 || c.garp_extra_if_all()) {
            p = p.withExtraInterfaces(Duration.ofMillis(c.garp_extra_if_ms()), c.garp_extra_if_all(), iface);
        }
        return p;
    }

    /** garp_lower_prio_*: unset (-1) values fall back to the garp_master_* ones; never a refresh. */
    static AnnouncePolicy lowerPrioAnnounce(VrrpInstanceComponent.Config c) {
        AnnouncePolicy master = masterAnnounce(c, null);
        return new AnnouncePolicy(
                c.garp_lower_prio_delay_ms() >= 0 ? Duration.ofMillis(c.garp_lower_prio_delay_ms()) : master.delay(),
                c.garp_lower_prio_repeat() >= 0 ? c.garp_lower_prio_repeat() : master.repeat(), Duration.ZERO, 0,
                master.arpInterval(), master.naInterval());
    }

    /** An IP literal only: a host name here would mean a DNS lookup on the election path. */
    static java.net.InetAddress literal(String text) {
        String s = text.trim();
        if (!s.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return java.net.InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
