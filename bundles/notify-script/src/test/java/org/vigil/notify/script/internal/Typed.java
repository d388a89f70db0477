package org.vigil.notify.script.internal;

import java.util.HashMap;
import java.util.Map;

import org.apache.felix.scr.impl.inject.internal.Annotations;
import org.vigil.api.config.PropertyTypes;

/** Configurations as the components see them: their Config annotations, converted by Felix SCR itself. */
final class Typed {
    private Typed() {
    }

    /** As DS does: the annotation's defaults (bnd writes them into the component description) under the properties. */
    static <A> A typed(Class<A> type, Map<String, ?> properties) {
        Map<String, Object> merged = new HashMap<>();
        for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
            if (m.getDefaultValue() != null) {
                merged.put(PropertyTypes.key(m.getName()), m.getDefaultValue());
            }
        }
        merged.putAll(properties);
        return Annotations.toObject(type, merged, null, false);
    }

    /** A notifier on these global and tuning properties (both PIDs' keys in one map, as DS merges them). */
    static ScriptNotifier notifier(Map<String, ?> properties, boolean root) {
        return new ScriptNotifier(typed(ScriptNotifier.Config.class, properties),
                typed(ScriptNotifier.Global.class, properties), root);
    }

    static NotifyScripts instance(Map<String, ?> properties) {
        return InstanceNotifyConfig.scripts(typed(InstanceNotifyConfig.Config.class, properties), "instance.pid");
    }

    static NotifyScripts group(Map<String, ?> properties) {
        return GroupNotifyConfig.scripts(typed(GroupNotifyConfig.Config.class, properties), "group.pid");
    }
}
