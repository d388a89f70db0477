package org.vigil.notify.script.internal;

import java.util.EnumMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.script.CommandLine;
import org.vigil.script.RunAs;

/**
 * The notify commands of one instance or sync group, from its typed configuration
 * ({@link InstanceNotifyConfig.Config}, {@link GroupNotifyConfig.Config}): each command with who
 * runs it. {@code notifyDeleted}: notify_deleted is configured (with or without a script), so a
 * deletion at reload notifies DELETED, not FAULT. {@code priorityChanges}: notify_priority_changes
 * (the bridge applied global_defs' vrrp_notify_priority_changes). Commands are split by
 * org.vigil.script's {@link CommandLine}, as keepalived splits them.
 */
record NotifyScripts(String name, Map<Event, Script> specific, Script generic, Script masterRxLowerPri,
        boolean notifyDeleted, boolean priorityChanges) {

    NotifyScripts(String name, Map<Event, Script> specific, Script generic) {
        this(name, specific, generic, null, specific.containsKey(Event.DELETED), false);
    }

    /** What happened, as keepalived names it in the generic notify's third argument and the FIFO. */
    enum Event { MASTER, BACKUP, FAULT, STOP, DELETED }

    /** A command and who runs it (null: the global script user). */
    record Script(CommandLine command, RunAs user) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);

    /** One script's attributes: the command and its user, group and supplementary groups. */
    record Attributes(String key, String command, String user, String group, boolean supplementaryGroups) {
    }

    /**
     * The scripts of one configuration; a script whose attributes do not read is left out after
     * one line naming the PID and the attribute (the others stay).
     */
    static NotifyScripts of(String pid, String name, Map<Event, Attributes> specific, Attributes generic,
            Attributes masterRxLowerPri, boolean notifyDeleted, boolean priorityChanges) {
        Map<Event, Script> scripts = new EnumMap<>(Event.class);
        specific.forEach((e, a) -> {
            Script s = script(pid, a);
            if (s != null) {
                scripts.put(e, s);
            }
        });
        return new NotifyScripts(name, scripts, script(pid, generic),
                masterRxLowerPri == null ? null : script(pid, masterRxLowerPri),
                notifyDeleted || scripts.containsKey(Event.DELETED), priorityChanges);
    }

    private static Script script(String pid, Attributes a) {
        if (a.command() == null || a.command().isBlank()) {
            return null;
        }
        RunAs user;
        try {
            user = RunAs.ofAttributes(a.key() + ".", a.user(), a.group(), a.supplementaryGroups());
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {}: {}; notify script {} not run", pid, e.getMessage(), a.command());
            return null;
        }
        CommandLine parsed;
        try {
            parsed = CommandLine.parse(a.command());
        } catch (IllegalArgumentException e) {
            // keepalived drops a notify script it cannot split
            LOG.warn("{}", e.getMessage());
            LOG.warn("Unable to parse notify script '{}' - ignoring", a.command());
            return null;
        }
        return new Script(parsed, user);
    }
}
