package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.libc.Libc;

/**
 * The Linux interface driver: raw IP sockets for VRRP (protocol 112) and AH (51), rtnetlink for
 * link state, AF_PACKET for announcement frames, all through the native bundle's libc and
 * netlink. Needs CAP_NET_RAW.
 *
 * <p>Every socket is created on the calling thread and so lives in that thread's network
 * namespace; the driver never switches namespaces itself.
 */
@Component(configurationPid = LinuxDriver.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = InterfaceDriver.class,
        property = { InterfaceDriver.NAME_PROPERTY + "=" + LinuxDriver.NAME,
                // Outranks the simulated driver (-100): on a real host, real sockets win
                "service.ranking:Integer=100" })
@Designate(ocd = LinuxDriver.Config.class)
public final class LinuxDriver implements InterfaceDriver {

    static final String PID = "org.vigil.driver.linux";
    static final String NAME = "linux";
    /** IANA protocol numbers: VRRP (RFC 5798 section 5.1.1.4) and AH (RFC 4302). */
    static final int PROTOCOL_VRRP = 112;
    static final int PROTOCOL_AH = 51;

    @ObjectClassDefinition(name = "Vigil Linux interface driver",
            description = "Raw IP sockets, rtnetlink and packet sockets through jnr-ffi; needs CAP_NET_RAW. Runs without configuration.")
    public @interface Config {
        @AttributeDefinition(name = "Ranking", description = "Service ranking; above the simulated driver's by default")
        int service_ranking() default 100;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LinuxDriver.class);
    /** Whether the reason it cannot start was logged (in this bundle's lifetime). */
    private static final java.util.concurrent.atomic.AtomicBoolean REPORTED = new java.util.concurrent.atomic.AtomicBoolean();

    private final List<RawChannel> channels = new CopyOnWriteArrayList<>();
    private final Map<String, PacketSocket> packetSockets = new ConcurrentHashMap<>();
    private final Map<String, Integer> packetSocketIndex = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private LinkMonitor monitor;
    private volatile boolean deactivated;

    @Activate
    public LinuxDriver() throws IOException {
        // Fail at once, with the reason, rather than on the first channel
        int probe = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, PROTOCOL_VRRP);
        if (probe < 0) {
            IOException e = Libc.failure("raw IP sockets need CAP_NET_RAW; socket(AF_INET, SOCK_RAW, 112)");
            // one line that says what to grant (SCR's own report of the failed activation is not shown),
            // once: SCR tries again for each consumer that looks the driver up
            if (REPORTED.compareAndSet(false, true)) {
                LOG.error("Linux interface driver not started: {}", e.getMessage());
            }
            throw e;
        }
        Libc.close(probe);
        LOG.info("Linux interface driver ready (raw sockets through jnr-ffi)");
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        for (RawChannel c : channels) {
            c.close();
            c.awaitClosed(2000);
        }
        synchronized (this) {
            if (monitor != null) {
                monitor.stop();
                monitor = null;
            }
        }
        packetSockets.values().forEach(PacketSocket::close);
        packetSockets.clear();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        if (deactivated) {
            throw new IOException("Linux interface driver is stopped");
        }
        if (spec.protocol() != PROTOCOL_VRRP && spec.protocol() != PROTOCOL_AH) {
            throw new IOException("protocol " + spec.protocol() + " is neither VRRP (112) nor AH (51)");
        }
        if (spec.family() == IpFamily.IPV6 && spec.protocol() == PROTOCOL_AH) {
            throw new IOException("AH is defined for IPv4 VRRPv2 only");
        }
        if (!spec.unicast() && (IpFamily.of(spec.group()) != spec.family() || !spec.group().isMulticastAddress())) {
            throw new IOException("group " + spec.group().getHostAddress() + " is not an " + spec.family()
                    + " multicast address");
        }
        int ifindex = ifindex(spec.interfaceName());
        InetAddress source = spec.source() != null ? spec.source() : defaultSource(spec);
        if (IpFamily.of(source) != spec.family()) {
            throw new IOException("source " + source.getHostAddress() + " is not " + spec.family());
        }
        String threadName = "vigil-linux-rx-" + spec.interfaceName() + "-"
                + (spec.family() == IpFamily.IPV4 ? "v4" : "v6") + "-" + spec.protocol()
                + (spec.unicast() ? "-unicast" : "");
        RawChannel channel = spec.family() == IpFamily.IPV4
                // AH's ICV covers the IP header, so its channel sends caller-built datagrams (IP_HDRINCL)
                ? new Ipv4Channel(spec, listener, ifindex, (Inet4Address) source,
                        spec.protocol() == PROTOCOL_AH, channels::remove)
                : new Ipv6Channel(spec, listener, ifindex, (Inet6Address) source, channels::remove);
        channel.start(spec.family() == IpFamily.IPV4 ? Libc.AF_INET : Libc.AF_INET6, threadName);
        channels.add(channel);
        LOG.debug("opened {} from {}", channel, source.getHostAddress());
        return channel;
    }

    private InetAddress defaultSource(ChannelSpec spec) throws IOException {
        LinkInfo info = link(spec.interfaceName())
                .orElseThrow(() -> new IOException("no interface " + spec.interfaceName()));
        InetAddress a = spec.family() == IpFamily.IPV4 ? info.primaryIpv4() : info.linkLocalIpv6();
        if (a == null) {
            throw new IOException("interface " + spec.interfaceName() + " has no "
                    + (spec.family() == IpFamily.IPV4 ? "IPv4" : "IPv6 link-local") + " address");
        }
        return a;
    }

    private int ifindex(String interfaceName) throws IOException {
        int index = Libc.ifNameToIndex(interfaceName);
        if (index <= 0) {
            throw new IOException("no interface " + interfaceName);
        }
        return index;
    }

    /**
     * From the link monitor's cache while anyone watches links (the election core always does),
     * so the election thread never waits on a netlink dump; otherwise one dump.
     */
    @Override
    public Optional<LinkInfo> link(String interfaceName) {
        LinkMonitor m;
        synchronized (this) {
            m = monitor;
        }
        if (m != null) {
            return Optional.ofNullable(m.info(interfaceName));
        }
        try (Rtnetlink nl = Rtnetlink.open(0)) {
            Rtnetlink.Link found = null;
            for (Rtnetlink.Link l : nl.dumpLinks()) {
                if (interfaceName.equals(l.name())) {
                    found = l;
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            InetAddress ipv4 = null;
            InetAddress linkLocal = null;
            for (Rtnetlink.Address a : nl.dumpAddresses()) {
                if (a.index() != found.index()) {
                    continue;
                }
                // The kernel lists the primary address first; secondaries carry IFA_F_SECONDARY
                if (ipv4 == null && a.family() == Libc.AF_INET && !a.secondary()) {
                    ipv4 = a.address();
                } else if (linkLocal == null && a.family() == Libc.AF_INET6 && a.scope() == Linux.RT_SCOPE_LINK) {
                    linkLocal = a.address();
                }
            }
            return Optional.of(info(found, ipv4, linkLocal));
        } catch (IOException e) {
            LOG.warn("reading link {} through rtnetlink failed: {}", interfaceName, e.getMessage());
            return Optional.empty();
        }
    }

    static LinkInfo info(Rtnetlink.Link link, InetAddress ipv4, InetAddress linkLocal) {
        byte[] mac = link.mac() != null && link.mac().length == 6 ? link.mac() : new byte[6];
        return new LinkInfo(link.name(), link.index(), mac, ipv4, linkLocal, link.up());
    }

    @Override
    public synchronized AutoCloseable watchLinks(LinkListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (monitor == null) {
            try {
                monitor = new LinkMonitor();
            } catch (IOException e) {
                throw new IllegalStateException("cannot watch links through rtnetlink: " + e.getMessage(), e);
            }
        }
        LinkMonitor m = monitor;
        m.add(listener);
        return () -> unwatch(m, listener);
    }

    private synchronized void unwatch(LinkMonitor m, LinkListener listener) {
        m.remove(listener);
        if (m == monitor && !m.hasListeners()) {
            m.stop();
            monitor = null;
        }
    }

    /**
     * Sends one Ethernet frame, header included, on an interface: gratuitous ARP and unsolicited
     * neighbour advertisements as built by org.vigil.codec.AnnouncementFrames. Proposed for the
     * API as {@code InterfaceDriver.sendFrame(String interfaceName, byte[] frame)}.
     */
    public void sendFrame(String interfaceName, byte[] frame) throws IOException {
        sendFrame(interfaceName, frame, 0, frame.length);
    }

    /** Sends one whole Ethernet frame through AF_PACKET, opened in the calling thread's namespace. */
    @Override
    public void sendFrame(String interfaceName, byte[] frame, int offset, int length) throws IOException {
        Objects.requireNonNull(frame, "frame");
        Objects.checkFromIndexSize(offset, length, frame.length);
        if (deactivated) {
            throw new IOException("Linux interface driver is stopped");
        }
        int ifindex = ifindex(interfaceName);
        PacketSocket socket;
        synchronized (packetSockets) {
            socket = packetSockets.get(interfaceName);
            Integer knownIndex = packetSocketIndex.get(interfaceName);
            if (socket == null || knownIndex == null || knownIndex != ifindex) {
                // New, or the interface was recreated under the same name
                if (socket != null) {
                    socket.close();
                }
                socket = new PacketSocket(interfaceName, ifindex);
                packetSockets.put(interfaceName, socket);
                packetSocketIndex.put(interfaceName, ifindex);
            }
        }
        socket.send(frame, offset, length);
    }
}
