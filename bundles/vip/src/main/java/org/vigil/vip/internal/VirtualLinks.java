package org.vigil.vip.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.libc.Libc;
import org.vigil.netlink.NetlinkSocket;
import org.vigil.netlink.NetlinkException;

/**
 * Creates, takes over and removes the interfaces of use_vmac (macvlan) and use_ipvlan through
 * rtnetlink, set up as keepalived 2.2.7 sets them (measured in the lab: lab notes of issue 13):
 * macvlan mode private with the virtual MAC, addrgenmode none; for IPv4 the sysctls arp_ignore 1,
 * accept_local 1, promote_secondaries 1, rp_filter 0 and disable_ipv6 1 on the new interface and
 * arp_ignore 1, arp_filter 1 on the parent; for IPv6 the parent's link-local address (nodad,
 * deprecated), never one derived from the virtual MAC (RFC 5798 section 7.4). Worker thread only.
 */
final class VirtualLinks {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualLinks.class);
    static final int ENODEV = 19;
    static final int EEXIST = 17;

    /** The sysctl tree of the calling thread's network namespace (proc resolves it per task). */
    private final Path sysctl;
    /** IPv6 addresses of the calling thread's namespace (not /proc/net: that is the process's). */
    private final Path ifInet6;

    VirtualLinks() {
        this(Path.of("/proc/sys/net"), Path.of("/proc/thread-self/net/if_inet6"));
    }

    VirtualLinks(Path sysctl, Path ifInet6) {
        this.sysctl = sysctl;
        this.ifInet6 = ifInet6;
    }

    private final VmacFilter filter = new VmacFilter();

    /** Makes the interface exist, configured and up; an existing one of the same kind on the same parent is reused. */
    void create(NetlinkSocket nl, String instance, VirtualInterface vi) throws IOException {
        int parent = Libc.ifNameToIndex(vi.parent());
        if (parent <= 0) {
            throw new IOException("no interface " + vi.parent());
        }
        Rtnl.Link existing = find(nl, vi.name());
        if (existing != null) {
            if (!vi.kind().linkKind().equals(existing.kind()) || existing.parent() != parent) {
                throw new IOException("interface " + vi.name() + " exists and is not a " + vi.kind().linkKind()
                        + " on " + vi.parent() + " (kind " + existing.kind() + ", parent ifindex " + existing.parent() + ")");
            }
            LOG.info("({}) Found matching interface {}", instance, vi.name());
        } else {
            int seq = nl.nextSequence();
            int error = nl.acknowledge(Rtnl.addVirtualLink(vi, parent, seq), seq);
            if (error != 0) {
                throw new IOException(Libc.strerror(-error) + " (errno " + -error + ")");
            }
            existing = find(nl, vi.name());
            if (existing == null) {
                throw new IOException(vi + " created but not found");
            }
            LOG.info("({}): Success creating {} interface {}", instance,
                    vi.kind() == VirtualInterface.Kind.MACVLAN ? "VMAC" : "ipvlan", vi.name());
        }
        int index = existing.index();
        check(nl, "addrgenmode none on " + vi.name(), seq -> Rtnl.addrGenModeNone(index, seq));
        if (vi.family() == IpFamily.IPV4) {
            for (String key : List.of("arp_ignore", "accept_local", "promote_secondaries")) {
                write("ipv4/conf/" + vi.name() + "/" + key, "1");
            }
            write("ipv4/conf/" + vi.name() + "/rp_filter", "0");
            if (vi.kind() == VirtualInterface.Kind.MACVLAN) {
                write("ipv6/conf/" + vi.name() + "/disable_ipv6", "1");
            }
            write("ipv4/conf/" + vi.parent() + "/arp_ignore", "1");
            write("ipv4/conf/" + vi.parent() + "/arp_filter", "1");
        }
        // before it is up: its first IGMP/MLD reports must not leave from the virtual MAC
        filter.add(instance, vi);
        check(nl, "setting " + vi.name() + " up", seq -> Rtnl.linkUp(index, seq));
        if (vi.family() == IpFamily.IPV6) {
            InetAddress linkLocal = linkLocal(vi.parent());
            if (linkLocal == null) {
                LOG.warn("({}) {} has no IPv6 link-local address to give {}", instance, vi.parent(), vi.name());
            } else {
                addAddress(nl, new VirtualAddress(linkLocal, 64, vi.name(), null, null, null, true, 0));
            }
        }
        if (vi.address() != null) {
            addAddress(nl, address(vi.address(), vi.name()));
        }
    }

    /** Removes the interface if it is there and of the kind; absent is fine. */
    void remove(NetlinkSocket nl, String instance, VirtualInterface vi) throws IOException {
        Rtnl.Link existing = find(nl, vi.name());
        if (existing == null) {
            return;
        }
        if (!vi.kind().linkKind().equals(existing.kind())) {
            LOG.warn("({}) not removing {}: it is not a {}", instance, vi.name(), vi.kind().linkKind());
            return;
        }
        // down first: the reports the kernel still repeats after the socket left the group (IGMPv3
        // and MLDv2 send each state change more than once) would leave from the virtual MAC once
        // the filter's entry is gone
        int index = existing.index();
        check(nl, "setting " + vi.name() + " down", seq -> Rtnl.linkDown(index, seq));
        filter.remove(instance, vi);
        int seq = nl.nextSequence();
        int error = nl.acknowledge(Rtnl.deleteLink(existing.index(), seq), seq);
        if (error != 0 && error != -ENODEV) {
            throw new IOException("removing " + vi + ": " + Libc.strerror(-error) + " (errno " + -error + ")");
        }
        LOG.info("({}) Success removing {} interface {}", instance,
                vi.kind() == VirtualInterface.Kind.MACVLAN ? "VMAC" : "ipvlan", vi.name());
    }

    /** The link of that name, or null when there is none. */
    static Rtnl.Link find(NetlinkSocket nl, String name) throws IOException {
        int seq = nl.nextSequence();
        try {
            for (ByteBuffer answer : nl.request(Rtnl.getLink(name, seq), seq)) {
                Rtnl.Link link = Rtnl.link(answer, seq);
                if (link != null) {
                    return link;
                }
            }
            throw new IOException("looking up " + name + ": no RTM_NEWLINK in the answer");
        } catch (NetlinkException e) {
            if (e.errno() == ENODEV) {
                return null;
            }
            throw new IOException("looking up " + name + ": " + Libc.strerror(e.errno()) + " (errno " + e.errno() + ")", e);
        }
    }

    private static void check(NetlinkSocket nl, String what, IntFunction<byte[]> request) throws IOException {
        int seq = nl.nextSequence();
        int error = nl.acknowledge(request.apply(seq), seq);
        if (error != 0) {
            throw new IOException(what + ": " + Libc.strerror(-error) + " (errno " + -error + ")");
        }
    }

    private static void addAddress(NetlinkSocket nl, VirtualAddress a) throws IOException {
        int seq = nl.nextSequence();
        int index = Libc.ifNameToIndex(a.device());
        int error = nl.acknowledge(Rtnl.addAddress(a, index, seq), seq);
        if (error != 0 && error != -EEXIST) {
            throw new IOException("adding " + a + ": " + Libc.strerror(-error) + " (errno " + -error + ")");
        }
    }

    /** One sysctl; a failure is logged, not fatal (keepalived runs on with the kernel's values too). */
    private void write(String key, String value) {
        Path p = sysctl.resolve(key);
        try {
            Files.writeString(p, value);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot set {} to {}: {}", key.replace('/', '.'), value, e.toString());
        }
    }

    /** The interface's IPv6 link-local address from if_inet6 ("fe80...  idx plen scope flags name"). */
    InetAddress linkLocal(String device) throws IOException {
        for (String line : Files.readAllLines(ifInet6, StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[5].equals(device) && Integer.parseInt(f[3], 16) == 0x20) {
                byte[] raw = new byte[16];
                for (int i = 0; i < 16; i++) {
                    raw[i] = (byte) Integer.parseInt(f[0].substring(2 * i, 2 * i + 2), 16);
                }
                return Inet6Address.getByAddress(null, raw);
            }
        }
        return null;
    }

    private static VirtualAddress address(String cidr, String device) {
        int slash = cidr.indexOf('/');
        String host = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!host.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address: '" + cidr + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            int prefix = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            return new VirtualAddress(a, prefix, device, null, null, null, true);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + cidr + "'", e);
        }
    }
}
