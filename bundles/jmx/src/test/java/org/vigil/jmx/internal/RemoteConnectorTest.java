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
    void withoutAPrivatePasswordFileThereIsNoConnector() throws Exception {
        assertThatThrownBy(() -> new RemoteConnector(config(freePort(), ""))).hasMessageContaining("required");
        Path shared = passwords("rw-r--r--");
        assertThatThrownBy(() -> new RemoteConnector(config(freePort(), shared.toString())))
                .hasMessageContaining("owner only");
    }
}
