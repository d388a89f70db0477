package org.vigil.jmx.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ReflectionException;
import javax.management.RuntimeOperationsException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenMBeanParameterInfoSupport;
import javax.management.openmbean.OpenType;

/**
 * A read-mostly Open MBean from a table of attributes (each a supplier) and operations (each a
 * function of its arguments): every value is an open type (String, numbers, CompositeData,
 * TabularData), so jconsole and any JMX client show them without Vigil's classes. Attributes are
 * read-only; changes go through operations. Notifications carry CompositeData as user data.
 */
abstract class OpenMBean extends NotificationBroadcasterSupport implements DynamicMBean {

    record Attr(String name, OpenType<?> type, String description, Supplier<Object> value) {
    }

    record Param(String name, OpenType<?> type, String description) {
    }

    record Op(String name, String description, OpenType<?> returns, int impact, List<Param> params,
            Function<Object[], Object> body) {
    }

    private final String description;
    private final MBeanNotificationInfo[] notifications;
    private final Map<String, Attr> attributes = new LinkedHashMap<>();
    private final Map<String, Op> operations = new LinkedHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private MBeanInfo info;

    OpenMBean(String description, MBeanNotificationInfo... notifications) {
        super(notifications);
        this.description = description;
        this.notifications = notifications.clone();
    }

    /** Called once from the subclass's constructor, when the suppliers can see its fields. */
    final void define(List<Attr> attrs, List<Op> ops) {
        attrs.forEach(a -> attributes.put(a.name(), a));
        ops.forEach(o -> operations.put(o.name() + "/" + o.params().size(), o));
        List<OpenMBeanAttributeInfoSupport> ai = new ArrayList<>();
        attrs.forEach(a -> ai.add(new OpenMBeanAttributeInfoSupport(a.name(), a.description(), a.type(), true, false,
                false)));
        List<OpenMBeanOperationInfoSupport> oi = new ArrayList<>();
        for (Op o : ops) {
            OpenMBeanParameterInfoSupport[] ps = o.params().stream()
                    .map(p -> new OpenMBeanParameterInfoSupport(p.name(), p.description(), p.type()))
                    .toArray(OpenMBeanParameterInfoSupport[]::new);
            oi.add(new OpenMBeanOperationInfoSupport(o.name(), o.description(), ps, o.returns(), o.impact()));
        }
        info = new OpenMBeanInfoSupport(getClass().getName(), description,
                ai.toArray(OpenMBeanAttributeInfoSupport[]::new), new OpenMBeanConstructorInfoSupport[0],
                oi.toArray(OpenMBeanOperationInfoSupport[]::new), notifications);
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException, MBeanException {
        Attr a = attributes.get(name);
        if (a == null) {
            throw new AttributeNotFoundException(name);
        }
        try {
            return a.value().get();
        } catch (RuntimeException e) {
            throw new MBeanException(new Exception(e.getMessage()), name + ": " + e.getMessage());
        }
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only; use an operation");
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList out = new AttributeList();
        for (String n : names) {
            try {
                out.add(new Attribute(n, getAttribute(n)));
            } catch (AttributeNotFoundException | MBeanException e) {
                // left out, as the interface says
            }
        }
        return out;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String name, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        Object[] args = params == null ? new Object[0] : params;
        Op o = operations.get(name + "/" + args.length);
        if (o == null) {
            throw new ReflectionException(new NoSuchMethodException(name), "no operation " + name + " with "
                    + args.length + " parameters");
        }
        try {
            return o.body().apply(args);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            // the client may lack Vigil's classes: the message travels, the exception's type is the JDK's
            throw new RuntimeOperationsException(new IllegalArgumentException(e.getMessage()), e.getMessage());
        } catch (RuntimeException e) {
            throw new MBeanException(new Exception(e.toString()), name + ": " + e);
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }

    /** Sends a notification of {@code type}; source is this MBean's name (filled in by the MBeanServer). */
    final void emit(String type, String message, CompositeData userData) {
        Notification n = new Notification(type, this, sequence.incrementAndGet(), System.currentTimeMillis(), message);
        n.setUserData(userData);
        sendNotification(n);
    }

    static Attr attr(String name, OpenType<?> type, String description, Supplier<Object> value) {
        return new Attr(name, type, description, value);
    }

    static Param param(String name, OpenType<?> type, String description) {
        return new Param(name, type, description);
    }

    static Op action(String name, String description, OpenType<?> returns, List<Param> params,
            Function<Object[], Object> body) {
        return new Op(name, description, returns, MBeanOperationInfo.ACTION, params, body);
    }

    static Op query(String name, String description, OpenType<?> returns, List<Param> params,
            Function<Object[], Object> body) {
        return new Op(name, description, returns, MBeanOperationInfo.INFO, params, body);
    }
}
