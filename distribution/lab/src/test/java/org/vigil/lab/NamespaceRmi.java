package org.vigil.lab;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;

import org.vigil.testing.netns.NamespaceThread;

/**
 * RMI client sockets made inside a lab namespace, so that a JMX client in this JVM (in the root
 * namespace) reaches a daemon's loopback connector in its own namespace. A socket keeps the
 * namespace it was made in, so RMI may use it from any thread. Installed once per JVM (RMI
 * allows one factory); which namespace it enters is set per test.
 */
final class NamespaceRmi extends RMISocketFactory {
    private static volatile NamespaceThread target;
    private static boolean installed;

    private NamespaceRmi() {
    }

    /** From now on RMI connects from inside {@code namespace}; close the returned handle to go back. */
    static synchronized AutoCloseable enter(String namespace) throws Exception {
        if (!installed) {
            RMISocketFactory.setSocketFactory(new NamespaceRmi());
            installed = true;
        }
        NamespaceThread t = new NamespaceThread(namespace);
        target = t;
        return () -> {
            target = null;
            t.close();
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        NamespaceThread t = target;
        if (t == null) {
            return new Socket(host, port);
        }
        try {
            return t.call(() -> new Socket(host, port));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new ServerSocket(port);
    }
}
