package org.vigil.core.internal;

import java.util.Map;

import org.apache.felix.scr.impl.inject.internal.Annotations;

/** Configuration properties as a component sees them: the Config annotation, converted by Felix SCR itself. */
final class TypedConfigs {
    private TypedConfigs() {
    }

    /** As DS does: the annotation's defaults (bnd writes them into the component description) under the configuration. */
    static <A> A typed(Class<A> type, Map<String, ?> properties) {
        Map<String, Object> merged = new java.util.HashMap<>();
        for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
            if (m.getDefaultValue() != null) {
                merged.put(org.vigil.api.config.PropertyTypes.key(m.getName()), m.getDefaultValue());
            }
        }
        merged.putAll(properties);
        return Annotations.toObject(type, merged, null, false);
    }

    static InstanceConfig instance(Map<String, ?> properties) {
        return InstanceConfigs.from(typed(VrrpInstanceComponent.Config.class, properties));
    }

    static ProcessSpec process(Map<String, ?> properties) {
        return ProcessSpec.from(typed(TrackProcessComponent.Config.class, properties));
    }

    static SyncGroupComponent.Config syncGroup(Map<String, ?> properties) {
        return typed(SyncGroupComponent.Config.class, properties);
    }

    static SchedulingSettings scheduling(Map<String, ?> properties) {
        return GlobalDefsComponent.scheduling(typed(GlobalDefsComponent.Config.class, properties),
                org.vigil.api.vrrp.ConfigurationPids.GLOBAL);
    }
}
