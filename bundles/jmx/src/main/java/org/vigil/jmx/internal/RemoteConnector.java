package org.vigil.jmx.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote JMX connector (RMI), off until {@code deploy/org.vigil.jmx.cfg} exists. It listens on
 * 127.0.0.1 unless told otherwise, and only with a password file (the JDK's format,
 * {@code USER PASSWORD} per line, readable by its owner only), with an optional access file
 * ({@code USER readonly|readwrite}). Local attach needs none of this: the MBeans are in the platform
 * MBeanServer.
 */
@Component(configurationPid = RemoteConnector.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RemoteConnector.Config.class)
public final class RemoteConnector {
    static final String PID = "org.vigil.jmx";
    private static final Logger LOG = LoggerFactory.getLogger(RemoteConnector.class);

    @ObjectClassDefinition(name = "Vigil remote JMX connector")
    public @interface Config {
        @AttributeDefinition(description = "TCP port of the RMI registry and the connector")
        int port() default 9999;

        @AttributeDefinition(description = "listening address; 127.0.0.1 keeps it local")
        String address() default "127.0.0.1";

        @AttributeDefinition(description = "the JDK's jmxremote.password format; required, owner-readable only")
        String password_file() default "";

        @AttributeDefinition(description = "the JDK's jmxremote.access format; without it every user may read and write")
        String access_file() default "";
    }

    private final JMXConnectorServer server;
    private final Registry registry;
    private final JMXServiceURL url;

    /**
     * Starts the connector, or fails the activation with one ERROR line in the daemon's log saying
     * why: a busy port, a bad password file, or a runtime without a module RMI needs (the jlinked
     * runtime once lacked jdk.naming.rmi, and the activation failed with no line).
     */
    @Activate
    public RemoteConnector(Config config) throws IOException {
        Listening l;
        try {
            l = listen(config);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.error("JMX connector not started ({}:{}): {}", config.address(), config.port(), reason(e));
            throw e;
        }
        server = l.server();
        registry = l.registry();
        url = l.url();
        LOG.info("JMX connector listening on {} (password file {})", url, config.password_file());
    }

    private record Listening(JMXConnectorServer server, Registry registry, JMXServiceURL url) {
    }

    private static Listening listen(Config config) throws IOException {
        if (config.password_file().isBlank()) {
            throw new IllegalArgumentException(PID + ": password.file is required; no unauthenticated remote JMX");
        }
        Path passwords = Path.of(config.password_file());
        checkPrivate(passwords);
        InetAddress bind = InetAddress.getByName(config.address());
        RMIServerSocketFactory sockets = new BoundSockets(bind);
        // the stubs the registry hands out name this host: the bound address, not the machine's name
        // (for a wildcard address the JDK's own choice stays: 0.0.0.0 is no address to connect to)
        if (System.getProperty("java.rmi.server.hostname") == null && !bind.isAnyLocalAddress()) {
            System.setProperty("java.rmi.server.hostname", bind.getHostAddress());
        }
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        env.put("jmx.remote.x.password.file", passwords.toString());
        if (!config.access_file().isBlank()) {
            env.put("jmx.remote.x.access.file", Path.of(config.access_file()).toString());
        }
        String host = bind.getHostAddress().contains(":") ? "[" + bind.getHostAddress() + "]" : bind.getHostAddress();
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + config.port() + "/jndi/rmi://"
                + host + ":" + config.port() + "/jmxrmi");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(RemoteConnector.class.getClassLoader());
        try {
            Registry registry = LocateRegistry.createRegistry(config.port(), null, sockets);
            try {
                JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env,
                        ManagementFactory.getPlatformMBeanServer());
                server.start();
                return new Listening(server, registry, url);
            } catch (IOException | RuntimeException e) {
                UnicastRemoteObject.unexportObject(registry, true);
                throw e;
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    /** The exception's own words (a missing class also by its kind), and its cause's when they are not in them. */
    private static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName()
                : e instanceof LinkageError ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) {
            m += ": " + cause.getMessage();
        }
        return m;
    }

    JMXServiceURL url() {
        return url;
    }

    @Deactivate
    void deactivate() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.debug("JMX connector stop: {}", e.toString());
        }
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // gone already
        }
    }

    /** A password file others can read leaks the passwords: refused, as the JDK's agent does. */
    static void checkPrivate(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(PID + ": password file " + file + " is not readable");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        others.retainAll(perms);
        if (!others.isEmpty()) {
            throw new IllegalArgumentException(PID + ": password file " + file + " must be readable by its owner only "
                    + "(chmod 600)");
        }
    }

    /** Server sockets on one address; equal instances share one port (registry and connector). */
    private record BoundSockets(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
