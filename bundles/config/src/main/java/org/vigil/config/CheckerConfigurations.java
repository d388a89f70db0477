package org.vigil.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.check.CheckerPids;
import org.vigil.api.vrrp.ConfigurationPids;

/**
 * Virtual servers, their real and sorry servers and the virtual_server_groups as
 * ConfigurationAdmin factory configurations, per {@link CheckerPids}. Virtual and real server
 * values are effective ones: keepalived's defaults applied, the virtual server's settings as
 * the real server's defaults, times in seconds as Double. Check blocks are tokens
 * ({@code check.N.keyword} = String[]). A setting whose default depends on the check type
 * ({@code retry}, {@code delay_before_retry}) is written only when the file sets it.
 *
 * <p>A virtual server's configuration carries its real servers and sorry server
 * ({@code real.server.N.*}): one configuration per real server made start-up O(n^2) in
 * ConfigurationAdmin and SCR. Each configuration is named by its identity (the virtual server's
 * key, the group's name), so a reload updates exactly the configurations whose content changed;
 * the checker diffs the real servers inside by address and port.
 */
final class CheckerConfigurations {

    /** Set on a check block: "file:line" of the block, for the checker's messages. Not a keyword. */
    static final String CHECK_ORIGIN = "vigil.origin";

    private CheckerConfigurations() {
    }

    static void add(KeepalivedModel model, List<ConfigurationRecord> out) {
        GlobalDefs global = model.global();
        for (VirtualServerGroup g : model.virtualServerGroups()) {
            out.add(new ConfigurationRecord(CheckerPids.GROUP, true, g.name(), group(g)));
        }
        for (VirtualServer vs : model.virtualServers()) {
            out.add(new ConfigurationRecord(CheckerPids.VIRTUAL_SERVER, true, vs.key(), virtualServer(vs, global)));
        }
    }

    private static Map<String, Object> base(String name, Origin origin) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationPids.SOURCE, Configurations.SOURCE);
        p.put(ConfigurationPids.ORIGIN, origin.toString());
        p.put(ConfigurationPids.NAME, name);
        return p;
    }

    private static Map<String, Object> group(VirtualServerGroup g) {
        Map<String, Object> p = base(g.name(), g.origin());
        p.put("addresses", g.addresses().toArray(String[]::new));
        p.put("fwmarks", g.fwmarks().toArray(String[]::new));
        return p;
    }

    private static Map<String, Object> virtualServer(VirtualServer vs, GlobalDefs global) {
        Map<String, Object> p = base(vs.key(), vs.origin());
        p.put(CheckerPids.VIRTUAL_SERVER_KEY, vs.key());
        switch (vs.kind()) {
            case ADDRESS -> p.put(CheckerPids.ADDRESS, IpLiterals.text(vs.address()));
            case FWMARK -> p.put(key("fwmark"), vs.fwmark());
            case GROUP -> p.put(key("group"), vs.group());
        }
        p.put(CheckerPids.PORT, vs.port());
        p.put(key("ip_family"), vs.family());
        p.put(key("protocol"), vs.protocol());
        double delayLoop = seconds(vs.delayLoop());
        p.put(key("delay_loop"), delayLoop);
        p.put(key("lvs_sched"), vs.scheduler());
        p.put(key("lvs_sched_flags"), vs.schedulerFlags().toArray(String[]::new));
        p.put(key("ops"), vs.ops());
        putMethod(p, vs.method());
        putIfSet(p, key("persistence_engine"), vs.persistenceEngine());
        p.put(key("persistence_timeout"), vs.persistenceTimeout());
        putIfSet(p, key("persistence_granularity"), vs.persistenceGranularity());
        p.put(key("quorum"), vs.quorum());
        p.put(key("hysteresis"), vs.hysteresis());
        putScript(p, "quorum_up", vs.quorumUp());
        putScript(p, "quorum_down", vs.quorumDown());
        p.put(key("alpha"), vs.alpha());
        p.put(key("omega"), vs.omega());
        p.put(key("ha_suspend"), vs.haSuspend());
        p.put(key("inhibit_on_failure"), Boolean.TRUE.equals(vs.inhibitOnFailure()));
        if (vs.retry() != null) {
            p.put(key("retry"), vs.retry());
        }
        putSeconds(p, "delay_before_retry", vs.delayBeforeRetry());
        p.put(key("warmup"), vs.warmup() != null ? seconds(vs.warmup()) : delayLoop);
        p.put(key("connect_timeout"), seconds(orElse(vs.connectTimeout(), VirtualServer.DEFAULT_CONNECT_TIMEOUT)));
        // keepalived: no mails for a virtual server unless smtp_alert here or in global_defs
        p.put(key("smtp_alert"), vs.smtpAlert() != null ? vs.smtpAlert() : globalChecker(global, false));
        putIfSet(p, key("virtualhost"), vs.virtualhost());
        List<RealServer> reals = new ArrayList<>(vs.realServers());
        if (vs.sorryServer() != null) {
            reals.add(vs.sorryServer());
            p.put(key("sorry_server_inhibit"), vs.sorryServerInhibit());
        }
        p.put(CheckerPids.REAL_SERVER_COUNT, reals.size());
        for (int n = 0; n < reals.size(); n++) {
            String prefix = CheckerPids.realServerPrefix(n);
            Map<String, Object> rs = realServer(vs, reals.get(n), global);
            if (!reals.get(n).sorry()) {
                leaveOutInherited(rs, p);
            }
            rs.forEach((k, v) -> p.put(prefix + k, v));
        }
        // keepalived applies script_user and enable_script_security to the checker's scripts too
        p.put(ConfigurationPids.Global.ENABLE_SCRIPT_SECURITY, global.enableScriptSecurity());
        Configurations.putScriptUser(p, global.scriptUser());
        // the fifo is global_defs', but each virtual server's checker writes it: its path and
        // owner ("path [user [group]]", notify_fifo's when it is the one)
        String lvsFifo = global.other().get("lvs_notify_fifo");
        String fifo = lvsFifo != null ? lvsFifo : global.other().get("notify_fifo");
        Configurations.putFifo(p, key("lvs_notify_fifo"), fifo);
        // lvs_notify_fifo_script reads lvs_notify_fifo: its command as one word, its user typed. The
        // fallback notify_fifo is shared with the VRRP side and so is its reader, notify_fifo_script,
        // which notify-script starts once: a second reader would take lines from the first.
        String command = global.other().get("lvs_notify_fifo_script_command");
        if (lvsFifo != null && !lvsFifo.isBlank() && command != null && !command.isBlank()) {
            p.put(key("lvs_notify_fifo_script_command"), command);
            String[] user = Configurations.words(global.other().get("lvs_notify_fifo_script_user"));
            Configurations.putRunAs(p, key("lvs_notify_fifo_script") + ".", user[0], user[1]);
        }
        return p;
    }

    /** Real server keys that read as the virtual server's when absent (RealServers.Config in the checker). */
    private static final List<String> INHERITED = List.of("inhibit.on.failure", "alpha", "delay.loop",
            "connect.timeout", "warmup", "retry", "delay.before.retry", "virtualhost");

    /**
     * Leaves out what a real server would only repeat: a key equal to its virtual server's, weight
     * 1 and smtp_alert on (the checker's defaults). 10,000 real servers are 10,000 times these keys,
     * and ConfigurationAdmin, SCR and the bridge each hold the whole configuration.
     */
    private static void leaveOutInherited(Map<String, Object> rs, Map<String, Object> vs) {
        for (String k : INHERITED) {
            if (rs.containsKey(k) && rs.get(k).equals(vs.get(key(k)))) {
                rs.remove(k);
            }
        }
        boolean sameMethod = true;
        for (String k : List.of("lvs.method", "lvs.method.type", "lvs.method.port", "lvs.method.checksum")) {
            sameMethod &= java.util.Objects.equals(rs.get(k), vs.get(k));
        }
        if (sameMethod) {
            rs.remove("lvs.method");
        }
        rs.remove("weight", 1);
        rs.remove("smtp.alert", true);
    }

    /** A real server's keys, to be prefixed with {@link CheckerPids#realServerPrefix}. */
    private static Map<String, Object> realServer(VirtualServer vs, RealServer rs, GlobalDefs global) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationPids.ORIGIN, rs.origin().toString());
        p.put(CheckerPids.ADDRESS, IpLiterals.text(rs.address()));
        p.put(CheckerPids.PORT, rs.port());
        p.put(CheckerPids.SORRY, rs.sorry());
        p.put(key("weight"), rs.effectiveWeight());
        putMethod(p, CheckerBuilder.effectiveMethod(vs, rs));
        boolean inhibit = rs.sorry() ? vs.sorryServerInhibit()
                : orElse(rs.inhibitOnFailure(), Boolean.TRUE.equals(vs.inhibitOnFailure()));
        p.put(key("inhibit_on_failure"), inhibit);
        p.put(key("alpha"), orElse(rs.alpha(), vs.alpha()));
        putScript(p, "notify_up", rs.notifyUp());
        putScript(p, "notify_down", rs.notifyDown());
        if (rs.uthreshold() != null) {
            p.put(key("uthreshold"), rs.uthreshold());
        }
        if (rs.lthreshold() != null) {
            p.put(key("lthreshold"), rs.lthreshold());
        }
        // keepalived: a real server mails unless smtp_alert says no, or global_defs sets it
        p.put(key("smtp_alert"), rs.smtpAlert() != null ? rs.smtpAlert() : globalChecker(global, true));
        putIfSet(p, key("virtualhost"), rs.virtualhost() != null ? rs.virtualhost() : vs.virtualhost());
        BigDecimal delayLoop = orElse(rs.delayLoop(), vs.delayLoop());
        p.put(key("delay_loop"), seconds(delayLoop));
        p.put(key("connect_timeout"), seconds(orElse(rs.connectTimeout(),
                orElse(vs.connectTimeout(), VirtualServer.DEFAULT_CONNECT_TIMEOUT))));
        p.put(key("warmup"), seconds(orElse(rs.warmup(), orElse(vs.warmup(), delayLoop))));
        Integer retry = orElse(rs.retry(), vs.retry());
        if (retry != null) {
            p.put(key("retry"), retry);
        }
        putSeconds(p, "delay_before_retry", orElse(rs.delayBeforeRetry(), vs.delayBeforeRetry()));
        List<CheckBlock> checks = rs.checks();
        for (int n = 0; n < checks.size(); n++) {
            CheckBlock c = checks.get(n);
            p.put(CheckerPids.checkType(n), c.type());
            String prefix = CheckerPids.checkPrefix(n);
            c.keywords().forEach((k, tokens) -> p.put(prefix + k, tokens.toArray(String[]::new)));
            p.put(prefix + CHECK_ORIGIN, c.origin().toString());
        }
        return p;
    }

    /** smtp_alert_checker, else smtp_alert of global_defs, else the fallback. */
    private static boolean globalChecker(GlobalDefs global, boolean fallback) {
        String checker = global.other().get("smtp_alert_checker");
        if (checker != null) {
            Boolean b = Booleans.parse(checker.strip());
            return b == null ? fallback : b;
        }
        return global.smtpAlert() != null ? global.smtpAlert() : fallback;
    }

    private static void putMethod(Map<String, Object> p, LvsMethod m) {
        p.put(key("lvs_method"), m.kind());
        if (m.tunnelType() != null) {
            p.put(key("lvs_method_type"), m.tunnelType());
        }
        if (m.tunnelPort() > 0) {
            p.put(key("lvs_method_port"), m.tunnelPort());
        }
        if (m.checksum() != null) {
            p.put(key("lvs_method_checksum"), m.checksum());
        }
    }

    private static void putScript(Map<String, Object> p, String keyword, NotifyScript s) {
        if (s == null) {
            return;
        }
        p.put(key(keyword), s.command());
        Configurations.putRunAs(p, key(keyword) + ".", s.user(), s.group());
    }

    private static void putSeconds(Map<String, Object> p, String keyword, BigDecimal value) {
        if (value != null) {
            p.put(key(keyword), seconds(value));
        }
    }

    private static void putIfSet(Map<String, Object> p, String key, String value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    private static double seconds(BigDecimal value) {
        return value.doubleValue();
    }

    private static String key(String keyword) {
        return Configurations.key(keyword);
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
