package org.vigil.core.internal;

import java.util.Map;

import org.apache.felix.scr.impl.inject.internal.Annotations;

/** Configuration properties as a component sees them: the Config annotation, converted by Felix SCR itself. */
final class TypedConfigs {
    private TypedConfigs() {
    }

    @SuppressWarnings("unchecked")
    static <A> A typed(Class<A> type, Map<String, ?> properties) {
        return Annotations.toObject(type, (Map<String, Object>) properties, null, false);
    }

    static InstanceConfig instance(Map<String, ?> properties) {
        return InstanceConfigs.from(typed(VrrpInstanceComponent.Config.class, properties));
    }
}
