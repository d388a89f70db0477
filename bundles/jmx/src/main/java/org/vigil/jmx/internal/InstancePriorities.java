package org.vigil.jmx.internal;

import java.io.IOException;
import java.util.Dictionary;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.ConfigurationPids;

/**
 * Sets an instance's priority as a reload would: in its ConfigurationAdmin configuration, so the
 * core applies it the way it applies a changed keepalived.conf (state, timers and counters kept).
 * The file still wins: the next reload writes its own value back.
 */
@Component(service = InstancePriorities.class)
public final class InstancePriorities {
    private static final Logger LOG = LoggerFactory.getLogger(InstancePriorities.class);
    private final ConfigurationAdmin configAdmin;

    @Activate
    public InstancePriorities(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    String set(String instance, Integer priority) {
        if (priority == null || priority < 1 || priority > 254) {
            throw new IllegalArgumentException("priority " + priority + " not in 1-254");
        }
        try {
            Configuration[] found = configAdmin.listConfigurations("(&(service.factoryPid="
                    + ConfigurationPids.INSTANCE + ")(" + ConfigurationPids.NAME + "=" + escape(instance) + "))");
            if (found == null || found.length == 0) {
                throw new IllegalArgumentException("No instance '" + instance + "'");
            }
            Configuration c = found[0];
            Dictionary<String, Object> props = c.getProperties();
            Object was = props.get(ConfigurationPids.Instance.PRIORITY);
            props.put(ConfigurationPids.Instance.PRIORITY, priority);
            c.update(props);
            LOG.info("({}) priority set from {} to {} by the operator (JMX)", instance, was, priority);
            return "(" + instance + ") priority " + was + " -> " + priority + " (until the next reload)";
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot update the configuration of " + instance + ": " + e.getMessage(), e);
        }
    }

    /** RFC 4515 escapes for a filter value. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '*' || ch == '(' || ch == ')' || ch == 0) {
                b.append('\\').append(String.format("%02x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
