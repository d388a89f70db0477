package org.vigil.jmx.internal;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whiteboard: every {@link DynamicMBean} service with a {@value #OBJECT_NAME} property is
 * registered in the platform MBeanServer under that name while the service is there, so local
 * attach (jconsole, {@code jcmd PID ManagementAgent.start_local}) and the remote connector see it.
 * The property is Aries JMX whiteboard's, so its bundle could replace this one.
 */
@Component(immediate = true)
public final class MBeanWhiteboard {
    static final String OBJECT_NAME = "jmx.objectname";
    private static final Logger LOG = LoggerFactory.getLogger(MBeanWhiteboard.class);

    private final MBeanServer server;
    private final Map<Object, ObjectName> registered = new ConcurrentHashMap<>();

    @Activate
    public MBeanWhiteboard() {
        this(ManagementFactory.getPlatformMBeanServer());
    }

    MBeanWhiteboard(MBeanServer server) {
        this.server = server;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + OBJECT_NAME + "=*)")
    void bindMBean(ServiceReference<DynamicMBean> reference, DynamicMBean mbean) {
        add(reference.getProperty(OBJECT_NAME), mbean);
    }

    void unbindMBean(ServiceReference<DynamicMBean> reference, DynamicMBean mbean) {
        remove(mbean);
    }

    void add(Object name, DynamicMBean mbean) {
        try {
            ObjectName on = ObjectName.getInstance(String.valueOf(name));
            server.registerMBean(mbean, on);
            registered.put(mbean, on);
        } catch (JMException | RuntimeException e) {
            LOG.warn("Cannot register MBean {}: {}", name, e.toString());
        }
    }

    void remove(DynamicMBean mbean) {
        ObjectName on = registered.remove(mbean);
        if (on != null) {
            try {
                server.unregisterMBean(on);
            } catch (JMException e) {
                LOG.debug("MBean {} already gone", on);
            }
        }
    }

    @Deactivate
    void deactivate() {
        registered.keySet().forEach(m -> remove((DynamicMBean) m));
    }
}
