package org.vigil.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.vigil.api.auth.AuthType;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Global;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.api.vrrp.ConfigurationPids.Script;
import org.vigil.api.vrrp.ConfigurationPids.SyncGroup;

/**
 * The model as ConfigurationAdmin configurations, per {@link ConfigurationPids} (VRRP) and
 * {@link org.vigil.api.check.CheckerPids} (virtual servers, real servers, groups): keys are the
 * keywords with dots for underscores, values normalised (units, keepalived's defaults and
 * fix-ups). Keywords without a key in the contract follow the same naming rule: a bare flag
 * becomes {@code true}, a block a String[] of its lines, anything else the words joined by spaces.
 * Every configuration carries {@code vigil.source} and {@code vigil.origin}. A pure function.
 */
public final class Configurations {

    /** The value of {@link ConfigurationPids#SOURCE} on every configuration written from keepalived.conf. */
    public static final String SOURCE = "keepalived.conf";

    private Configurations() {
    }

    public static List<ConfigurationRecord> toConfigurations(KeepalivedModel model) {
        List<ConfigurationRecord> out = new ArrayList<>();
        GlobalDefs global = model.global();
        if (global.origin() != null) {
            out.add(new ConfigurationRecord(ConfigurationPids.GLOBAL, false, null, global(global)));
        }
        for (VrrpScript s : model.scripts()) {
            out.add(new ConfigurationRecord(ConfigurationPids.SCRIPT, true, s.name(), script(s)));
        }
        for (VrrpSyncGroup g : model.syncGroups()) {
            out.add(new ConfigurationRecord(ConfigurationPids.SYNC_GROUP, true, g.name(), syncGroup(g, global)));
        }
        Set<String> instanceNames = new HashSet<>();
        for (VrrpInstance vi : model.instances()) {
            Map<String, Object> p = instance(vi, global);
            GarpDefaults.apply(p, vi, global, model.network());
            String name = identityName(vi);
            // keepalived allows one VRID twice where the two cannot hear each other (unicast with
            // disjoint peers): the later one is told apart by its name
            if (!instanceNames.add(name)) {
                name = name + ".name." + vi.name();
                instanceNames.add(name);
            }
            out.add(new ConfigurationRecord(ConfigurationPids.INSTANCE, true, name, p));
        }
        Map<String, Object> statics = statics(model);
        if (statics != null) {
            out.add(new ConfigurationRecord(ConfigurationPids.STATIC, false, null, statics));
        }
        CheckerConfigurations.add(model, out);
        return out;
    }

    /**
     * The name of an instance's configuration: keepalived's identity of a VRRP instance (VRID,
     * family, interface, unicast source), so that a reload renaming an instance updates its
     * configuration, and the core keeps its state, instead of deleting one and creating another.
     */
    static String identityName(VrrpInstance vi) {
        StringBuilder b = new StringBuilder("vrid").append(vi.virtualRouterId()).append('.')
                .append(vi.family() == null ? "any" : vi.family().name().toLowerCase(java.util.Locale.ROOT)).append('.')
                .append(vi.interfaceName() == null ? "-" : vi.interfaceName());
        if (vi.unicastSrcIp() != null && !vi.unicastSrcIp().isBlank()) {
            b.append(".from.").append(vi.unicastSrcIp());
        }
        if (vi.mcastDstIp() != null && !vi.mcastDstIp().isBlank()) {
            b.append(".to.").append(vi.mcastDstIp());
        }
        return b.toString();
    }

    /** keepalived keyword to property key: {@code virtual_router_id} becomes {@code virtual.router.id}. */
    public static String key(String keyword) {
        return keyword.replace('_', '.');
    }

    private static Map<String, Object> base(String name, Origin origin) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationPids.SOURCE, SOURCE);
        p.put(ConfigurationPids.ORIGIN, origin.toString());
        if (name != null) {
            p.put(ConfigurationPids.NAME, name);
        }
        return p;
    }

    private static Map<String, Object> global(GlobalDefs g) {
        Map<String, Object> p = base(null, g.origin());
        putIfSet(p, Global.ROUTER_ID, g.routerId());
        p.put(Global.NOTIFICATION_EMAIL, g.notificationEmail().toArray(String[]::new));
        putIfSet(p, Global.NOTIFICATION_EMAIL_FROM, g.notificationEmailFrom());
        if (g.smtpServer() != null) {
            p.put(Global.SMTP_SERVER, g.smtpPort() == null ? g.smtpServer() : g.smtpServer() + " " + g.smtpPort());
        }
        int timeout = g.smtpConnectTimeoutSeconds() != null ? g.smtpConnectTimeoutSeconds()
                : GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT_SECONDS;
        p.put(Global.SMTP_CONNECT_TIMEOUT_MS, timeout * 1000L);
        putIfSet(p, Global.SMTP_HELO_NAME, g.smtpHeloName());
        p.put(Global.SMTP_ALERT, Boolean.TRUE.equals(g.smtpAlert()));
        if (g.smtpAlertVrrp() != null) {
            p.put(key("smtp_alert_vrrp"), g.smtpAlertVrrp());
        }
        p.put(key("no_email_faults"), g.noEmailFaults());
        p.put(Global.ENABLE_SCRIPT_SECURITY, g.enableScriptSecurity());
        putIfSet(p, Global.SCRIPT_USER, g.scriptUser());
        if (g.vrrpVersion() != null) {
            p.put(key("vrrp_version"), g.vrrpVersion());
        }
        g.other().forEach((k, v) -> p.putIfAbsent(key(k), v.isEmpty() ? Boolean.TRUE : v));
        return p;
    }

    private static Map<String, Object> script(VrrpScript s) {
        Map<String, Object> p = base(s.name(), s.origin());
        p.put(Script.SCRIPT, s.script());
        long interval = millis(s.interval());
        p.put(Script.INTERVAL_MS, interval);
        p.put(Script.TIMEOUT_MS, s.timeout() == null ? interval : millis(s.timeout()));
        p.put(Script.WEIGHT, s.weight());
        p.put(key("weight_reverse"), s.weightReverse());
        p.put(Script.RISE, s.rise());
        p.put(Script.FALL, s.fall());
        if (s.user() != null) {
            p.put(Script.USER, s.group() == null ? s.user() : s.user() + " " + s.group());
        }
        p.put(Script.INIT_FAIL, s.initFail());
        return p;
    }

    private static Map<String, Object> syncGroup(VrrpSyncGroup g, GlobalDefs global) {
        Map<String, Object> p = base(g.name(), g.origin());
        p.put(SyncGroup.GROUP, g.group().toArray(String[]::new));
        g.notifies().forEach((k, s) -> putNotify(p, k, s));
        p.put(Instance.SMTP_ALERT, smtpAlert(g.smtpAlert(), global));
        g.tracks().forEach((k, entries) -> p.put(key(k), entries.toArray(String[]::new)));
        g.extra().forEach(n -> putExtra(p, n));
        return p;
    }

    private static Map<String, Object> instance(VrrpInstance vi, GlobalDefs global) {
        Map<String, Object> p = base(vi.name(), vi.origin());
        p.put(Instance.STATE, vi.state() == null ? "BACKUP" : vi.state());
        putIfSet(p, Instance.INTERFACE, vi.interfaceName());
        if (vi.virtualRouterId() != null) {
            p.put(Instance.VIRTUAL_ROUTER_ID, vi.virtualRouterId());
        }
        p.put(Instance.PRIORITY, vi.effectivePriority());
        p.put(Instance.ADVERT_INT_CS, vi.advertIntCentis());
        p.put(Instance.VERSION, vi.effectiveVersion());
        p.put(Instance.FAMILY, vi.family().name());
        p.put(Instance.PREEMPT, vi.preempt());
        p.put(Instance.PREEMPT_DELAY_MS, vi.preemptDelayMillis());
        p.put(Instance.AUTH_TYPE, vi.effectiveAuthType().name());
        if (vi.effectiveAuthType() != AuthType.NONE && vi.authPass() != null) {
            p.put(Instance.AUTH_PASS, vi.authPass());
        }
        if (vi.authHmac() != null) {
            org.vigil.api.auth.HmacSettings h = vi.authHmac();
            p.put(Instance.AUTH_HMAC_KEYS, h.keyIds().stream()
                    .map(id -> id + ":" + java.util.HexFormat.of().formatHex(h.key(id))).toArray(String[]::new));
            p.put(Instance.AUTH_HMAC_ACTIVE_KEY, h.activeKey());
            p.put(Instance.AUTH_HMAC_ANTI_REPLAY, h.timeAntiReplay() ? "time" : "monotonic");
            p.put(Instance.AUTH_HMAC_TIME_WINDOW, h.timeWindowSeconds());
            p.put(Instance.AUTH_HMAC_MODE, h.mode().keyword());
        }
        p.put(Instance.VIRTUAL_IPADDRESS, vi.virtualIpaddress().stream().map(VirtualIp::text).toArray(String[]::new));
        p.put(Instance.VIRTUAL_IPADDRESS_EXCLUDED,
                vi.virtualIpaddressExcluded().stream().map(VirtualIp::text).toArray(String[]::new));
        p.put(Instance.VIRTUAL_ROUTES, vi.virtualRoutes().toArray(String[]::new));
        if (!vi.virtualRules().isEmpty()) {
            p.put(Instance.VIRTUAL_RULES, vi.virtualRules().toArray(String[]::new));
        }
        putIfSet(p, Instance.UNICAST_SRC_IP, vi.unicastSrcIp());
        p.put(Instance.UNICAST_PEER, vi.unicastPeers().toArray(String[]::new));
        putIfSet(p, key("mcast_src_ip"), vi.mcastSrcIp());
        putIfSet(p, Instance.MCAST_DST_IP, vi.mcastDstIp());
        p.put(Instance.V3_CHECKSUM_AS_V2, vi.v3ChecksumAsV2());
        p.put(Instance.DOWN_TIMER_ADVERTS, vi.downTimerAdverts() != null ? vi.downTimerAdverts()
                : globalInt(global, "vrrp_down_timer_adverts", VrrpInstance.DEFAULT_DOWN_TIMER_ADVERTS));
        p.put(Instance.LOWER_PRIO_NO_ADVERT, vi.lowerPrioNoAdvert() != null ? vi.lowerPrioNoAdvert()
                : global.flag("vrrp_lower_prio_no_advert"));
        p.put(Instance.HIGHER_PRIO_SEND_ADVERT, vi.higherPrioSendAdvert() != null ? vi.higherPrioSendAdvert()
                : global.flag("vrrp_higher_prio_send_advert"));
        for (String track : new String[] {"track_interface", "track_script", "track_file"}) {
            p.put(key(track), vi.track(track).toArray(String[]::new));
        }
        vi.tracks().forEach((k, entries) -> p.putIfAbsent(key(k), entries.toArray(String[]::new)));
        vi.notifies().forEach((k, s) -> putNotify(p, k, s));
        p.put(Instance.SMTP_ALERT, smtpAlert(vi.smtpAlert(), global));
        vi.garp().forEach((k, v) -> p.put(key(k), v));
        p.put(key("use_vmac"), vi.useVmac());
        putIfSet(p, key("use_vmac_name"), vi.vmacName());
        p.put(key("native_ipv6"), vi.nativeIpv6());
        p.put(key("dont_track_primary"), vi.dontTrackPrimary());
        boolean strict = vi.strictMode() != null ? vi.strictMode() : global.flag("vrrp_strict");
        p.put(key("strict_mode"), strict);
        // keepalived: accept mode unless no_accept or strict mode.
        p.put(key("accept"), vi.accept() != null ? vi.accept() : !strict);
        vi.extra().forEach(n -> putExtra(p, n));
        return p;
    }

    /**
     * static_ipaddress, static_routes and static_rules, with the device an entry without dev goes
     * on (keepalived's default_interface, eth0 unless set); null when there are none.
     */
    private static Map<String, Object> statics(KeepalivedModel model) {
        NetworkBlocks n = model.network();
        if (model.staticAddresses().isEmpty() && n.staticRoutes().isEmpty() && n.staticRules().isEmpty()) {
            return null;
        }
        Origin origin = !model.staticAddresses().isEmpty() ? model.staticAddresses().get(0).origin()
                : !n.staticRoutes().isEmpty() ? n.staticRoutes().get(0).origin() : model.global().origin();
        Map<String, Object> p = base(null, origin != null ? origin : new Origin("keepalived.conf", 0));
        p.put(ConfigurationPids.Static.IPADDRESS, model.staticAddresses().stream().map(VirtualIp::text)
                .toArray(String[]::new));
        p.put(ConfigurationPids.Static.ROUTES, n.staticRoutes().stream().map(ConfigNode::line).toArray(String[]::new));
        p.put(ConfigurationPids.Static.RULES, n.staticRules().toArray(String[]::new));
        String dflt = model.global().other().get("default_interface");
        p.put(key("default_interface"), dflt == null || dflt.isBlank() ? "eth0" : dflt.strip());
        return p;
    }

    private static boolean smtpAlert(Boolean own, GlobalDefs global) {
        if (own != null) {
            return own;
        }
        if (global.smtpAlertVrrp() != null) {
            return global.smtpAlertVrrp();
        }
        return Boolean.TRUE.equals(global.smtpAlert());
    }

    private static void putNotify(Map<String, Object> p, String keyword, NotifyScript s) {
        p.put(key(keyword), s.command());
        if (s.user() != null) {
            p.put(key(keyword) + ".user", s.group() == null ? s.user() : s.user() + " " + s.group());
        }
    }

    private static void putExtra(Map<String, Object> p, ConfigNode n) {
        Object value;
        if (n.hasBlock()) {
            value = n.children().stream().map(ConfigNode::line).toArray(String[]::new);
        } else if (n.args().isEmpty()) {
            value = Boolean.TRUE;
        } else {
            value = String.join(" ", n.args());
        }
        p.putIfAbsent(key(n.keyword()), value);
    }

    private static int globalInt(GlobalDefs g, String keyword, int fallback) {
        String v = g.other().get(keyword);
        Integer i = v == null ? null : ModelBuilder.parseInt(v.strip());
        return i == null ? fallback : i;
    }

    private static long millis(BigDecimal seconds) {
        return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
    }

    private static void putIfSet(Map<String, Object> p, String key, String value) {
        if (value != null) {
            p.put(key, value);
        }
    }
}
