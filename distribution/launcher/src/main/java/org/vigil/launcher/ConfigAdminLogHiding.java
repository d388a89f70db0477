package org.vigil.launcher;

import java.util.Collection;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Keeps the OSGi {@code LogService} out of Felix ConfigAdmin's sight, so that ConfigAdmin logs
 * through its own level check ({@code felix.cm.loglevel}, warnings and errors to standard error)
 * instead of through the log service.
 *
 * <p>Why: ConfigAdmin 1.9 checks its level only when no log service is present; with one, it
 * formats every debug message ({@code MessageFormat}) and hands it over, and logback drops it
 * afterwards. A same-file reload of 510 instances (one {@code listConfigurations}, 511
 * configurations) allocated 35 MB of its 42 MB there (JFR), about ten young collections on the
 * serial collector's 4 MB young generation while the election thread was advertising; the start
 * of 510 instances pays it again for every configuration created. Registered on the system
 * bundle after {@code init()}, before any bundle starts, so ConfigAdmin's tracker never sees the
 * service; every other bundle does.
 */
final class ConfigAdminLogHiding implements FindHook, EventListenerHook {
    static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    static final String LOG_SERVICE = "org.osgi.service.log.LogService";

    static void install(BundleContext systemContext) {
        ConfigAdminLogHiding hiding = new ConfigAdminLogHiding();
        systemContext.registerService(new String[] { FindHook.class.getName(), EventListenerHook.class.getName() },
                hiding, null);
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (isConfigAdmin(context.getBundle())) {
            references.removeIf(ConfigAdminLogHiding::isLogService);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (isLogService(event.getServiceReference())) {
            listeners.keySet().removeIf(context -> isConfigAdmin(context.getBundle()));
        }
    }

    static boolean isConfigAdmin(Bundle bundle) {
        return bundle != null && CONFIG_ADMIN.equals(bundle.getSymbolicName());
    }

    static boolean isLogService(ServiceReference<?> reference) {
        Object classes = reference.getProperty(Constants.OBJECTCLASS);
        if (classes instanceof String[] names) {
            for (String n : names) {
                if (LOG_SERVICE.equals(n)) {
                    return true;
                }
            }
        }
        return false;
    }
}
