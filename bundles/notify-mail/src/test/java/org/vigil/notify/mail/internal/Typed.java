package org.vigil.notify.mail.internal;

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

    /** The settings of these global and extension properties (both PIDs' keys in one map, as DS merges them). */
    static MailSettings settings(Map<String, ?> properties) {
        return MailSettings.from(typed(MailNotifier.Global.class, properties), typed(MailNotifier.Config.class, properties));
    }

    static MailNotifier notifier(Map<String, ?> properties) {
        return new MailNotifier(typed(MailNotifier.Config.class, properties), typed(MailNotifier.Global.class, properties));
    }
}
