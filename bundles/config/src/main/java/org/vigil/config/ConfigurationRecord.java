package org.vigil.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One ConfigurationAdmin configuration to create: a singleton (pid) or a factory configuration
 * (factory pid and name, the name being the instance, group or script name, or a virtual or real
 * server's identity). Property values are String, Integer, Long, Double, Boolean, String[] or int[].
 */
public record ConfigurationRecord(String pid, boolean factory, String name, Map<String, Object> properties) {

    public ConfigurationRecord {
        Objects.requireNonNull(pid, "pid");
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** Equal content, comparing array values element by element. */
    public static boolean sameProperties(Map<String, ?> a, Map<String, ?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, ?> e : a.entrySet()) {
            if (!b.containsKey(e.getKey()) || !Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigurationRecord r && pid.equals(r.pid) && factory == r.factory
                && Objects.equals(name, r.name) && sameProperties(properties, r.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pid, factory, name, properties.keySet());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(pid).append(factory ? "~" + name : "").append(" {");
        properties.forEach((k, v) -> sb.append(' ').append(k).append('=')
                .append(org.vigil.api.vrrp.ConfigurationPids.Instance.isSecret(k) ? "***"
                        : v instanceof Object[] arr ? Arrays.toString(arr)
                        : v instanceof int[] ints ? Arrays.toString(ints) : String.valueOf(v)));
        return sb.append(" }").toString();
    }
}
