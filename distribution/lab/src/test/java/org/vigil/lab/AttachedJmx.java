package org.vigil.lab;

import java.nio.file.Files;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * A JMX client on a running Vigil as an operator gets one: the JDK Attach API on the daemon's pid
 * (from its pid file) starts its local management agent, what jconsole and {@code jcmd PID
 * ManagementAgent.start_local} do; the agent listens on loopback in the daemon's namespace, so
 * the connection is made from there ({@link NamespaceRmi}).
 */
final class AttachedJmx implements AutoCloseable {
    final long pid;
    private final AutoCloseable namespace;
    private final JMXConnector connector;

    AttachedJmx(Lab lab, Daemon vigil) throws Exception {
        pid = Long.parseLong(Files.readString(vigil.dir.resolve("vigil.pid")).strip());
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        namespace = NamespaceRmi.enter(lab.ns(vigil.host));
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (Exception e) {
            namespace.close();
            throw e;
        }
    }

    MBeanServerConnection connection() throws java.io.IOException {
        return connector.getMBeanServerConnection();
    }

    @Override
    public void close() throws Exception {
        try {
            connector.close();
        } finally {
            namespace.close();
        }
    }
}
