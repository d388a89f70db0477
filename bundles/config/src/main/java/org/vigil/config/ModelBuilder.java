package org.vigil.config;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.vigil.api.auth.AuthType;

/**
 * Reads statements into the typed model, reporting bad values with keepalived's wording. Checks
 * that need the whole file (duplicates, VRID clashes, references, effective values) are done
 * afterwards by {@link Resolver}.
 */
final class ModelBuilder {

    /** Top-level blocks Vigil recognises but does not act on yet. */
    static final Set<String> UNSUPPORTED_TOP_LEVEL = Set.of("linkbeat_interfaces", "track_group",
            "interface_up_down_delays", "net_namespace_ipvs", "namespace_with_ipsets",
            "child_wait_time", "linkbeat_use_polling", "SSL");

    static final Set<String> NOTIFY_KEYWORDS = Set.of("notify_master", "notify_backup", "notify_fault", "notify_stop",
            "notify_deleted", "notify_master_rx_lower_pri", "notify");
    /** track_bfd is refused where it is read (no BFD in Vigil). */
    static final Set<String> TRACK_KEYWORDS = Set.of("track_interface", "track_script", "track_file", "track_process");
    static final Set<String> GARP_KEYWORDS = Set.of("garp_master_delay", "garp_master_repeat", "garp_lower_prio_delay",
            "garp_lower_prio_repeat", "garp_master_refresh", "garp_master_refresh_repeat");

    /** vrrp_instance keywords kept as they are (no typed field). */
    static final Set<String> INSTANCE_EXTRA = Set.of("vrf", "use_vmac_addr", "vmac_xmit_base", "use_ipvlan",
            "track_src_ip", "check_unicast_src", "unicast_fault_no_peer", "unicast_ttl", "old_unicast_checksum",
            "garp_extra_if", "garp_extra_if_vmac", "promote_secondaries", "skip_check_adv_addr", "debug",
            "notify_priority_changes", "kernel_rx_buf_size", "linkbeat_use_polling", "no_virtual_ipaddress",
            "lvs_sync_daemon_interface", "preempt", "virtual_rules_excluded", "vrrp_group");

    /** global_defs keywords of keepalived.conf(5) without a typed field. */
    static final Set<String> GLOBAL_OTHER = Set.of("bfd_cpu_affinity", "bfd_no_swap", "bfd_priority",
            "bfd_process_name", "bfd_rlimit_rttime", "bfd_rt_priority", "checker_cpu_affinity",
            "checker_log_all_failures", "checker_no_swap", "checker_priority", "checker_process_name",
            "checker_rlimit_rttime", "checker_rt_priority", "child_wait_time", "config_save_dir", "data_use_instance",
            "dbus_service_name", "default_interface", "disable_local_igmp", "dynamic_interfaces", "enable_dbus",
            "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_snmp_vrrp",
            "enable_snmp_keepalived", "enable_traps", "fifo_write_vrrp_states_on_reload", "include_check", "instance",
            "linkbeat_use_polling", "log_unknown_vrids", "lvs_flush", "lvs_flush_on_stop", "lvs_netlink_cmd_rcv_bufs",
            "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force",
            "lvs_notify_fifo", "lvs_notify_fifo_script", "lvs_sync_daemon", "lvs_timeouts", "lvs_id",
            "max_auto_priority", "min_auto_priority_delay", "namespace_with_ipsets", "net_namespace",
            "net_namespace_ipvs", "nftables", "nftables_counters", "nftables_ifindex", "nftables_ipvs",
            "nftables_ipvs_priority", "nftables_ipvs_start_fwmark", "nftables_priority", "no_checker_emails",
            "notify_fifo", "notify_fifo_script", "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force",
            "process_name", "process_names", "random_seed", "reload_check_config", "reload_file", "reload_repeat",
            "reload_time_file", "rs_init_notifies", "shutdown_script", "shutdown_script_timeout",
            "smtp_alert_checker", "snmp_socket", "startup_script", "startup_script_timeout", "tmp_config_directory",
            "umask", "use_pid_dir", "vmac_addr_prefix", "vmac_prefix", "vrrp_check_unicast_src", "vrrp_cpu_affinity",
            "vrrp_down_timer_adverts", "vrrp_garp_extra_if", "vrrp_garp_interval", "vrrp_garp_lower_prio_delay",
            "vrrp_garp_lower_prio_repeat", "vrrp_garp_master_delay", "vrrp_garp_master_refresh",
            "vrrp_garp_master_refresh_repeat", "vrrp_garp_master_repeat", "vrrp_gna_interval",
            "vrrp_higher_prio_send_advert", "vrrp_ipsets", "vrrp_iptables", "vrrp_lower_prio_no_advert",
            "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_min_garp", "vrrp_netlink_cmd_rcv_bufs",
            "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force",
            "vrrp_no_swap", "vrrp_notify_fifo", "vrrp_notify_fifo_script", "vrrp_notify_priority_changes",
            "vrrp_priority", "vrrp_process_name", "vrrp_rlimit_rttime", "vrrp_rt_priority", "vrrp_rx_bufs_multiplier",
            "vrrp_rx_bufs_policy", "vrrp_skip_check_adv_addr", "vrrp_startup_delay", "vrrp_strict",
            "vrrp_delay_after_boot");

    /** global_defs scripts that read a notify FIFO (keepalived starts them with the FIFO's name). */
    static final Set<String> FIFO_SCRIPTS = Set.of("notify_fifo_script", "vrrp_notify_fifo_script", "lvs_notify_fifo_script");

    private final List<Diagnostic> diagnostics;

    ModelBuilder(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    KeepalivedModel build(List<ConfigNode> top) {
        GlobalDefs global = null;
        List<VrrpScript> scripts = new ArrayList<>();
        List<VrrpSyncGroup> groups = new ArrayList<>();
        List<VrrpInstance> instances = new ArrayList<>();
        List<ConfigNode> unsupported = new ArrayList<>();
        List<VirtualServerGroup> serverGroups = new ArrayList<>();
        List<VirtualServer> servers = new ArrayList<>();
        List<VirtualIp> staticAddresses = new ArrayList<>();
        List<ConfigNode> staticRoutes = new ArrayList<>();
        List<String> staticRules = new ArrayList<>();
        List<NetworkBlocks.GarpGroup> garpGroups = new ArrayList<>();
        List<TrackBlocks.Process> trackProcesses = new ArrayList<>();
        List<TrackBlocks.File> trackFiles = new ArrayList<>();
        String netNamespace = null;
        Origin netNamespaceOrigin = null;
        String daemonInstance = null;
        boolean usePidDir = false;
        CheckerBuilder checker = new CheckerBuilder(diagnostics);
        for (ConfigNode node : top) {
            switch (node.keyword()) {
                case "virtual_server" -> {
                    VirtualServer vs = checker.virtualServer(node);
                    if (vs != null) {
                        servers.add(vs);
                    }
                }
                case "virtual_server_group" -> {
                    VirtualServerGroup g = checker.group(node);
                    if (g != null) {
                        serverGroups.add(g);
                    }
                }
                case "static_ipaddress" -> addresses(node, staticAddresses, "");
                case "static_routes" -> staticRoutes.addAll(routes(node));
                case "static_rules" -> staticRules.addAll(rules(node));
                case "garp_group" -> {
                    NetworkBlocks.GarpGroup g = garpGroup(node);
                    if (g != null) {
                        garpGroups.add(g);
                    }
                }
                case "global_defs" -> {
                    GlobalDefs read = globalDefs(node, global);
                    global = read;
                }
                case "vrrp_track_process" -> {
                    TrackBlocks.Process p = trackProcess(node);
                    if (p != null) {
                        trackProcesses.add(p);
                    }
                }
                case "track_file", "vrrp_track_file" -> {
                    TrackBlocks.File f = trackFile(node);
                    if (f != null) {
                        trackFiles.add(f);
                    }
                }
                case "net_namespace" -> {
                    String v = single(node, "");
                    if (v != null) {
                        netNamespace = v;
                        netNamespaceOrigin = node.origin();
                    }
                }
                case "instance" -> daemonInstance = orElse(single(node, ""), daemonInstance);
                case "use_pid_dir" -> usePidDir = true;
                case "bfd_instance" -> {
                    warn(node, "'bfd_instance' is not supported: Vigil has no BFD (RFC 5880) - ignoring");
                    unsupported.add(node);
                }
                case "vrrp_script" -> {
                    VrrpScript script = script(node);
                    if (script != null) {
                        scripts.add(script);
                    }
                }
                case "vrrp_sync_group" -> {
                    VrrpSyncGroup group = syncGroup(node);
                    if (group != null) {
                        groups.add(group);
                    }
                }
                case "vrrp_instance" -> {
                    VrrpInstance instance = instance(node);
                    if (instance != null) {
                        instances.add(instance);
                    }
                }
                default -> {
                    if (UNSUPPORTED_TOP_LEVEL.contains(node.keyword())) {
                        warn(node, "'" + node.keyword() + "' is not supported by Vigil yet - ignoring");
                        unsupported.add(node);
                    } else {
                        unknown(node);
                    }
                }
            }
        }
        if (global != null) {
            // keepalived 2.2.7 reads these at the top level only; inside global_defs it calls them
            // unknown. Vigil applies them from there too, and says so.
            for (String k : List.of("net_namespace", "instance", "use_pid_dir")) {
                String v = global.other().get(k);
                if (v == null) {
                    continue;
                }
                diagnostics.add(Diagnostic.warning(global.origin(), k + " in global_defs: keepalived 2.2.7 reads it"
                        + " only outside global_defs (it reports 'Unknown keyword') - Vigil applies it"));
                String word = v.isBlank() ? null : v.strip().split("\\s+")[0];
                switch (k) {
                    case "net_namespace" -> {
                        if (netNamespace == null && word != null) {
                            netNamespace = word;
                            netNamespaceOrigin = global.origin();
                        }
                    }
                    case "instance" -> daemonInstance = daemonInstance == null ? word : daemonInstance;
                    default -> usePidDir = true;
                }
            }
        }
        return new KeepalivedModel(global, scripts, groups, instances, serverGroups,
                checker.finish(servers, serverGroups), staticAddresses, unsupported,
                new NetworkBlocks(staticRoutes, staticRules, garpGroups), new TrackBlocks(trackProcesses, trackFiles),
                new DaemonOptions(netNamespace, netNamespaceOrigin, daemonInstance, usePidDir));
    }

    // ---- vrrp_track_process, track_file

    private TrackBlocks.Process trackProcess(ConfigNode node) {
        String name = name(node);
        if (name == null) {
            return null;
        }
        String ctx = "(" + name + ") ";
        List<String> process = List.of();
        String paramMatch = null;
        int weight = 1;
        boolean reverse = false;
        int quorum = 1;
        int quorumMax = 65535;
        BigDecimal forkDelay = BigDecimal.ZERO;
        BigDecimal terminateDelay = BigDecimal.ZERO;
        boolean fullCommand = false;
        for (ConfigNode n : children(node)) {
            switch (n.keyword()) {
                case "process" -> {
                    if (n.args().isEmpty()) {
                        error(n, ctx + "process needs a name");
                    } else {
                        process = n.args();
                    }
                }
                case "param_match" -> {
                    String v = single(n, ctx);
                    if (v != null && (v.equals("initial") || v.equals("partial"))) {
                        paramMatch = v;
                    } else if (v != null) {
                        error(n, ctx + "Invalid param_match '" + v + "' - must be initial or partial");
                    }
                }
                case "weight" -> {
                    Integer w = integer(n, ctx, -254, 254);
                    weight = w == null ? weight : w;
                    reverse = n.args().size() > 1 && n.args().get(1).equals("reverse");
                }
                case "quorum" -> quorum = orElse(integer(n, ctx, 0, 65535), quorum);
                case "quorum_max" -> quorumMax = orElse(integer(n, ctx, 0, 65535), quorumMax);
                case "fork_delay" -> forkDelay = orElse(decimal(n, ctx, BigDecimal.ZERO, null, false), forkDelay);
                case "terminate_delay" -> terminateDelay = orElse(decimal(n, ctx, BigDecimal.ZERO, null, false),
                        terminateDelay);
                case "delay" -> {
                    BigDecimal d = decimal(n, ctx, BigDecimal.ZERO, null, false);
                    if (d != null) {
                        forkDelay = d;
                        terminateDelay = d;
                    }
                }
                case "full_command" -> fullCommand = true;
                default -> unknown(n);
            }
        }
        if (process.isEmpty()) {
            warn(node, "vrrp_track_process " + name + " has no process specified - removing");
            return null;
        }
        if (quorumMax < quorum) {
            error(node, ctx + "quorum_max " + quorumMax + " is less than quorum " + quorum);
            return null;
        }
        return new TrackBlocks.Process(name, node.origin(), process, paramMatch, weight, reverse, quorum, quorumMax,
                forkDelay, terminateDelay, fullCommand);
    }

    private TrackBlocks.File trackFile(ConfigNode node) {
        String name = name(node);
        if (name == null) {
            return null;
        }
        String ctx = "(" + name + ") ";
        String file = null;
        int weight = 1;
        boolean reverse = false;
        Long init = null;
        boolean overwrite = false;
        for (ConfigNode n : children(node)) {
            switch (n.keyword()) {
                case "file" -> file = single(n, ctx);
                case "weight" -> {
                    String v = single(n, ctx);
                    if (v != null && v.matches("[+-]?\\d{1,10}")
                            && Math.abs(Long.parseLong(v)) <= Integer.MAX_VALUE) {
                        weight = Integer.parseInt(v);
                        reverse = n.args().size() > 1 && n.args().get(1).equals("reverse");
                    } else if (v != null) {
                        error(n, ctx + "invalid weight '" + v + "' for track_file");
                    }
                }
                case "init_file" -> {
                    init = 0L;
                    for (String a : n.args()) {
                        if (a.equals("overwrite")) {
                            overwrite = true;
                        } else if (a.matches("[+-]?\\d{1,18}")) {
                            init = Long.parseLong(a);
                        } else {
                            error(n, ctx + "invalid init_file value '" + a + "'");
                        }
                    }
                }
                default -> unknown(n);
            }
        }
        if (file == null) {
            warn(node, "No file set for track_file " + name + " - removing");
            return null;
        }
        if (!file.startsWith("/")) {
            error(node, ctx + "track_file " + file + " must be an absolute path");
            return null;
        }
        if (file.chars().anyMatch(Character::isWhitespace)) {
            // a track entry names its file in one word (org.vigil.api.vrrp.TrackEntry)
            error(node, ctx + "track_file '" + file + "' has a blank in its path, which Vigil does not support");
            return null;
        }
        return new TrackBlocks.File(name, node.origin(), file, weight, reverse, init, overwrite);
    }

    // ---- static_routes, static_rules, virtual_routes, virtual_rules, garp_group

    /** keepalived's preference for the next rule without one (it counts down in file order). */
    private long nextRulePreference = org.vigil.api.vip.VirtualRule.FIRST_ASSIGNED_PREFERENCE;

    private List<ConfigNode> routes(ConfigNode block) {
        List<ConfigNode> out = new ArrayList<>();
        for (ConfigNode e : children(block)) {
            try {
                org.vigil.api.vip.VirtualRoute.parse(e.line(), "eth0");
                out.add(e);
            } catch (IllegalArgumentException x) {
                error(e, "Invalid route '" + e.line() + "': " + x.getMessage() + " - skipping");
            }
        }
        return out;
    }

    /** The valid rules, each with a preference: keepalived assigns one to a rule without, and warns. */
    private List<String> rules(ConfigNode block) {
        List<String> out = new ArrayList<>();
        for (ConfigNode e : children(block)) {
            org.vigil.api.vip.VirtualRule rule;
            try {
                rule = org.vigil.api.vip.VirtualRule.parse(e.line());
            } catch (IllegalArgumentException x) {
                error(e, "Invalid rule '" + e.line() + "': " + x.getMessage() + " - skipping");
                continue;
            }
            if (rule.preference() < 0) {
                long p = nextRulePreference--;
                warn(e, "Rule has no preference specified - setting to " + p + ". This is probably not what you want.");
                out.add(e.line() + " preference " + p);
            } else {
                out.add(e.line());
            }
        }
        return out;
    }

    private NetworkBlocks.GarpGroup garpGroup(ConfigNode node) {
        BigDecimal garp = null;
        BigDecimal gna = null;
        List<String> interfaces = new ArrayList<>();
        for (ConfigNode n : children(node)) {
            switch (n.keyword()) {
                case "garp_interval" -> garp = decimal(n, "", BigDecimal.ZERO, BigDecimal.valueOf(1000), false);
                case "gna_interval" -> gna = decimal(n, "", BigDecimal.ZERO, BigDecimal.valueOf(1000), false);
                case "interface" -> {
                    String i = single(n, "");
                    if (i != null) {
                        interfaces.add(i);
                    }
                }
                case "interfaces" -> children(n).forEach(i -> interfaces.add(i.keyword()));
                default -> unknown(n);
            }
        }
        if (interfaces.isEmpty()) {
            warn(node, "garp_group specified without any interface - ignoring");
            return null;
        }
        return new NetworkBlocks.GarpGroup(garp, gna, interfaces, node.origin());
    }

    // ---- global_defs

    private GlobalDefs globalDefs(ConfigNode node, GlobalDefs previous) {
        GlobalDefs g = previous == null ? GlobalDefs.EMPTY : previous;
        String routerId = g.routerId();
        List<String> emails = new ArrayList<>(g.notificationEmail());
        String from = g.notificationEmailFrom();
        String smtpServer = g.smtpServer();
        Integer smtpPort = g.smtpPort();
        String helo = g.smtpHeloName();
        Integer connectTimeout = g.smtpConnectTimeoutSeconds();
        Boolean smtpAlert = g.smtpAlert();
        Boolean smtpAlertVrrp = g.smtpAlertVrrp();
        boolean noEmailFaults = g.noEmailFaults();
        boolean scriptSecurity = g.enableScriptSecurity();
        String scriptUser = g.scriptUser();
        Integer vrrpVersion = g.vrrpVersion();
        Map<String, String> other = new LinkedHashMap<>(g.other());
        for (ConfigNode n : children(node)) {
            switch (n.keyword()) {
                case "router_id" -> routerId = single(n, "");
                case "notification_email" -> {
                    for (ConfigNode entry : children(n)) {
                        emails.add(entry.line());
                    }
                }
                case "notification_email_from" -> from = joined(n, "");
                case "smtp_server" -> {
                    smtpServer = single(n, "");
                    if (n.args().size() > 1) {
                        smtpPort = integer(n, n.args().get(1), "", 1, 65535, "smtp_server port");
                    }
                }
                case "smtp_helo_name" -> helo = single(n, "");
                case "smtp_connect_timeout" -> connectTimeout = integer(n, "", 1, Integer.MAX_VALUE);
                case "smtp_alert" -> smtpAlert = bool(n, "");
                case "smtp_alert_vrrp" -> smtpAlertVrrp = bool(n, "");
                case "no_email_faults" -> noEmailFaults = Boolean.TRUE.equals(bool(n, ""));
                case "enable_script_security" -> scriptSecurity = Boolean.TRUE.equals(bool(n, ""));
                case "script_user" -> scriptUser = joined(n, "");
                case "vrrp_version" -> vrrpVersion = integer(n, "", 2, 3);
                // the election thread's scheduling: typed for the core, so checked here with their line
                case "vrrp_rt_priority" -> putInteger(other, n, 0, 99);
                case "vrrp_priority" -> putInteger(other, n, -20, 19);
                case "vrrp_rlimit_rttime" -> putInteger(other, n, 1, Integer.MAX_VALUE);
                default -> {
                    if (GLOBAL_OTHER.contains(n.keyword())) {
                        other.put(n.keyword(), n.hasBlock() ? blockText(n) : String.join(" ", n.args()));
                        if (FIFO_SCRIPTS.contains(n.keyword()) && !n.args().isEmpty()) {
                            // the command as one word (it may be quoted with blanks), then its user and group
                            other.put(n.keyword() + "_command", n.args().get(0));
                            if (n.args().size() > 1) {
                                other.put(n.keyword() + "_user", String.join(" ", n.args().subList(1, n.args().size())));
                            }
                        }
                    } else {
                        unknown(n);
                    }
                }
            }
        }
        return new GlobalDefs(routerId, emails, from, smtpServer, smtpPort, helo, connectTimeout, smtpAlert,
                smtpAlertVrrp, noEmailFaults, scriptSecurity, scriptUser, vrrpVersion, other,
                g.origin() != null ? g.origin() : node.origin());
    }

    private static String blockText(ConfigNode n) {
        return String.join(" ", n.args()) + (n.args().isEmpty() ? "" : " ") + "{ "
                + String.join("; ", n.children().stream().map(ConfigNode::line).toList()) + " }";
    }

    // ---- vrrp_script

    private VrrpScript script(ConfigNode node) {
        String name = name(node);
        if (name == null) {
            return null;
        }
        String ctx = "(" + name + ") ";
        String script = null;
        BigDecimal interval = VrrpScript.DEFAULT_INTERVAL;
        BigDecimal timeout = null;
        int weight = 0;
        boolean reverse = false;
        int rise = 1;
        int fall = 1;
        String user = null;
        String group = null;
        boolean initFail = false;
        for (ConfigNode n : children(node)) {
            switch (n.keyword()) {
                case "script" -> script = joined(n, ctx);
                case "interval" -> interval = orElse(decimal(n, ctx, BigDecimal.ZERO, null, true), interval);
                case "timeout" -> timeout = decimal(n, ctx, BigDecimal.ZERO, null, true);
                case "weight" -> {
                    Integer w = integer(n, ctx, -253, 253);
                    weight = w == null ? weight : w;
                    reverse = n.args().size() > 1 && n.args().get(1).equals("reverse");
                }
                case "rise" -> rise = orElse(integer(n, ctx, 1, Integer.MAX_VALUE), rise);
                case "fall" -> fall = orElse(integer(n, ctx, 1, Integer.MAX_VALUE), fall);
                case "user" -> {
                    user = single(n, ctx);
                    group = n.args().size() > 1 ? n.args().get(1) : null;
                }
                case "init_fail" -> initFail = true;
                default -> unknown(n);
            }
        }
        if (script == null) {
            warn(node, "No script set for vrrp_script " + name + " - removing");
            return null;
        }
        return new VrrpScript(name, node.origin(), script, interval, timeout, weight, reverse, rise, fall, user,
                group, initFail);
    }

    // ---- vrrp_sync_group

    private VrrpSyncGroup syncGroup(ConfigNode node) {
        String name = name(node);
        if (name == null) {
            return null;
        }
        String ctx = "(" + name + ") ";
        List<String> members = new ArrayList<>();
        Map<String, NotifyScript> notifies = new LinkedHashMap<>();
        Boolean smtpAlert = null;
        Map<String, List<String>> tracks = new LinkedHashMap<>();
        List<ConfigNode> extra = new ArrayList<>();
        for (ConfigNode n : children(node)) {
            String k = n.keyword();
            if (k.equals("group")) {
                for (ConfigNode member : children(n)) {
                    members.add(member.keyword());
                    members.addAll(member.args());
                }
            } else if (NOTIFY_KEYWORDS.contains(k)) {
                NotifyScript s = notify(n, ctx);
                if (s != null) {
                    notifies.put(k, s);
                }
            } else if (k.equals("smtp_alert")) {
                smtpAlert = bool(n, ctx);
            } else if (k.equals("track_bfd")) {
                warn(n, ctx + "track_bfd is not supported: Vigil has no BFD (RFC 5880) - ignoring");
            } else if (TRACK_KEYWORDS.contains(k)) {
                trackEntries(n, ctx).forEach(e -> tracks.computeIfAbsent(k, x -> new ArrayList<>()).add(e.line()));
            } else if (Set.of("global_tracking", "sync_group_tracking_weight", "notify_priority_changes")
                    .contains(k)) {
                extra.add(n);
            } else {
                unknown(n);
            }
        }
        return new VrrpSyncGroup(name, node.origin(), members, notifies, smtpAlert, tracks, extra);
    }

    // ---- vrrp_instance

    private VrrpInstance instance(ConfigNode node) {
        String name = name(node);
        if (name == null) {
            return null;
        }
        VrrpInstance vi = new VrrpInstance(name, node.origin());
        String ctx = "(" + name + ") ";
        for (ConfigNode n : children(node)) {
            String k = n.keyword();
            switch (k) {
                case "state" -> {
                    String s = single(n, ctx);
                    if (s != null) {
                        String upper = s.toUpperCase(Locale.ROOT);
                        if (upper.equals("MASTER") || upper.equals("BACKUP")) {
                            vi.state = upper;
                        } else {
                            error(n, ctx + "unknown state '" + s + "', defaulting to BACKUP");
                            vi.state = "BACKUP";
                        }
                    }
                }
                case "interface" -> {
                    vi.interfaceName = single(n, ctx);
                    vi.interfaceOrigin = n.origin();
                }
                case "virtual_router_id" -> {
                    String v = single(n, ctx);
                    if (v != null) {
                        Integer id = parseInt(v);
                        if (id == null) {
                            error(n, "invalid number '" + v + "'");
                        } else if (id < 1 || id > 255) {
                            error(n, "(" + name + "): VRID '" + v + "' not valid - must be between 1 & 255");
                        } else {
                            vi.virtualRouterId = id;
                        }
                    }
                }
                case "priority" -> {
                    String v = single(n, ctx);
                    if (v != null) {
                        Integer p = parseInt(v);
                        if (p == null) {
                            error(n, ctx + "invalid number '" + v + "' for priority");
                        } else if (p < 1 || p > 255) {
                            error(n, ctx + "Priority not valid! must be between 1 & 255. Using default 100");
                        } else {
                            vi.priority = p;
                        }
                    }
                }
                case "advert_int" -> {
                    String v = single(n, ctx);
                    if (v != null) {
                        BigDecimal d = parseDecimal(v);
                        if (d == null) {
                            error(n, ctx + "Advert interval (" + v + ") not valid! Must be > 0 - ignoring");
                        } else {
                            vi.advertInt = d;
                            vi.advertIntOrigin = n.origin();
                        }
                    }
                }
                case "version" -> {
                    String v = single(n, ctx);
                    if (v != null) {
                        Integer ver = parseInt(v);
                        if (ver == null || ver < 2 || ver > 3) {
                            error(n, "(" + name + "): Version must be either 2 or 3");
                        } else {
                            vi.version = ver;
                        }
                    }
                }
                case "nopreempt", "no_preempt" -> vi.nopreempt = true;
                case "preempt_delay" -> {
                    BigDecimal d = decimal(n, ctx, BigDecimal.ZERO, BigDecimal.valueOf(1000), false);
                    if (d != null) {
                        vi.preemptDelay = d;
                    }
                }
                case "authentication" -> authentication(n, vi, ctx);
                case "auth_hmac" -> AuthHmacParser.parse(n, vi, ctx, diagnostics);
                case "virtual_ipaddress" -> addresses(n, vi.virtualIpaddress, ctx);
                case "virtual_ipaddress_excluded" -> addresses(n, vi.virtualIpaddressExcluded, ctx);
                case "virtual_routes" -> routes(n).forEach(e -> {
                    vi.virtualRoutes.add(e.line());
                    vi.entryOrigins.putIfAbsent("virtual_routes " + e.line(), e.origin());
                });
                case "virtual_rules" -> vi.virtualRules.addAll(rules(n));
                case "unicast_src_ip" -> vi.unicastSrcIp = address(n, ctx);
                case "mcast_src_ip" -> vi.mcastSrcIp = address(n, ctx);
                case "mcast_dst_ip" -> {
                    String a = address(n, ctx);
                    if (a != null && !IpLiterals.parse(a).isMulticastAddress()) {
                        error(n, ctx + "mcast_dst_ip " + a + " is not a multicast address");
                    } else {
                        vi.mcastDstIp = a;
                    }
                }
                case "unicast_peer" -> {
                    for (ConfigNode peer : children(n)) {
                        if (IpLiterals.parse(peer.keyword()) == null) {
                            error(peer, "Configuration error: VRRP instance[" + name
                                    + "] malformed unicast peer address[" + peer.keyword() + "]. Skipping...");
                        } else {
                            vi.unicastPeers.add(peer.line());
                        }
                    }
                }
                case "smtp_alert" -> vi.smtpAlert = bool(n, ctx);
                case "use_vmac" -> {
                    vi.useVmac = true;
                    vi.vmacName = n.args().isEmpty() ? null : n.args().get(0);
                    if (n.args().size() > 1) {
                        vi.extra.add(n);
                    }
                }
                case "native_ipv6" -> vi.nativeIpv6 = true;
                case "v3_checksum_as_v2" -> vi.v3ChecksumAsV2 = !Boolean.FALSE.equals(bool(n, ctx));
                case "down_timer_adverts" -> {
                    String v = single(n, ctx);
                    Integer adverts = v == null ? null : parseInt(v);
                    if (v != null && (adverts == null || adverts < 1 || adverts > 100)) {
                        error(n, "(" + name + "): Invalid down_timer_adverts [1:100] '" + v + "'");
                    } else {
                        vi.downTimerAdverts = adverts;
                    }
                }
                case "lower_prio_no_advert" -> vi.lowerPrioNoAdvert = bool(n, ctx);
                case "higher_prio_send_advert" -> vi.higherPrioSendAdvert = bool(n, ctx);
                case "dont_track_primary" -> vi.dontTrackPrimary = true;
                case "accept" -> vi.accept = Boolean.TRUE;
                case "no_accept" -> vi.accept = Boolean.FALSE;
                case "strict_mode" -> vi.strictMode = bool(n, ctx);
                default -> {
                    if (NOTIFY_KEYWORDS.contains(k)) {
                        NotifyScript s = notify(n, ctx);
                        if (s != null) {
                            vi.notifies.put(k, s);
                        }
                    } else if (k.equals("track_bfd")) {
                        warn(n, ctx + "track_bfd is not supported: Vigil has no BFD (RFC 5880) - ignoring");
                    } else if (TRACK_KEYWORDS.contains(k)) {
                        for (ConfigNode e : trackEntries(n, ctx)) {
                            vi.tracks.computeIfAbsent(k, x -> new ArrayList<>()).add(e.line());
                            vi.entryOrigins.putIfAbsent(k + " " + e.line(), e.origin());
                        }
                    } else if (GARP_KEYWORDS.contains(k)) {
                        Integer v = integer(n, ctx, 0, Integer.MAX_VALUE);
                        if (v != null) {
                            vi.garp.put(k, v);
                        }
                    } else if (INSTANCE_EXTRA.contains(k)) {
                        if (k.equals("lvs_sync_daemon_interface")) {
                            warn(n, ctx + "Specifying lvs_sync_daemon_interface against a vrrp is deprecated.");
                        }
                        vi.extra.add(n);
                    } else {
                        unknown(n);
                    }
                }
            }
        }
        return vi;
    }

    private void authentication(ConfigNode node, VrrpInstance vi, String ctx) {
        vi.authOrigin = node.origin();
        for (ConfigNode n : children(node)) {
            switch (n.keyword()) {
                case "auth_type" -> {
                    String t = single(n, ctx);
                    if (t == null) {
                        break;
                    }
                    switch (t.toUpperCase(Locale.ROOT)) {
                        case "PASS" -> vi.authType = AuthType.PASS;
                        case "AH" -> vi.authType = AuthType.AH;
                        default -> error(n, ctx + "unknown authentication type '" + t + "'");
                    }
                }
                case "auth_pass" -> {
                    String pass = joined(n, ctx);
                    if (pass != null && pass.getBytes(StandardCharsets.UTF_8).length > AUTH_PASS_BYTES) {
                        warn(n, "Truncating auth_pass to 8 characters");
                        pass = truncate(pass, AUTH_PASS_BYTES);
                    }
                    vi.authPass = pass;
                }
                default -> unknown(n);
            }
        }
        if (vi.authType != null && vi.authPass == null) {
            error(node, ctx + "authentication " + vi.authType + " without auth_pass");
        }
    }

    /** The VRRPv2 authentication data field is 8 octets (RFC 2338 section 5.3.10). */
    private static final int AUTH_PASS_BYTES = 8;

    private static String truncate(String s, int maxBytes) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int cp : s.codePoints().toArray()) {
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            used += len;
        }
        return out.toString();
    }

    private void addresses(ConfigNode block, List<VirtualIp> into, String ctx) {
        for (ConfigNode e : children(block)) {
            String first = e.keyword();
            int slash = first.indexOf('/');
            String host = slash < 0 ? first : first.substring(0, slash);
            InetAddress address = IpLiterals.parse(host);
            if (address == null) {
                error(e, "VRRP parsed invalid IP " + first + ". skipping IP...");
                continue;
            }
            int prefix = -1;
            if (slash >= 0) {
                int max = address instanceof Inet4Address ? 32 : 128;
                Integer p = parseInt(first.substring(slash + 1));
                if (p == null || p < 0 || p > max) {
                    error(e, "Invalid address prefix len " + first.substring(slash + 1) + " for address " + first
                            + " - must be between 0 and " + max);
                    continue;
                }
                prefix = p;
            }
            into.add(new VirtualIp(address, prefix, e.args(), e.line(), e.origin()));
        }
    }

    private List<ConfigNode> trackEntries(ConfigNode block, String ctx) {
        List<ConfigNode> entries = new ArrayList<>();
        int limit = block.keyword().equals("track_file") || block.keyword().equals("track_process") ? 254 : 253;
        for (ConfigNode e : children(block)) {
            int w = e.args().indexOf("weight");
            if (w >= 0) {
                String v = w + 1 < e.args().size() ? e.args().get(w + 1) : "";
                Integer weight = parseInt(v);
                if (weight == null || Math.abs(weight) > limit) {
                    error(e, ctx + "weight " + v + " for " + e.keyword() + " must be between [-" + limit + ".."
                            + limit + "] inclusive. Ignoring...");
                    continue;
                }
            }
            try {
                // the form the bridge writes and the core reads: a line it cannot read is refused here, with its line
                org.vigil.api.vrrp.TrackEntry.parse(e.line());
            } catch (IllegalArgumentException bad) {
                error(e, ctx + block.keyword() + ": " + bad.getMessage() + " - ignoring");
                continue;
            }
            entries.add(e);
        }
        return entries;
    }

    private NotifyScript notify(ConfigNode n, String ctx) {
        if (n.args().isEmpty()) {
            if (n.keyword().equals("notify_deleted")) {
                return new NotifyScript("", null, null);
            }
            error(n, ctx + n.keyword() + " needs a script");
            return null;
        }
        List<String> a = n.args();
        return new NotifyScript(a.get(0), a.size() > 1 ? a.get(1) : null, a.size() > 2 ? a.get(2) : null);
    }

    // ---- value helpers

    private String name(ConfigNode node) {
        if (node.args().isEmpty()) {
            error(node, node.keyword() + " needs a name");
            return null;
        }
        if (!node.hasBlock()) {
            error(node, node.keyword() + " " + node.args().get(0) + " needs a block { ... }");
        }
        return node.args().get(0);
    }

    private List<ConfigNode> children(ConfigNode node) {
        if (!node.hasBlock()) {
            if (!Set.of("vrrp_instance", "vrrp_script", "vrrp_sync_group").contains(node.keyword())) {
                error(node, node.keyword() + " needs a block { ... }");
            }
            return List.of();
        }
        return node.children();
    }

    private String single(ConfigNode n, String ctx) {
        if (n.args().isEmpty()) {
            error(n, ctx + n.keyword() + " needs a value");
            return null;
        }
        return n.args().get(0);
    }

    private String joined(ConfigNode n, String ctx) {
        if (n.args().isEmpty()) {
            error(n, ctx + n.keyword() + " needs a value");
            return null;
        }
        return String.join(" ", n.args());
    }

    private String address(ConfigNode n, String ctx) {
        String v = single(n, ctx);
        if (v == null) {
            return null;
        }
        if (IpLiterals.parse(v) == null) {
            error(n, ctx + "invalid IP address '" + v + "' for " + n.keyword());
            return null;
        }
        return v;
    }

    private void putInteger(Map<String, String> into, ConfigNode n, int min, int max) {
        Integer v = integer(n, "", min, max);
        if (v != null) {
            into.put(n.keyword(), v.toString());
        }
    }

    private Integer integer(ConfigNode n, String ctx, int min, int max) {
        String v = single(n, ctx);
        return v == null ? null : integer(n, v, ctx, min, max, n.keyword());
    }

    private Integer integer(ConfigNode n, String v, String ctx, int min, int max, String what) {
        Integer i = parseInt(v);
        if (i == null) {
            error(n, ctx + "invalid number '" + v + "' for " + what);
            return null;
        }
        if (i < min || i > max) {
            error(n, ctx + what + " '" + v + "' outside range [" + min + ", " + max + "]");
            return null;
        }
        return i;
    }

    private BigDecimal decimal(ConfigNode n, String ctx, BigDecimal min, BigDecimal max, boolean minExclusive) {
        String v = single(n, ctx);
        if (v == null) {
            return null;
        }
        BigDecimal d = parseDecimal(v);
        if (d == null) {
            error(n, ctx + "invalid number '" + v + "' for " + n.keyword());
            return null;
        }
        int c = d.compareTo(min);
        if (c < 0 || (minExclusive && c == 0) || (max != null && d.compareTo(max) > 0)) {
            error(n, ctx + n.keyword() + " '" + v + "' outside range " + (minExclusive ? "(" : "[") + min + ", "
                    + (max == null ? "..." : max) + "]");
            return null;
        }
        return d;
    }

    private Boolean bool(ConfigNode n, String ctx) {
        if (n.args().isEmpty()) {
            return Boolean.TRUE;
        }
        Boolean b = Booleans.parse(n.args().get(0));
        if (b == null) {
            error(n, ctx + "Invalid " + n.keyword() + " parameter " + n.args().get(0));
        }
        return b;
    }

    static Integer parseInt(String v) {
        if (!v.matches("[+-]?\\d{1,9}")) {
            return null;
        }
        return Integer.valueOf(v);
    }

    static BigDecimal parseDecimal(String v) {
        if (!v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)")) {
            return null;
        }
        return new BigDecimal(v);
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** keepalived -t fails on an unknown keyword and the daemon ignores it: a correction, not an error. */
    private void unknown(ConfigNode n) {
        diagnostics.add(Diagnostic.corrected(n.origin(), "Unknown keyword '" + n.keyword() + "'"));
    }

    private void warn(ConfigNode n, String message) {
        diagnostics.add(Diagnostic.warning(n.origin(), message));
    }

    private void error(ConfigNode n, String message) {
        diagnostics.add(Diagnostic.error(n.origin(), message));
    }
}
