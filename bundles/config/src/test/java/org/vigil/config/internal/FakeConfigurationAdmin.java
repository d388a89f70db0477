package org.vigil.config.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * An in-memory ConfigurationAdmin with the behaviour the loader relies on: factory
 * configurations named {@code factoryPid~name}, properties copied in and out (arrays too), a change
 * count per configuration, only configurations with properties listed, and {@code (key=value)}
 * filters. Every update and delete is recorded in {@link #events}.
 */
final class FakeConfigurationAdmin implements ConfigurationAdmin {

    final Map<String, FakeConfiguration> configurations = new LinkedHashMap<>();
    final List<String> events = new ArrayList<>();

    FakeConfiguration get(String pid) {
        return configurations.get(pid);
    }

    /** Seeds a configuration as if someone else had created it. */
    void put(String pid, String factoryPid, Map<String, Object> properties) {
        FakeConfiguration c = new FakeConfiguration(pid, factoryPid, "?");
        c.properties = new Hashtable<>(properties);
        configurations.put(pid, c);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        throw new UnsupportedOperationException("the loader uses named factory configurations");
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        throw new UnsupportedOperationException("the loader uses named factory configurations");
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        return configurations.computeIfAbsent(pid, p -> new FakeConfiguration(p, null, location));
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return getConfiguration(pid, null);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        return configurations.computeIfAbsent(factoryPid + "~" + name,
                p -> new FakeConfiguration(p, factoryPid, location));
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        return getFactoryConfiguration(factoryPid, name, null);
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        String key = null;
        String value = null;
        if (filter != null) {
            if (!filter.matches("\\([^=()]+=[^=()]*\\)")) {
                throw new InvalidSyntaxException("the fake only knows (key=value)", filter);
            }
            key = filter.substring(1, filter.indexOf('='));
            value = filter.substring(filter.indexOf('=') + 1, filter.length() - 1);
        }
        List<Configuration> out = new ArrayList<>();
        for (FakeConfiguration c : configurations.values()) {
            if (c.properties != null && (key == null || value.equals(String.valueOf(c.properties.get(key))))) {
                out.add(c);
            }
        }
        return out.isEmpty() ? null : out.toArray(new Configuration[0]);
    }

    private static Hashtable<String, Object> deepCopy(Dictionary<String, ?> in) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (String k : Collections.list(in.keys())) {
            Object v = in.get(k);
            if (v != null && v.getClass().isArray()) {
                Object copy = Array.newInstance(v.getClass().getComponentType(), Array.getLength(v));
                System.arraycopy(v, 0, copy, 0, Array.getLength(v));
                v = copy;
            }
            out.put(k, v);
        }
        return out;
    }

    final class FakeConfiguration implements Configuration {
        private final String pid;
        private final String factoryPid;
        private final String location;
        Hashtable<String, Object> properties;
        long changeCount;
        boolean deleted;

        FakeConfiguration(String pid, String factoryPid, String location) {
            this.pid = pid;
            this.factoryPid = factoryPid;
            this.location = location;
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            if (properties == null) {
                return null;
            }
            Hashtable<String, Object> copy = deepCopy(properties);
            copy.put(Constants.SERVICE_PID, pid);
            if (factoryPid != null) {
                copy.put(ConfigurationAdmin.SERVICE_FACTORYPID, factoryPid);
            }
            return copy;
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> newProperties) {
            properties = deepCopy(newProperties);
            properties.remove(Constants.SERVICE_PID);
            changeCount++;
            events.add("update " + pid);
        }

        @Override
        public void delete() {
            deleted = true;
            configurations.remove(pid);
            events.add("delete " + pid);
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public void update() {
            changeCount++;
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> newProperties) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setBundleLocation(String location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getBundleLocation() {
            return location;
        }

        @Override
        public long getChangeCount() {
            return changeCount;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attrs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return Set.of();
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attrs) {
            throw new UnsupportedOperationException();
        }
    }
}
