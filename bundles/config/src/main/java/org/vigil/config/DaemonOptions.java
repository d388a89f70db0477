package org.vigil.config;

/**
 * keepalived 2.2.7's top-level daemon keywords (outside global_defs, where 2.2.7 calls them
 * unknown): {@code net_namespace NAME} (run in that network namespace), {@code instance NAME}
 * (several daemons in one namespace: the name goes into the pid file names) and
 * {@code use_pid_dir} (pid files under /run/keepalived). Null or false when not written.
 */
public record DaemonOptions(String netNamespace, Origin netNamespaceOrigin, String instance, boolean usePidDir) {

    public static final DaemonOptions NONE = new DaemonOptions(null, null, null, false);

    /**
     * The pid file keepalived's naming gives a daemon called {@code base} ("vigil"): with none of
     * the options {@code defaultDirectory/base.pid}; otherwise in {@code pidDirectory}, with the
     * instance and the namespace joined by underscores ({@code /run/vigil/vigil_web_blue.pid}).
     */
    public java.nio.file.Path pidFile(java.nio.file.Path defaultDirectory, java.nio.file.Path pidDirectory,
            String base) {
        if (netNamespace == null && instance == null && !usePidDir) {
            return defaultDirectory.resolve(base + ".pid");
        }
        StringBuilder name = new StringBuilder(base);
        if (instance != null) {
            name.append('_').append(instance);
        }
        if (netNamespace != null) {
            name.append('_').append(netNamespace);
        }
        return pidDirectory.resolve(name.append(".pid").toString());
    }
}
