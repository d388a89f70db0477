package org.vigil.core.internal;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.HmacMode;
import org.vigil.api.auth.HmacSettings;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.api.vrrp.IpFamily;

/** Turns the properties of an {@code org.vigil.vrrp.instance} configuration into an {@link InstanceConfig}. */
final class InstanceConfigParser {
    private InstanceConfigParser() {
    }

    static InstanceConfig parse(Map<String, ?> p) {
        String iface = string(p, Instance.INTERFACE, null);
        if (iface == null || iface.isBlank()) {
            throw new IllegalArgumentException("interface is required");
        }
        int vrid = integer(p, Instance.VIRTUAL_ROUTER_ID, 0);
        String name = string(p, ConfigurationPids.NAME, "VRID_" + vrid);
        boolean initialMaster = "MASTER".equalsIgnoreCase(string(p, Instance.STATE, "BACKUP"));
        List<VirtualAddress> vips = addresses(strings(p, Instance.VIRTUAL_IPADDRESS), iface);
        String familyText = string(p, Instance.FAMILY, null);
        IpFamily family = familyText != null ? IpFamily.valueOf(familyText.toUpperCase(Locale.ROOT))
                : vips.isEmpty() ? IpFamily.IPV4 : IpFamily.of(vips.get(0).address());
        // use_vmac / use_ipvlan: addresses and routes without a dev go on the created interface
        VirtualInterface vif = virtualInterface(p, iface, vrid, family);
        String device = vif == null ? iface : vif.name();
        if (vif != null) {
            vips = addresses(strings(p, Instance.VIRTUAL_IPADDRESS), device);
        }
        List<VirtualAddress> excluded = addresses(strings(p, Instance.VIRTUAL_IPADDRESS_EXCLUDED), device);
        int version = integer(p, Instance.VERSION, family == IpFamily.IPV6 ? 3 : 2);
        String authText = string(p, Instance.AUTH_TYPE, "NONE");
        AuthType authType = AuthType.valueOf(authText.toUpperCase(Locale.ROOT));
        List<InetAddress> peers = new ArrayList<>();
        for (String peer : strings(p, Instance.UNICAST_PEER)) {
            // "192.0.2.12 min_ttl 1 max_ttl 255": the address is the first word
            peers.add(literal(peer.trim().split("\\s+")[0]));
        }
        String src = string(p, Instance.UNICAST_SRC_IP, null);
        String mcast = string(p, Instance.MCAST_DST_IP, null);
        return new InstanceConfig(name, initialMaster, iface, vrid, integer(p, Instance.PRIORITY, initialMaster ? 255 : 100),
                integer(p, Instance.ADVERT_INT_CS, 100), version, family, bool(p, Instance.PREEMPT, true),
                longValue(p, Instance.PREEMPT_DELAY_MS, 0), authType, AuthKey.of(string(p, Instance.AUTH_PASS, "")),
                vips, excluded, src == null || src.isBlank() ? null : literal(src), peers,
                mcast == null || mcast.isBlank() ? null : literal(mcast), bool(p, Instance.V3_CHECKSUM_AS_V2, false),
                integer(p, Instance.DOWN_TIMER_ADVERTS, VrrpTimes.DEFAULT_DOWN_TIMER_ADVERTS),
                bool(p, Instance.LOWER_PRIO_NO_ADVERT, false), bool(p, Instance.HIGHER_PRIO_SEND_ADVERT, false),
                routes(strings(p, Instance.VIRTUAL_ROUTES), device), extraInterfaces(masterAnnounce(p), p, iface),
                lowerPrioAnnounce(p),
                Tracks.parse(strings(p, Instance.TRACK_SCRIPT), strings(p, Instance.TRACK_INTERFACE),
                        strings(p, Instance.TRACK_FILE), strings(p, Instance.TRACK_PROCESS)),
                strings(p, Instance.VIRTUAL_RULES).stream().filter(e -> !e.isBlank()).map(VirtualRule::parse).toList(),
                authHmac(p), vif);
    }

    /** The auth_hmac block from its typed properties; null without keys. */
    static HmacSettings authHmac(Map<String, ?> p) {
        List<String> entries = strings(p, Instance.AUTH_HMAC_KEYS);
        if (entries.isEmpty()) {
            return null;
        }
        Map<Integer, byte[]> keys = new java.util.TreeMap<>();
        for (String e : entries) {
            int colon = e.indexOf(':');
            if (colon < 1) {
                // never quote the entry: it is the key
                throw new IllegalArgumentException(Instance.AUTH_HMAC_KEYS + " entry is not id:hex");
            }
            keys.put(Integer.parseInt(e.substring(0, colon).trim()), java.util.HexFormat.of().parseHex(e.substring(colon + 1).trim()));
        }
        String mode = string(p, Instance.AUTH_HMAC_MODE, HmacMode.ENFORCE.keyword());
        HmacMode m = java.util.Arrays.stream(HmacMode.values()).filter(x -> x.keyword().equals(mode)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(Instance.AUTH_HMAC_MODE + " " + mode + " is not "
                        + "enforce, permissive or receive-only"));
        int active = integer(p, Instance.AUTH_HMAC_ACTIVE_KEY, keys.size() == 1 ? keys.keySet().iterator().next() : 0);
        return new HmacSettings(keys, active, !"monotonic".equals(string(p, Instance.AUTH_HMAC_ANTI_REPLAY, "time")),
                integer(p, Instance.AUTH_HMAC_TIME_WINDOW,
                        HmacSettings.defaultTimeWindow(integer(p, Instance.ADVERT_INT_CS, 100))), m);
    }

    // use_vmac, use_ipvlan and vmac_xmit_base as the config bundle writes them
    static final String USE_VMAC = "use.vmac";
    static final String USE_VMAC_NAME = "use.vmac.name";
    static final String VMAC_XMIT_BASE = "vmac.xmit.base";
    static final String USE_IPVLAN = "use.ipvlan";

    /**
     * keepalived's {@code use_vmac [NAME]} (a macvlan with the virtual MAC, named vrrp.VRID unless
     * named) with {@code vmac_xmit_base}, or {@code use_ipvlan [NAME] [ADDRESS/PREFIX] [bridge|private|vepa]}.
     */
    static VirtualInterface virtualInterface(Map<String, ?> p, String iface, int vrid, IpFamily family) {
        boolean xmitBase = bool(p, VMAC_XMIT_BASE, false);
        if (bool(p, USE_VMAC, false)) {
            return VirtualInterface.vmac(iface, vrid, family, string(p, USE_VMAC_NAME, null), xmitBase);
        }
        Object ipvlan = p.get(USE_IPVLAN);
        if (ipvlan == null || Boolean.FALSE.equals(ipvlan) || "false".equals(String.valueOf(ipvlan))) {
            return null;
        }
        String name = null;
        String address = null;
        String mode = null;
        if (!(ipvlan instanceof Boolean) && !"true".equals(String.valueOf(ipvlan))) {
            for (String w : String.valueOf(ipvlan).trim().split("\\s+")) {
                if (w.equals("bridge") || w.equals("private") || w.equals("vepa")) {
                    mode = w;
                } else if (w.matches("[0-9A-Fa-f:.]+(/[0-9]+)?") && (w.contains(".") || w.contains(":"))) {
                    address = w;
                } else if (name == null) {
                    name = w;
                }
            }
        }
        return new VirtualInterface(VirtualInterface.Kind.IPVLAN, name, iface, vrid, family, xmitBase, address, mode);
    }

    // garp_* keys as the config bundle writes them (keyword with '_' turned into '.'), seconds
    static final String GARP_MASTER_DELAY = "garp.master.delay";
    static final String GARP_MASTER_REPEAT = "garp.master.repeat";
    static final String GARP_MASTER_REFRESH = "garp.master.refresh";
    static final String GARP_MASTER_REFRESH_REPEAT = "garp.master.refresh.repeat";
    static final String GARP_LOWER_PRIO_DELAY = "garp.lower.prio.delay";
    static final String GARP_LOWER_PRIO_REPEAT = "garp.lower.prio.repeat";
    /** vrrp_garp_interval / vrrp_gna_interval (seconds, fractions allowed) when set on the instance. */
    static final String GARP_INTERVAL = "vrrp.garp.interval";
    static final String GNA_INTERVAL = "vrrp.gna.interval";

    /** garp_master_*: keepalived's defaults are 5 frames now, 5 more after 5 s, no refresh. */
    static AnnouncePolicy masterAnnounce(Map<String, ?> p) {
        AnnouncePolicy d = AnnouncePolicy.DEFAULT;
        return new AnnouncePolicy(seconds(p, GARP_MASTER_DELAY, d.delay()), integer(p, GARP_MASTER_REPEAT, d.repeat()),
                seconds(p, GARP_MASTER_REFRESH, d.refresh()), integer(p, GARP_MASTER_REFRESH_REPEAT, d.refreshRepeat()),
                seconds(p, GARP_INTERVAL, d.arpInterval()), seconds(p, GNA_INTERVAL, d.naInterval()));
    }

    /** garp_extra_if as the config bundle writes it: "[all] SECONDS" (0 = off), or the global vrrp_garp_extra_if. */
    static final String GARP_EXTRA_IF = "garp.extra.if";

    /** keepalived's garp_extra_if on the master schedule: one frame per address on the other interfaces every N s. */
    static AnnouncePolicy extraInterfaces(AnnouncePolicy policy, Map<String, ?> p, String iface) {
        Object v = p.get(GARP_EXTRA_IF);
        if (v == null) {
            return policy;
        }
        boolean all = false;
        Duration period = Duration.ZERO;
        for (String w : String.valueOf(v).trim().split("\\s+")) {
            if (w.equalsIgnoreCase("all")) {
                all = true;
            } else if (!w.isEmpty()) {
                period = Duration.ofNanos(new BigDecimal(w).movePointRight(9).longValueExact());
            }
        }
        return policy.withExtraInterfaces(period, all, iface);
    }

    /** garp_lower_prio_*: unset values fall back to the garp_master_* ones; never a refresh. */
    static AnnouncePolicy lowerPrioAnnounce(Map<String, ?> p) {
        AnnouncePolicy master = masterAnnounce(p);
        return new AnnouncePolicy(seconds(p, GARP_LOWER_PRIO_DELAY, master.delay()),
                integer(p, GARP_LOWER_PRIO_REPEAT, master.repeat()), Duration.ZERO, 0, master.arpInterval(),
                master.naInterval());
    }

    private static Duration seconds(Map<String, ?> p, String key, Duration dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        BigDecimal s = v instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(String.valueOf(v).trim());
        return Duration.ofNanos(s.movePointRight(9).longValueExact());
    }

    private static List<VirtualRoute> routes(List<String> entries, String iface) {
        List<VirtualRoute> out = new ArrayList<>();
        for (String e : entries) {
            if (!e.isBlank()) {
                out.add(VirtualRoute.parse(e, iface));
            }
        }
        return out;
    }

    /** One virtual_ipaddress entry ({@link VirtualAddress#parse}). */
    static VirtualAddress virtualAddress(String entry, String defaultDevice) {
        return VirtualAddress.parse(entry, defaultDevice);
    }

    private static List<VirtualAddress> addresses(List<String> entries, String iface) {
        List<VirtualAddress> out = new ArrayList<>();
        for (String e : entries) {
            if (!e.isBlank()) {
                out.add(virtualAddress(e, iface));
            }
        }
        return out;
    }

    /** An IP literal only: a host name here would mean a DNS lookup on the election path. */
    static InetAddress literal(String text) {
        String s = text.trim();
        if (!s.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    static List<String> strings(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String[] array) {
            out.addAll(List.of(array));
        } else if (v instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        } else {
            out.add(String.valueOf(v));
        }
        return out;
    }

    static String string(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    static int integer(Map<String, ?> p, String key, int dflt) {
        Object v = p.get(key);
        return v == null ? dflt : v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
    }

    static long longValue(Map<String, ?> p, String key, long dflt) {
        Object v = p.get(key);
        return v == null ? dflt : v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v).trim());
    }

    static boolean bool(Map<String, ?> p, String key, boolean dflt) {
        Object v = p.get(key);
        return v == null ? dflt : v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v).trim());
    }
}
