package org.vigil.notify.script.internal;

import java.util.EnumMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.script.CommandLine;

/**
 * The notify commands of one instance or sync group, read from its configuration: keys
 * notify.master, notify.backup, notify.fault, notify.stop, notify.deleted, notify and
 * notify.master.rx.lower.pri, each with an optional "&lt;key&gt;.user" ("user [group]") as the config
 * bridge writes them, and notify.priority.changes. {@code notifyDeleted}: notify_deleted is
 * configured (with or without a script), so a deletion at reload notifies DELETED, not FAULT. Commands are split
 * by org.vigil.script's {@link CommandLine}, as keepalived splits them.
 */
record NotifyScripts(String name, Map<Event, Script> specific, Script generic, Script masterRxLowerPri,
        boolean notifyDeleted, Boolean priorityChanges) {

    NotifyScripts(String name, Map<Event, Script> specific, Script generic) {
        this(name, specific, generic, null, specific.containsKey(Event.DELETED), null);
    }

    /** What happened, as keepalived names it in the generic notify's third argument and the FIFO. */
    enum Event { MASTER, BACKUP, FAULT, STOP, DELETED }

    /** A command and who runs it (null: the global script user). */
    record Script(CommandLine command, String user) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);
    /** notify_master_rx_lower_pri, as the bridge names it. */
    static final String MASTER_RX_LOWER_PRI = "notify.master.rx.lower.pri";
    /** notify_priority_changes of the instance (unset: global_defs vrrp_notify_priority_changes). */
    static final String PRIORITY_CHANGES = "notify.priority.changes";

    static NotifyScripts from(Map<String, ?> props) {
        Map<Event, Script> specific = new EnumMap<>(Event.class);
        for (Event e : Event.values()) {
            Script s = script(props, "notify." + e.name().toLowerCase());
            if (s != null) {
                specific.put(e, s);
            }
        }
        Object changes = props.get(PRIORITY_CHANGES);
        return new NotifyScripts(String.valueOf(props.get(ConfigurationPids.NAME)), specific,
                script(props, ConfigurationPids.Instance.NOTIFY), script(props, MASTER_RX_LOWER_PRI),
                props.containsKey("notify.deleted"), changes == null ? null : Boolean.valueOf(String.valueOf(changes)));
    }

    private static Script script(Map<String, ?> props, String key) {
        Object command = props.get(key);
        if (command == null || String.valueOf(command).isBlank()) {
            return null;
        }
        Object user = props.get(key + ".user");
        CommandLine parsed;
        try {
            parsed = CommandLine.parse(String.valueOf(command));
        } catch (IllegalArgumentException e) {
            // keepalived drops a notify script it cannot split
            LOG.warn("{}", e.getMessage());
            LOG.warn("Unable to parse notify script '{}' - ignoring", command);
            return null;
        }
        return new Script(parsed, user == null ? null : String.valueOf(user));
    }
}
