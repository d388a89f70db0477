package org.vigil.checker.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What makes two configured checks the same probe: the real server, where and how it is checked,
 * the timing and the type's own keywords. Virtual servers naming the same real server with the
 * same check share one probe (checker.md section 4, complaint 1: keepalived probes it once per
 * VIP). {@code error} keeps checks apart whose block could not be read.
 */
record ProbeKey(String type, InetSocketAddress realServer, InetSocketAddress connectTo, InetAddress bindTo,
        String protocol, Schedule schedule, boolean alpha, boolean logAllFailures,
        Map<String, List<String>> properties, String error) {
}
