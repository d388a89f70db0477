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
import org.vigil.api.vrrp.TrackEntry;

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
            p.put(Global.SMTP_SERVER, g.smtpServer());
            p.put(Global.SMTP_PORT, g.smtpPort() == null ? GlobalDefs.DEFAULT_SMTP_PORT : g.smtpPort());
        }
        int timeout = g.smtpConnectTimeoutSeconds() != null ? g.smtpConnectTimeoutSeconds()
                : GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT_SECONDS;
        p.put(Global.SMTP_CONNECT_TIMEOUT_MS, timeout * 1000L);
        putIfSet(p, Global.SMTP_HELO_NAME, g.smtpHeloName());
        p.put(Global.SMTP_ALERT, Boolean.TRUE.equals(g.smtpAlert()));
        // resolved as keepalived does: smtp_alert_vrrp, else smtp_alert
        p.put(Global.SMTP_ALERT_VRRP, g.smtpAlertVrrp() != null ? g.smtpAlertVrrp() : Boolean.TRUE.equals(g.smtpAlert()));
        p.put(key("no_email_faults"), g.noEmailFaults());
        p.put(Global.ENABLE_SCRIPT_SECURITY, g.enableScriptSecurity());
        putScriptUser(p, g.scriptUser());
        // the FIFOs by path and owner (keepalived's "PATH [USER [GROUP]]" typed), their scripts'
        // commands and users typed
        for (String fifo : new String[] {"notify_fifo", "vrrp_notify_fifo"}) {
            putFifo(p, key(fifo), g.other().get(fifo));
            String command = g.other().get(fifo + "_script_command");
            if (command != null && !command.isBlank()) {
                p.put(key(fifo + "_script_command"), command);
                String[] user = words(g.other().get(fifo + "_script_user"));
                putRunAs(p, key(fifo + "_script") + ".", user[0], user[1]);
            }
        }
        if (g.vrrpVersion() != null) {
            p.put(key("vrrp_version"), g.vrrpVersion());
        }
        // checked by the parser (ranges, with their line); typed for the core's form
        for (String k : new String[] {Global.VRRP_RT_PRIORITY, Global.VRRP_PRIORITY, Global.VRRP_RLIMIT_RTTIME}) {
            String v = g.other().get(k.replace('.', '_'));
            Integer i = v == null ? null : ModelBuilder.parseInt(v.strip());
            if (i != null) {
                p.put(k, i);
            }
        }
        if (g.other().containsKey("vrrp_no_swap")) {
            p.put(Global.VRRP_NO_SWAP, true);
        }
        g.other().forEach((k, v) -> {
            // the FIFO scripts' users as written are the typed keys above
            if (!k.endsWith("_fifo_script_user")) {
                p.putIfAbsent(key(k), v.isEmpty() ? Boolean.TRUE : v);
            }
        });
        return p;
    }

    private static Map<String, Object> script(VrrpScript s) {
        Map<String, Object> p = base(s.name(), s.origin());
        p.put(Script.SCRIPT, s.script());
        long interval = millis(s.interval());
        p.put(Script.INTERVAL_MS, interval);
        p.put(Script.TIMEOUT_MS, s.timeout() == null ? interval : millis(s.timeout()));
        p.put(Script.WEIGHT, s.weight());
        p.put(Script.WEIGHT_REVERSE, s.weightReverse());
        p.put(Script.RISE, s.rise());
        p.put(Script.FALL, s.fall());
        putRunAs(p, "", s.user(), s.group());
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
        for (String line : entries) {
            TrackEntry entry = TrackEntry.parse(line);
            var block = trackers.file(entry.name());
            if (block.isEmpty()) {
                if (entry.name().startsWith("/")) {
                    out.add(entry.toString());
                }
                continue;
            }
            TrackBlocks.File f = block.get();
            boolean reverse = entry.reverse() != null ? entry.reverse() : f.reverse();
            out.add(new TrackEntry(f.file(), entry.weight() != null ? entry.weight() : f.weight(), reverse ? true : null,
                    f.initValue(), f.overwrite()).toString());
        }
        return out.toArray(String[]::new);
    }

    /** Track entries (checked by the parser) in the one form the core reads, {@link TrackEntry#parse}. */
    static String[] trackEntries(List<String> entries) {
        return entries.stream().map(e -> TrackEntry.parse(e).toString()).toArray(String[]::new);
    }

    private static Map<String, Object> syncGroup(VrrpSyncGroup g, GlobalDefs global) {
        Map<String, Object> p = base(g.name(), g.origin());
        p.put(SyncGroup.GROUP, g.group().toArray(String[]::new));
        g.notifies().forEach((k, s) -> putNotify(p, k, s));
        p.put(Instance.SMTP_ALERT, smtpAlert(g.smtpAlert(), global));
        g.tracks().forEach((k, entries) -> p.put(key(k), trackEntries(entries)));
        for (ConfigNode n : g.extra()) {
            if (n.keyword().equals("global_tracking") || n.keyword().equals("sync_group_tracking_weight")) {
                // global_tracking is sync_group_tracking_weight's older name: one typed key for both
                p.put(SyncGroup.TRACKING_WEIGHT, true);
            } else {
                putExtra(p, n);
            }
        }
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
            p.put(Instance.AUTH_HMAC_KEY_IDS, h.keyIds().stream().mapToInt(Integer::intValue).toArray());
            p.put(Instance.AUTH_HMAC_KEYS, h.keyIds().stream().map(id -> java.util.HexFormat.of().formatHex(h.key(id)))
                    .toArray(String[]::new));
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
        // "192.0.2.12 min_ttl 1 max_ttl 255": the address is the first word
        p.put(Instance.UNICAST_PEER, vi.unicastPeers().stream().map(e -> e.trim().split("\\s+")[0])
                .filter(e -> !e.isEmpty()).toArray(String[]::new));
        putIfSet(p, key("mcast_src_ip"), vi.mcastSrcIp());
        putIfSet(p, Instance.MCAST_DST_IP, vi.mcastDstIp());
        p.put(Instance.V3_CHECKSUM_AS_V2, vi.v3ChecksumAsV2());
        p.put(Instance.DOWN_TIMER_ADVERTS, vi.downTimerAdverts() != null ? vi.downTimerAdverts()
                : globalInt(global, "vrrp_down_timer_adverts", VrrpInstance.DEFAULT_DOWN_TIMER_ADVERTS));
        p.put(Instance.LOWER_PRIO_NO_ADVERT, vi.lowerPrioNoAdvert() != null ? vi.lowerPrioNoAdvert()
                : global.flag("vrrp_lower_prio_no_advert"));
        p.put(Instance.HIGHER_PRIO_SEND_ADVERT, vi.higherPrioSendAdvert() != null ? vi.higherPrioSendAdvert()
                : global.flag("vrrp_higher_prio_send_advert"));
        for (String track : new String[] {"track_interface", "track_script", "track_process"}) {
            p.put(key(track), trackEntries(vi.track(track)));
        }
        vi.notifies().forEach((k, s) -> putNotify(p, k, s));
        p.put(Instance.SMTP_ALERT, smtpAlert(vi.smtpAlert(), global));
        p.put(key("use_vmac"), vi.useVmac());
        putIfSet(p, key("use_vmac_name"), vi.vmacName());
        p.put(key("native_ipv6"), vi.nativeIpv6());
        p.put(key("dont_track_primary"), vi.dontTrackPrimary());
        boolean strict = vi.strictMode() != null ? vi.strictMode() : global.flag("vrrp_strict");
        p.put(key("strict_mode"), strict);
        // keepalived: accept mode unless no_accept or strict mode.
        p.put(key("accept"), vi.accept() != null ? vi.accept() : !strict);
        for (ConfigNode n : vi.extra()) {
            switch (n.keyword()) {
                case "garp_extra_if" -> {
                    // GarpDefaults: with the global vrrp_garp_extra_if
                }
                case "use_ipvlan" -> ipvlan(p, n.args());
                case "vmac_xmit_base" -> p.put(key("vmac_xmit_base"),
                        n.args().isEmpty() || !n.args().get(0).equals("false"));
                case "notify_priority_changes" -> p.put(Instance.NOTIFY_PRIORITY_CHANGES,
                        n.args().isEmpty() || !Boolean.FALSE.equals(Booleans.parse(n.args().get(0))));
                default -> putExtra(p, n);
            }
        }
        // keepalived: an instance without notify_priority_changes follows vrrp_notify_priority_changes
        p.putIfAbsent(Instance.NOTIFY_PRIORITY_CHANGES, global.flag("vrrp_notify_priority_changes"));
        return p;
    }

    /** {@code use_ipvlan [NAME] [ADDRESS/PREFIX] [bridge|private|vepa]}: one typed attribute per value. */
    private static void ipvlan(Map<String, Object> p, List<String> words) {
        if (words.size() == 1 && words.get(0).equals("false")) {
            return;
        }
        p.put(Instance.USE_IPVLAN, true);
        for (String w : words) {
            if (w.equals("bridge") || w.equals("private") || w.equals("vepa")) {
                p.put(Instance.USE_IPVLAN_MODE, w);
            } else if (w.matches("[0-9A-Fa-f:.]+(/[0-9]+)?") && (w.contains(".") || w.contains(":"))) {
                p.put(Instance.USE_IPVLAN_ADDRESS, w);
            } else if (!w.equals("true") && !p.containsKey(Instance.USE_IPVLAN_NAME)) {
                p.put(Instance.USE_IPVLAN_NAME, w);
            }
        }
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
        putRunAs(p, key(keyword) + ".", s.user(), s.group());
        if (keyword.equals("notify_deleted")) {
            // with or without a script: a deletion at reload notifies DELETED, not FAULT
            p.put(Instance.NOTIFY_DELETED_ENABLED, true);
        }
    }

    /**
     * keepalived's {@code user USER [GROUP]} as the three typed keys of
     * {@link ConfigurationPids#RUN_AS_USER} after {@code prefix}: a group written {@code :GROUP}
     * (or {@code :}) also gives the user's supplementary groups. Nothing without a user.
     */
    static void putRunAs(Map<String, Object> p, String prefix, String user, String group) {
        if (user == null || user.isBlank()) {
            return;
        }
        p.put(prefix + ConfigurationPids.RUN_AS_USER, user);
        if (group != null && group.startsWith(":")) {
            p.put(prefix + ConfigurationPids.RUN_AS_SUPPLEMENTARY_GROUPS, true);
            group = group.substring(1);
        }
        if (group != null && !group.isEmpty()) {
            p.put(prefix + ConfigurationPids.RUN_AS_GROUP, group);
        }
    }

    /**
     * A notify FIFO's {@code PATH [USER [GROUP]]} as {@code KEY} (the path) and, when an owner is
     * given, {@code KEY.owner.user} and {@code KEY.owner.group}: the FIFO's owner, so that a
     * reader running as that user can open it. Nothing when blank.
     */
    static void putFifo(Map<String, Object> p, String key, String words) {
        if (words == null || words.isBlank()) {
            return;
        }
        String[] w = words.strip().split("\\s+");
        p.put(key, w[0]);
        if (w.length > 1) {
            p.put(key + ".owner." + ConfigurationPids.RUN_AS_USER, w[1]);
        }
        if (w.length > 2) {
            p.put(key + ".owner." + ConfigurationPids.RUN_AS_GROUP, w[2]);
        }
    }

    /** global_defs script_user ("USER [GROUP]") as {@code script.user}, {@code script.group}, ... */
    static void putScriptUser(Map<String, Object> p, String scriptUser) {
        String[] w = words(scriptUser);
        putRunAs(p, "script.", w[0], w[1]);
    }

    /** The first two words of a user setting ("USER [GROUP]"), nulls for missing ones. */
    static String[] words(String text) {
        if (text == null || text.isBlank()) {
            return new String[2];
        }
        String[] w = text.strip().split("\\s+", 3);
        return new String[] {w[0], w.length > 1 ? w[1] : null};
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
