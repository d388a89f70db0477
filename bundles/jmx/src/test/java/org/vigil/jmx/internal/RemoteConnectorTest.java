package org.vigil.jmx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in RMI connector on loopback: a password is required, and a wrong one is refused. */
class RemoteConnectorTest {
    @TempDir
    Path dir;

    static RemoteConnector.Config config(int port, String passwordFile) {
        return new RemoteConnector.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RemoteConnector.Config.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String address() {
                return "127.0.0.1";
            }

            @Override
            public String password_file() {
                return passwordFile;
            }

            @Override
            public String access_file() {
                return "";
            }
        };
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Path passwords(String perms) throws IOException {
        Path f = dir.resolve("jmx.password");
        Files.writeString(f, "operator s3cret-pass\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void aClientWithThePasswordReadsTheMBeansAndOneWithoutIsRefused() throws Exception {
        int port = freePort();
        RemoteConnector connector = new RemoteConnector(config(port, passwords("rw-------").toString()));
        try {
            assertThat(connector.url().toString()).startsWith("service:jmx:rmi://127.0.0.1:" + port);
            try (JMXConnector c = JMXConnectorFactory.connect(connector.url(),
                    Map.of(JMXConnector.CREDENTIALS, new String[] { "operator", "s3cret-pass" }))) {
                assertThat(c.getMBeanServerConnection().getMBeanCount()).isPositive();
            }
            assertThatThrownBy(() -> JMXConnectorFactory.connect(connector.url(),
                    Map.of(JMXConnector.CREDENTIALS, new String[] { "operator", "guess" })).close())
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> JMXConnectorFactory.connect(connector.url()).close())
                    .isInstanceOf(SecurityException.class);
        } finally {
            connector.deactivate();
        }
    }

    @Test
    void withoutAPrivatePasswordFileThereIsNoConnectorAndTheLogSaysWhy() throws Exception {
        try (Lines log = new Lines()) {
            int port = freePort();
            assertThatThrownBy(() -> new RemoteConnector(config(port, ""))).hasMessageContaining("required");
            Path shared = passwords("rw-r--r--");
            assertThatThrownBy(() -> new RemoteConnector(config(port, shared.toString())))
                    .hasMessageContaining("owner only");
            assertThat(log.lines()).containsExactly(
                    "JMX connector not started (127.0.0.1:" + port + "): org.vigil.jmx: password.file is required;"
                            + " no unauthenticated remote JMX",
                    "JMX connector not started (127.0.0.1:" + port + "): org.vigil.jmx: password file " + shared
                            + " must be readable by its owner only (chmod 600)");
        }
    }

    @Test
    void aPortInUseIsOneLineNamingAddressPortAndReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                Lines log = new Lines()) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new RemoteConnector(config(port, passwords("rw-------").toString())))
                    .isInstanceOf(IOException.class);
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("JMX connector not started (127.0.0.1:" + port + "): ")
                    .contains("Address already in use");
        }
    }

    /** The connector's log lines (logback). */
    private static final class Lines implements AutoCloseable {
        private final ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(RemoteConnector.class);
        private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();

        Lines() {
            appender.setContext(logger.getLoggerContext());
            appender.start();
            logger.addAppender(appender);
        }

        java.util.List<String> lines() {
            return appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
