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
        for (TrackBlocks.Process t : model.trackers().processes()) {
            out.add(new ConfigurationRecord(ConfigurationPids.TRACK_PROCESS, true, t.name(), trackProcess(t)));
        }
        for (VrrpSyncGroup g : model.syncGroups()) {
            Map<String, Object> p = syncGroup(g, global);
            p.put(Instance.TRACK_FILE, trackFiles(g.tracks().getOrDefault("track_file", List.of()), model.trackers()));
            out.add(new ConfigurationRecord(ConfigurationPids.SYNC_GROUP, true, g.name(), p));
        }
        Set<String> instanceNames = new HashSet<>();
        for (VrrpInstance vi : model.instances()) {
            Map<String, Object> p = instance(vi, global);
            p.put(Instance.TRACK_FILE, trackFiles(vi.track("track_file"), model.trackers()));
            GarpDefaults.apply(p, vi, global, model.network());
            typeInstance(p);
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

    private static Map<String, Object> trackProcess(TrackBlocks.Process t) {
        Map<String, Object> p = base(t.name(), t.origin());
        p.put(ConfigurationPids.TrackProcess.PROCESS, t.process().toArray(String[]::new));
        p.put(ConfigurationPids.TrackProcess.PARAM_MATCH, t.paramMatch() == null ? "" : t.paramMatch());
        p.put(ConfigurationPids.TrackProcess.WEIGHT, t.weight());
        p.put(ConfigurationPids.TrackProcess.WEIGHT_REVERSE, t.reverse());
        p.put(ConfigurationPids.TrackProcess.QUORUM, t.quorum());
        p.put(ConfigurationPids.TrackProcess.QUORUM_MAX, t.quorumMax());
        p.put(ConfigurationPids.TrackProcess.FORK_DELAY_MS, millis(t.forkDelay()));
        p.put(ConfigurationPids.TrackProcess.TERMINATE_DELAY_MS, millis(t.terminateDelay()));
        p.put(ConfigurationPids.TrackProcess.FULL_COMMAND, t.fullCommand());
        return p;
    }

    /**
     * track_file entries naming a track_file block, as the core reads them: the block's file, the
     * entry's weight (else the block's) and reverse, and the block's init_file. An absolute path
     * (Vigil's older form) stays as written; an unknown name is left out (Resolver warned).
     */
    static String[] trackFiles(List<String> entries, TrackBlocks trackers) {
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            String[] w = entry.trim().split("\\s+");
            var block = trackers.file(w[0]);
            if (block.isEmpty()) {
                if (w[0].startsWith("/")) {
                    out.add(entry.trim());
                }
                continue;
            }
            TrackBlocks.File f = block.get();
            long weight = f.weight();
            boolean reverse = f.reverse();
            for (int i = 1; i < w.length; i++) {
                if (w[i].equals("weight") && i + 1 < w.length) {
                    weight = Long.parseLong(w[++i]);
                } else if (w[i].equals("reverse")) {
                    reverse = true;
                } else if (w[i].equals("noreverse")) {
                    reverse = false;
                }
            }
            StringBuilder b = new StringBuilder(f.file()).append(" weight ").append(weight);
            if (reverse) {
                b.append(" reverse");
            }
            if (f.initValue() != null) {
                b.append(" init_file ").append(f.initValue());
                if (f.overwrite()) {
                    b.append(" overwrite");
                }
            }
            out.add(b.toString());
        }
        return out.toArray(String[]::new);
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
     * The instance's keys that keepalived writes as words, as the typed attributes of the
     * instance's metatype form: garp delays in milliseconds, garp/gna intervals in microseconds,
     * {@code garp_extra_if [all] S} and {@code use_ipvlan [NAME] [ADDRESS/PREFIX] [MODE]} split
     * into one attribute per value, unicast peers as bare addresses.
     */
    static void typeInstance(Map<String, Object> p) {
        for (String k : new String[] {"garp.master.delay", "garp.master.refresh", "garp.lower.prio.delay"}) {
            Object v = p.remove(k);
            if (v != null) {
                p.put(k + ".ms", decimal(v).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue());
            }
        }
        for (String k : new String[] {"garp.master.repeat", "garp.master.refresh.repeat", "garp.lower.prio.repeat"}) {
            Object v = p.get(k);
            if (v != null && !(v instanceof Integer)) {
                p.put(k, decimal(v).intValue());
            }
        }
        for (String k : new String[] {"vrrp.garp.interval", "vrrp.gna.interval"}) {
            Object v = p.remove(k);
            if (v != null) {
                p.put(k + ".us", decimal(v).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValue());
            }
        }
        Object extra = p.remove("garp.extra.if");
        if (extra != null) {
            boolean all = false;
            long ms = 0;
            for (String w : String.valueOf(extra).trim().split("\\s+")) {
                if (w.equalsIgnoreCase("all")) {
                    all = true;
                } else if (!w.isEmpty()) {
                    ms = new BigDecimal(w).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
                }
            }
            p.put("garp.extra.if.ms", ms);
            p.put("garp.extra.if.all", all);
        }
        Object ipvlan = p.remove("use.ipvlan");
        if (ipvlan != null && !Boolean.FALSE.equals(ipvlan) && !"false".equals(String.valueOf(ipvlan))) {
            p.put("use.ipvlan", true);
            if (!(ipvlan instanceof Boolean) && !"true".equals(String.valueOf(ipvlan))) {
                for (String w : String.valueOf(ipvlan).trim().split("\\s+")) {
                    if (w.equals("bridge") || w.equals("private") || w.equals("vepa")) {
                        p.put("use.ipvlan.mode", w);
                    } else if (w.matches("[0-9A-Fa-f:.]+(/[0-9]+)?") && (w.contains(".") || w.contains(":"))) {
                        p.put("use.ipvlan.address", w);
                    } else if (!p.containsKey("use.ipvlan.name")) {
                        p.put("use.ipvlan.name", w);
                    }
                }
            }
        }
        Object peers = p.get(Instance.UNICAST_PEER);
        if (peers instanceof String[] list) {
            // "192.0.2.12 min_ttl 1 max_ttl 255": the address is the first word
            p.put(Instance.UNICAST_PEER, java.util.Arrays.stream(list).map(e -> e.trim().split("\\s+")[0])
                    .filter(e -> !e.isEmpty()).toArray(String[]::new));
        }
        Object vmacXmit = p.get("vmac.xmit.base");
        if (vmacXmit != null && !(vmacXmit instanceof Boolean)) {
            p.put("vmac.xmit.base", !"false".equals(String.valueOf(vmacXmit)));
        }
    }

    private static BigDecimal decimal(Object v) {
        return v instanceof BigDecimal b ? b : new BigDecimal(String.valueOf(v).trim());
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
