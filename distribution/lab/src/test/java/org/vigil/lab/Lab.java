package org.vigil.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One lab segment: a switch namespace with a bridge, routers rK (192.0.2.1K/24, 2001:db8::1K/64) and
 * a client c1 (192.0.2.100/24, 2001:db8::100/64), each with a veth lan0 whose peer p-HOST is a bridge port.
 * Namespace names carry a per-JVM, per-lab prefix ("vl<pid>-<n>-") so parallel or leftover runs never collide.
 * {@link #close()} kills what runs in the namespaces (by PID) and deletes them.
 */
final class Lab implements AutoCloseable {
    static final String VIP4 = "192.0.2.249";
    static final String VIP6 = "2001:db8::249";
    static final String BRIDGE = "br0";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String prefix;
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final List<String> hosts = new ArrayList<>();

    private Lab(String prefix) {
        this.prefix = prefix;
    }

    /** A switch, routers r1..rN and the client c1. */
    static Lab create(int routers) {
        sweepLeftovers();
        Lab lab = new Lab("vl" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + "-");
        try {
            lab.build(routers);
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Namespaces of an earlier lab JVM that died before its teardown (its PID is gone): removed like ours. */
    private static void sweepLeftovers() {
        Pattern ours = Pattern.compile("^(vl(\\d+)-\\d+-)sw\\b");
        for (String line : Sh.quiet("ip", "netns", "list").out().lines().toList()) {
            Matcher m = ours.matcher(line);
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                Lab stale = new Lab(m.group(1));
                for (String other : Sh.quiet("ip", "netns", "list").out().lines().toList()) {
                    String name = other.split("\\s+")[0];
                    if (name.startsWith(m.group(1))) {
                        stale.namespaces.add(name);
                    }
                }
                stale.close();
            }
        }
    }

    private void build(int routers) {
        String sw = addNamespace("sw");
        Sh.ok("ip", "-n", sw, "link", "add", BRIDGE, "type", "bridge", "mcast_snooping", "0", "stp_state", "0",
                "forward_delay", "0");
        Sh.ok("ip", "netns", "exec", sw, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        Sh.ok("ip", "-n", sw, "link", "set", BRIDGE, "up");
        for (int k = 1; k <= routers; k++) {
            addHost("r" + k, "192.0.2.1" + k, "2001:db8::1" + k);
        }
        addHost("c1", "192.0.2.100", "2001:db8::100");
    }

    private String addNamespace(String name) {
        String ns = prefix + name;
        Sh.ok("ip", "netns", "add", ns);
        namespaces.add(ns);
        Sh.ok("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** One more host on br0 (for example an attacker namespace), with veth lan0 and the addresses (/24, /64). */
    void addHost(String host, String v4, String v6) {
        String ns = addNamespace(host);
        Sh.ok("ip", "link", "add", "lan0", "netns", ns, "type", "veth", "peer", "name", port(host), "netns", sw());
        // no DAD: IPv6 addresses (and IPv6 VIPs) are usable at once
        Sh.ok("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.lan0.accept_dad=0");
        Sh.ok("ip", "-n", ns, "addr", "add", v4 + "/24", "dev", "lan0");
        Sh.ok("ip", "-n", ns, "addr", "add", v6 + "/64", "dev", "lan0", "nodad");
        Sh.ok("ip", "-n", ns, "link", "set", "lan0", "up");
        Sh.ok("ip", "-n", sw(), "link", "set", port(host), "master", BRIDGE, "up");
        hosts.add(host);
    }

    /** One more bridge in the switch namespace (a separate segment), set up like br0. */
    void addBridge(String bridge) {
        Sh.ok("ip", "-n", sw(), "link", "add", bridge, "type", "bridge", "mcast_snooping", "0", "stp_state", "0",
                "forward_delay", "0");
        Sh.ok("ip", "-n", sw(), "link", "set", bridge, "up");
    }

    /**
     * One more veth on a host: IFNAME in the host's namespace, its peer PORT (at most 15 characters) a port of
     * the bridge; the addresses (with their prefix) on IFNAME, IPv6 without DAD.
     */
    void addLink(String host, String ifname, String port, String bridge, String v4Cidr, String v6Cidr) {
        String ns = ns(host);
        Sh.ok("ip", "link", "add", ifname, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw());
        Sh.ok("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf." + ifname + ".accept_dad=0");
        Sh.ok("ip", "-n", ns, "addr", "add", v4Cidr, "dev", ifname);
        Sh.ok("ip", "-n", ns, "addr", "add", v6Cidr, "dev", ifname, "nodad");
        Sh.ok("ip", "-n", ns, "link", "set", ifname, "up");
        Sh.ok("ip", "-n", sw(), "link", "set", port, "master", bridge, "up");
    }

    /** The MAC of an interface of the host. */
    String mac(String host, String ifname) {
        Matcher m = Pattern.compile("\"address\":\"([0-9a-f:]{17})\"").matcher(Sh.ok("ip", "-n", ns(host), "-j", "link",
                "show", ifname));
        if (!m.find()) {
            throw new IllegalStateException("no MAC for " + ifname + " in " + ns(host));
        }
        return m.group(1);
    }

    String sw() {
        return prefix + "sw";
    }

    String ns(String host) {
        return prefix + host;
    }

    static String port(String host) {
        return "p-" + host;
    }

    static String ipv4(String router) {
        return "192.0.2.1" + router.substring(1);
    }

    /** The host's lan0 MAC. */
    String mac(String host) {
        Matcher m = Pattern.compile("\"address\":\"([0-9a-f:]{17})\"").matcher(Sh.ok("ip", "-n", ns(host), "-j", "link",
                "show", "lan0"));
        if (!m.find()) {
            throw new IllegalStateException("no MAC for lan0 in " + ns(host));
        }
        return m.group(1);
    }

    /** The addresses on the host's lan0, from {@code ip -j addr}. */
    List<String> addresses(String host) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"local\":\"([^\"]+)\"").matcher(Sh.ok("ip", "-n", ns(host), "-j", "addr", "show",
                "dev", "lan0"));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    boolean hasAddress(String host, String address) {
        return addresses(host).contains(address);
    }

    /** The routers (r1, r2, ...) whose lan0 carries the address. */
    List<String> holders(String address) {
        return hosts.stream().filter(h -> h.startsWith("r")).filter(h -> hasAddress(h, address)).toList();
    }

    /** The MAC the host's neighbour table holds for the address, or "" if none. */
    String neighbour(String host, String address) {
        Matcher m = Pattern.compile("\"lladdr\":\"([0-9a-f:]{17})\"").matcher(Sh.ok("ip", "-n", ns(host), "-j", "neigh",
                "show", address, "dev", "lan0"));
        return m.find() ? m.group(1) : "";
    }

    /** Carrier loss seen by the host: its switch port goes down. */
    void switchPort(String host, boolean up) {
        Sh.ok("ip", "-n", sw(), "link", "set", port(host), up ? "up" : "down");
    }

    void lan0(String host, boolean up) {
        Sh.ok("ip", "-n", ns(host), "link", "set", "lan0", up ? "up" : "down");
    }

    /** Every port and every lan0 up again (a test may have left one down). */
    void restoreLinks() {
        for (String h : hosts) {
            Sh.quiet("ip", "-n", sw(), "link", "set", port(h), "up");
            Sh.quiet("ip", "-n", ns(h), "link", "set", "lan0", "up");
        }
    }

    /** Removes addresses other than the host's own from the routers' lan0 (VIPs left by a SIGKILLed peer). */
    void flushVips() {
        for (String h : hosts) {
            for (String a : List.of(VIP4 + "/24", VIP6 + "/64")) {
                Sh.quiet("ip", "-n", ns(h), "addr", "del", a, "dev", "lan0");
            }
        }
    }

    /** Kills whatever runs in the namespaces (TERM, then KILL, by PID) and deletes them. */
    @Override
    public void close() {
        List<String> reversed = new ArrayList<>(namespaces);
        java.util.Collections.reverse(reversed);
        for (String sig : List.of("-TERM", "-KILL")) {
            boolean any = false;
            for (String ns : reversed) {
                for (String pid : Sh.quiet("ip", "netns", "pids", ns).out().split("\\s+")) {
                    if (!pid.isBlank()) {
                        Sh.quiet("kill", sig, pid);
                        any = true;
                    }
                }
            }
            if (any && sig.equals("-TERM")) {
                awaitNoPids(reversed, 3000);
            }
        }
        for (String ns : reversed) {
            Sh.quiet("ip", "netns", "del", ns);
        }
        namespaces.clear();
    }

    private static void awaitNoPids(List<String> nss, long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            boolean any = nss.stream().anyMatch(ns -> !Sh.quiet("ip", "netns", "pids", ns).out().isBlank());
            if (!any) {
                return;
            }
            try {
                Thread.sleep(50); // polling a process table; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
