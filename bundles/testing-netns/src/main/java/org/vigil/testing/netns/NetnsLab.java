package org.vigil.testing.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away lab of network namespaces: a switch namespace with a bridge (multicast snooping
 * off) and one namespace per host, each with a veth {@code lan0} whose peer is a bridge port
 * {@code p<host>}. Documentation addresses only; the host's own interfaces are never touched.
 * Shared by the namespace tests of driver-linux, driver-pcap and vip; entering a namespace from
 * the JVM is each bundle's own (NamespaceThread), because each binds libc its own way.
 */
public final class NetnsLab implements AutoCloseable {

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();

    /**
     * @param tag names this lab's namespaces ("vigil-TAG-PID-host"), so concurrent or leftover
     *            labs of other tests never collide
     */
    public NetnsLab(String tag) {
        prefix = "vigil-" + tag + "-" + ProcessHandle.current().pid() + "-";
    }

    /**
     * Skips the calling test class without root, with the reason; under CI=true a missing root
     * or a missing {@code ip} fails instead, so a CI run cannot pass by skipping ({@link HostRequirement}).
     */
    public static void requireRootAndIp(String tests) {
        String uid;
        try {
            uid = run(List.of("id", "-u")).trim();
        } catch (IOException e) {
            uid = "unknown";
        }
        boolean root = "0".equals(uid);
        boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip"));
        String reason = !root ? tests + " need root (uid " + uid + "): they create network namespaces"
                : tests + " need iproute2's ip (apt-get install -y iproute2)";
        HostRequirement.require(root && ip, reason);
    }

    public String ns(String name) {
        return prefix + name;
    }

    /** Creates the switch namespace and bridge. */
    public void createSwitch() throws IOException {
        add("sw");
        ip("-n", ns("sw"), "link", "add", "br0", "type", "bridge", "mcast_snooping", "0", "stp_state", "0",
                "forward_delay", "0");
        ip("-n", ns("sw"), "link", "set", "br0", "up");
    }

    /**
     * Adds a host namespace with lan0 on the bridge, the given MAC (so the link-local address is
     * known) and addresses; IPv6 duplicate address detection off so addresses work at once.
     */
    public void addHost(String host, String mac, String... cidrs) throws IOException {
        add(host);
        ip("-n", ns("sw"), "link", "add", "p" + host, "type", "veth", "peer", "name", "lan0", "netns", ns(host));
        sh("ip", "netns", "exec", ns(host), "sysctl", "-qw", "net.ipv6.conf.lan0.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0");
        ip("-n", ns(host), "link", "set", "lan0", "address", mac);
        for (String cidr : cidrs) {
            if (cidr.contains(":")) {
                ip("-n", ns(host), "addr", "add", cidr, "dev", "lan0", "nodad");
            } else {
                ip("-n", ns(host), "addr", "add", cidr, "dev", "lan0");
            }
        }
        ip("-n", ns(host), "link", "set", "lan0", "up");
        ip("-n", ns("sw"), "link", "set", "p" + host, "master", "br0", "up");
    }

    private void add(String name) throws IOException {
        ip("netns", "add", ns(name));
        namespaces.add(ns(name));
    }

    /** Runs ip with these arguments; fails with its output when it exits non-zero. */
    public static String ip(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        return run(command);
    }

    public static String sh(String... command) throws IOException {
        return run(List.of(command));
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command + " interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command + " exited " + p.exitValue() + ": " + out.trim());
        }
        return out;
    }

    /** Kills what runs in the namespaces (by PID, never this JVM) and deletes them; never throws. */
    @Override
    public void close() {
        long self = ProcessHandle.current().pid();
        for (String ns : namespaces) {
            try {
                for (String line : ip("netns", "pids", ns).split("\\s+")) {
                    if (!line.isBlank() && Long.parseLong(line.trim()) != self) {
                        ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("listing processes of " + ns + ": " + e.getMessage());
            }
            try {
                ip("netns", "del", ns);
            } catch (IOException e) {
                System.err.println("deleting " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }
}
