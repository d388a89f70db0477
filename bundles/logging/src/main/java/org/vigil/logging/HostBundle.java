package org.vigil.logging;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The bundle this class was loaded by (in Felix: the fragment's host, ch.qos.logback.classic).
 * Nothing stops logback's context when the framework stops, and the queue's worker is a daemon
 * thread, so without this the last lines queued before the JVM exits could be lost.
 */
final class HostBundle {
    private HostBundle() {
    }

    /**
     * Runs the action, synchronously, when the host bundle begins to stop. Returns what removes
     * the listener, or null outside OSGi.
     */
    static AutoCloseable onStop(Runnable action) {
        Bundle host;
        try {
            host = FrameworkUtil.getBundle(HostBundle.class);
        } catch (LinkageError noOsgi) {
            return null;
        }
        BundleContext bc = host == null ? null : host.getBundleContext();
        if (bc == null) {
            return null;
        }
        SynchronousBundleListener listener = e -> {
            if (e.getType() == BundleEvent.STOPPING && e.getBundle().equals(host)) {
                action.run();
            }
        };
        try {
            bc.addBundleListener(listener);
        } catch (IllegalStateException stopping) {
            return null;
        }
        return () -> {
            try {
                bc.removeBundleListener(listener);
            } catch (IllegalStateException alreadyStopped) {
                // the host's listeners are gone with its context
            }
        };
    }
}
