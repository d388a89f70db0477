package org.vigil.api.vrrp;

/**
 * The contract between the keepalived.conf bridge (config bundle) and the components that consume
 * the configuration. Each keepalived keyword becomes a property named after it with underscores
 * replaced by dots ({@code virtual_router_id} becomes {@code virtual.router.id}), which is also
 * how Declarative Services maps a Config annotation method {@code virtual_router_id()}. Values are
 * normalised by the bridge (units, defaults, keepalived's fix-ups) so that consumers need no
 * parsing; the keys below that do not come straight from a keyword say their unit. Each PID's
 * consuming component reads them through one metatype form (a Config annotation), so a
 * configuration written by hand (a .config file in deploy/) has the same types. Entries with
 * several fields (virtual addresses, routes, rules, track entries) are one String each in the
 * entry form of the one API method that reads it (VirtualAddress.parse, VirtualRoute.parse,
 * VirtualRule.parse, {@link TrackEntry#parse}): the words keepalived.conf uses, so a hand-written
 * file reads like keepalived.conf and one entry cannot fall out of step with another, as parallel
 * arrays of optional fields could.
 */
public final class ConfigurationPids {
    private ConfigurationPids() {
    }

    /** Singleton configuration: global_defs. */
    public static final String GLOBAL = "org.vigil.global";
    /** Factory configuration: one per vrrp_instance. */
    public static final String INSTANCE = "org.vigil.vrrp.instance";
    /** Factory configuration: one per vrrp_sync_group. */
    public static final String SYNC_GROUP = "org.vigil.vrrp.syncgroup";
    /** Factory configuration: one per vrrp_script. */
    public static final String SCRIPT = "org.vigil.vrrp.script";
    /** Factory configuration: one per vrrp_track_process (see {@link TrackProcess}). */
    public static final String TRACK_PROCESS = "org.vigil.vrrp.trackprocess";
    /** Singleton configuration: static_ipaddress, static_routes and static_rules (see {@link Static}). */
    public static final String STATIC = "org.vigil.static";

    /** Set on every configuration the bridge writes, so a reload can find and diff them. */
    public static final String SOURCE = "vigil.source";
    /** The file and line a configuration came from, "path:line". */
    public static final String ORIGIN = "vigil.origin";

    /** Instance, group and script name (the word after vrrp_instance, ...). String. */
    public static final String NAME = "name";

    /**
     * Who a script runs as, keepalived's {@code user USER [GROUP]} (a notify script's words after
     * the command, global_defs {@code script_user}) as three typed attributes after the script's
     * key: {@code notify.master.user} (String, one name or uid), {@code notify.master.group}
     * (String, without keepalived's {@code :}; absent: the user's own) and
     * {@code notify.master.supplementary.groups} (boolean: keepalived's {@code :GROUP} or
     * {@code :}, also the user's supplementary groups). Absent user: script_user, else the
     * default. A vrrp_script's are {@link Script#USER}, {@link Script#GROUP} and
     * {@link Script#SUPPLEMENTARY_GROUPS}; script_user's {@link Global#SCRIPT_USER},
     * {@link Global#SCRIPT_GROUP} and {@link Global#SCRIPT_SUPPLEMENTARY_GROUPS}. @since 0.8.0
     */
    public static final String RUN_AS_USER = "user";
    /** See {@link #RUN_AS_USER}. @since 0.8.0 */
    public static final String RUN_AS_GROUP = "group";
    /** See {@link #RUN_AS_USER}. @since 0.8.0 */
    public static final String RUN_AS_SUPPLEMENTARY_GROUPS = "supplementary.groups";

    /** Instance keys. */
    public static final class Instance {
        private Instance() {
        }
        /** "MASTER" or "BACKUP" (keepalived's initial state hint). */
        public static final String STATE = "state";
        public static final String INTERFACE = "interface";
        public static final String VIRTUAL_ROUTER_ID = "virtual.router.id";
        /** int 1..255, after keepalived's default (100, or 255 for state MASTER without priority). */
        public static final String PRIORITY = "priority";
        /** int, centiseconds, after keepalived's per-version rounding and clamping. */
        public static final String ADVERT_INT_CS = "advert.int.cs";
        /** int, 2 or 3 (IPv6 instances are always 3). */
        public static final String VERSION = "version";
        /** "IPV4" or "IPV6". */
        public static final String FAMILY = "family";
        /** boolean; false for nopreempt (unless state MASTER, as keepalived does). */
        public static final String PREEMPT = "preempt";
        /** long, milliseconds. */
        public static final String PREEMPT_DELAY_MS = "preempt.delay.ms";
        /** "NONE", "PASS" or "AH". */
        public static final String AUTH_TYPE = "auth.type";
        /** String, at most 8 bytes used. Secret: never log it. */
        public static final String AUTH_PASS = "auth.pass";
        /**
         * String[]: each auth_hmac key in hex, the key whose id is at the same index of
         * {@link #AUTH_HMAC_KEY_IDS}. Secret: never log it. Absent without auth_hmac.
         */
        public static final String AUTH_HMAC_KEYS = "auth.hmac.keys";
        /** int[]: the auth_hmac key ids (1..255), one per {@link #AUTH_HMAC_KEYS} entry. @since 0.7.0 */
        public static final String AUTH_HMAC_KEY_IDS = "auth.hmac.key.ids";
        /** int: the auth_hmac key id that signs. */
        public static final String AUTH_HMAC_ACTIVE_KEY = "auth.hmac.active.key";
        /** "time" or "monotonic". */
        public static final String AUTH_HMAC_ANTI_REPLAY = "auth.hmac.anti.replay";
        /** int, seconds, after keepalived's default max(3 x advert_int, 5). */
        public static final String AUTH_HMAC_TIME_WINDOW = "auth.hmac.time.window";
        /** "enforce", "permissive" or "receive-only". */
        public static final String AUTH_HMAC_MODE = "auth.hmac.mode";

        /** Whether a property holds a secret, so that nothing prints its value. */
        public static boolean isSecret(String key) {
            return AUTH_PASS.equals(key) || AUTH_HMAC_KEYS.equals(key);
        }
        /** String[]: each entry as written in virtual_ipaddress ("192.0.2.249/24 dev eth0 label eth0:1"). */
        public static final String VIRTUAL_IPADDRESS = "virtual.ipaddress";
        /** String[]: virtual_ipaddress_excluded entries. */
        public static final String VIRTUAL_IPADDRESS_EXCLUDED = "virtual.ipaddress.excluded";
        /** String[]: virtual_routes entries. */
        public static final String VIRTUAL_ROUTES = "virtual.routes";
        /** String[]: virtual_rules entries, each with a preference (the bridge assigns keepalived's if none). */
        public static final String VIRTUAL_RULES = "virtual.rules";
        public static final String UNICAST_SRC_IP = "unicast.src.ip";
        /** String[]: unicast_peer addresses, IP literals only (min_ttl/max_ttl are not carried). */
        public static final String UNICAST_PEER = "unicast.peer";
        /** long, milliseconds: garp_master_delay (default 5000). */
        public static final String GARP_MASTER_DELAY_MS = "garp.master.delay.ms";
        /** long, milliseconds: garp_master_refresh (default 0: none). */
        public static final String GARP_MASTER_REFRESH_MS = "garp.master.refresh.ms";
        /** long, milliseconds: garp_lower_prio_delay (absent: garp_master_delay's). */
        public static final String GARP_LOWER_PRIO_DELAY_MS = "garp.lower.prio.delay.ms";
        /** long, microseconds: vrrp_garp_interval / vrrp_gna_interval for this instance. */
        public static final String GARP_INTERVAL_US = "vrrp.garp.interval.us";
        public static final String GNA_INTERVAL_US = "vrrp.gna.interval.us";
        /** long, milliseconds, and boolean: garp_extra_if [all] SECONDS. */
        public static final String GARP_EXTRA_IF_MS = "garp.extra.if.ms";
        public static final String GARP_EXTRA_IF_ALL = "garp.extra.if.all";
        /** boolean, and Strings (empty: default): use_ipvlan [NAME] [ADDRESS/PREFIX] [bridge|private|vepa]. */
        public static final String USE_IPVLAN = "use.ipvlan";
        public static final String USE_IPVLAN_NAME = "use.ipvlan.name";
        public static final String USE_IPVLAN_ADDRESS = "use.ipvlan.address";
        public static final String USE_IPVLAN_MODE = "use.ipvlan.mode";
        /** String: mcast_dst_ip. */
        public static final String MCAST_DST_IP = "mcast.dst.ip";
        /** boolean: send v3 IPv4 checksums without the pseudo-header (RFC 9568 form). */
        public static final String V3_CHECKSUM_AS_V2 = "v3.checksum.as.v2";
        /** int, default 3. */
        public static final String DOWN_TIMER_ADVERTS = "down.timer.adverts";
        /** boolean: a master hearing a lower priority does not answer with an advert. */
        public static final String LOWER_PRIO_NO_ADVERT = "lower.prio.no.advert";
        /** boolean. */
        public static final String HIGHER_PRIO_SEND_ADVERT = "higher.prio.send.advert";
        /** String[]: track_interface entries ("eth1 weight -20"), each in {@link TrackEntry}'s form. */
        public static final String TRACK_INTERFACE = "track.interface";
        /** String[]: track_script entries ("chk_web weight -60"), each in {@link TrackEntry}'s form. */
        public static final String TRACK_SCRIPT = "track.script";
        /**
         * String[]: track_file entries, each naming its file by absolute path ("/run/prio weight 2
         * [reverse] [init_file 5 [overwrite]]"): the bridge resolves a track_file block's name to its
         * file, weight and init_file.
         */
        public static final String TRACK_FILE = "track.file";
        /** String[]: track_process entries ("haproxy weight -40 [reverse]"), names of vrrp_track_process. */
        public static final String TRACK_PROCESS = "track.process";
        /**
         * Notify scripts (also a sync group's): the command as written, each with its user as
         * {@code <key>.user}, {@code <key>.group}, {@code <key>.supplementary.groups} (see
         * {@link ConfigurationPids#RUN_AS_USER}).
         */
        public static final String NOTIFY_MASTER = "notify.master";
        public static final String NOTIFY_BACKUP = "notify.backup";
        public static final String NOTIFY_FAULT = "notify.fault";
        public static final String NOTIFY_STOP = "notify.stop";
        public static final String NOTIFY = "notify";
        /** String: notify_deleted's script (empty: none). @since 0.8.0 */
        public static final String NOTIFY_DELETED = "notify.deleted";
        /**
         * boolean: notify_deleted is configured, with or without a script, so a deletion at
         * reload notifies DELETED instead of FAULT. @since 0.8.0
         */
        public static final String NOTIFY_DELETED_ENABLED = "notify.deleted.enabled";
        /** String: notify_master_rx_lower_pri's script. @since 0.8.0 */
        public static final String NOTIFY_MASTER_RX_LOWER_PRI = "notify.master.rx.lower.pri";
        /**
         * boolean: notify_priority_changes, after the bridge's fallback to global_defs
         * vrrp_notify_priority_changes. @since 0.8.0
         */
        public static final String NOTIFY_PRIORITY_CHANGES = "notify.priority.changes";
        /** boolean: smtp_alert for this instance. */
        public static final String SMTP_ALERT = "smtp.alert";
    }

    /** Sync group keys. */
    public static final class SyncGroup {
        private SyncGroup() {
        }
        /** String[]: member instance names. */
        public static final String GROUP = "group";
        /**
         * boolean: sync_group_tracking_weight (global_tracking is its older name): the members'
         * tracking weights apply to every member. @since 0.7.0
         */
        public static final String TRACKING_WEIGHT = "sync.group.tracking.weight";
        // track.script, track.interface, track.file, track.process: as for an instance (Instance.TRACK_*)
    }

    /** vrrp_script keys. */
    public static final class Script {
        private Script() {
        }
        public static final String SCRIPT = "script";
        /** long, milliseconds. */
        public static final String INTERVAL_MS = "interval.ms";
        /** long, milliseconds. */
        public static final String TIMEOUT_MS = "timeout.ms";
        public static final String WEIGHT = "weight";
        public static final String RISE = "rise";
        public static final String FALL = "fall";
        /** String: the user of {@code user USER [GROUP]}; absent: script_user or the default. */
        public static final String USER = "user";
        /** String: the group of {@code user USER GROUP}, without its ':'; absent: the user's own. @since 0.7.0 */
        public static final String GROUP = "group";
        /** boolean: {@code user USER :[GROUP]}, also the user's supplementary groups. @since 0.7.0 */
        public static final String SUPPLEMENTARY_GROUPS = "supplementary.groups";
        /** boolean: weight N reverse. @since 0.7.0 */
        public static final String WEIGHT_REVERSE = "weight.reverse";
        public static final String INIT_FAIL = "init.fail";
    }

    /** vrrp_track_process keys. */
    public static final class TrackProcess {
        private TrackProcess() {
        }
        /** String[]: the process name (or command) and its parameters, quotes removed. */
        public static final String PROCESS = "process";
        /** "" (parameters not checked unless given: then exact), "exact", "initial" or "partial". */
        public static final String PARAM_MATCH = "param.match";
        /** int, default 1. */
        public static final String WEIGHT = "weight";
        public static final String WEIGHT_REVERSE = "weight.reverse";
        /** int, default 1. */
        public static final String QUORUM = "quorum";
        /** int, default 65535 (no maximum). */
        public static final String QUORUM_MAX = "quorum.max";
        /** long, milliseconds. */
        public static final String FORK_DELAY_MS = "fork.delay.ms";
        /** long, milliseconds. */
        public static final String TERMINATE_DELAY_MS = "terminate.delay.ms";
        /** boolean: match /proc/PID/cmdline's first word instead of the process name. */
        public static final String FULL_COMMAND = "full.command";
    }

    /**
     * Static entries keys: kept on the machine whatever the VRRP state, put back when deleted,
     * removed at stop, as keepalived 2.2.7 does. Each a String[] of the block's lines; rules carry
     * a preference (the bridge assigns keepalived's if none).
     */
    public static final class Static {
        private Static() {
        }
        public static final String IPADDRESS = "static.ipaddress";
        public static final String ROUTES = "static.routes";
        public static final String RULES = "static.rules";
    }

    /** global_defs keys. */
    public static final class Global {
        private Global() {
        }
        public static final String ROUTER_ID = "router.id";
        /** String[]. */
        public static final String NOTIFICATION_EMAIL = "notification.email";
        public static final String NOTIFICATION_EMAIL_FROM = "notification.email.from";
        /** String: smtp_server's host (name or address). */
        public static final String SMTP_SERVER = "smtp.server";
        /** int: smtp_server's port, default 25. @since 0.8.0 */
        public static final String SMTP_PORT = "smtp.port";
        /** long, milliseconds. */
        public static final String SMTP_CONNECT_TIMEOUT_MS = "smtp.connect.timeout.ms";
        public static final String SMTP_HELO_NAME = "smtp.helo.name";
        public static final String SMTP_ALERT = "smtp.alert";
        /** boolean: smtp_alert_vrrp, else smtp_alert (resolved by the bridge). @since 0.8.0 */
        public static final String SMTP_ALERT_VRRP = "smtp.alert.vrrp";
        public static final String ENABLE_SCRIPT_SECURITY = "enable.script.security";
        /** String: script_user's user (one name or uid); see {@link ConfigurationPids#RUN_AS_USER}. */
        public static final String SCRIPT_USER = "script.user";
        /** String: script_user's group, without keepalived's ':'; absent: the user's own. @since 0.8.0 */
        public static final String SCRIPT_GROUP = "script.group";
        /** boolean: script_user's group written ":GROUP" (or ":"): the user's supplementary groups too. @since 0.8.0 */
        public static final String SCRIPT_SUPPLEMENTARY_GROUPS = "script.supplementary.groups";
        /** String: notify_fifo's path (its owner words are not carried: Vigil creates the FIFO 0600). @since 0.8.0 */
        public static final String NOTIFY_FIFO = "notify.fifo";
        /** String: vrrp_notify_fifo's path. @since 0.8.0 */
        public static final String VRRP_NOTIFY_FIFO = "vrrp.notify.fifo";
        /**
         * String: notify_fifo_script's command, with its user as {@code notify.fifo.script.user},
         * {@code .group}, {@code .supplementary.groups}. @since 0.8.0
         */
        public static final String NOTIFY_FIFO_SCRIPT = "notify.fifo.script.command";
        /** String: vrrp_notify_fifo_script's command, its user as for {@link #NOTIFY_FIFO_SCRIPT}. @since 0.8.0 */
        public static final String VRRP_NOTIFY_FIFO_SCRIPT = "vrrp.notify.fifo.script.command";
        /**
         * int: vrrp_rt_priority 1..99; 0 keeps the normal scheduler; -1 (absent) Vigil's default
         * realtime priority unless vrrp_priority is set. @since 0.7.0
         */
        public static final String VRRP_RT_PRIORITY = "vrrp.rt.priority";
        /** int -20..19: vrrp_priority, the nice value; 0 (absent) leaves it. @since 0.7.0 */
        public static final String VRRP_PRIORITY = "vrrp.priority";
        /** boolean: vrrp_no_swap. @since 0.7.0 */
        public static final String VRRP_NO_SWAP = "vrrp.no.swap";
        /** int, microseconds: vrrp_rlimit_rttime; 0 (absent) sets none. @since 0.7.0 */
        public static final String VRRP_RLIMIT_RTTIME = "vrrp.rlimit.rttime";
    }
}
