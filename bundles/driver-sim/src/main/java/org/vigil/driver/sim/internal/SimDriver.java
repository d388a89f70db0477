package org.vigil.driver.sim.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.driver.sim.SimControl;
import org.vigil.driver.sim.SimFrame;
import org.vigil.driver.sim.SimLanEndpoint;

/**
 * The simulated router's network: an {@link InterfaceDriver} whose channels carry IP packets as
 * {@link SimFrame}s over one {@link SimLanEndpoint}, and a {@link VipManager} that records held
 * addresses and announces each acquired one on the LAN. All interfaces of a node sit on the same
 * LAN (one hub); a second segment needs a second LAN, that is a second base port.
 */
@Component(configurationPid = SimDriver.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { InterfaceDriver.class, VipManager.class, SimControl.class },
        property = { InterfaceDriver.NAME_PROPERTY + "=" + SimDriver.NAME,
                VipManager.NAME_PROPERTY + "=" + SimDriver.NAME,
                // A real driver outranks the simulation when both are present
                "service.ranking:Integer=-100" })
@Designate(ocd = SimDriver.Config.class)
public final class SimDriver implements InterfaceDriver, VipManager, SimControl {

    static final String PID = "org.vigil.driver.sim";
    static final String NAME = "sim";
    /** RFC 5798 section 5.1.1.3 (IPv4 TTL) and 5.1.2.3 (IPv6 hop limit): sent as 255. */
    static final int SEND_TTL = 255;

    @ObjectClassDefinition(name = "Vigil simulated LAN driver",
            description = "Carries VRRP packets between Vigil runtimes as UDP datagrams on 127.0.0.1; needs no root.")
    public @interface Config {
        @AttributeDefinition(name = "LAN", description = "First UDP port of the LAN's port range; names the LAN")
        int lan_port() default SimLanEndpoint.DEFAULT_BASE_PORT;

        @AttributeDefinition(name = "Slots", description = "Number of ports, that is routers, the LAN can hold")
        int lan_slots() default SimLanEndpoint.DEFAULT_SLOTS;

        @AttributeDefinition(name = "Node", description = "This router's name on the LAN")
        String node();

        @AttributeDefinition(name = "Interfaces",
                description = "Each: name [IPv4/prefix] [IPv6 link-local] [MAC], e.g. 'lan0 192.0.2.11/24 fe80::11 02:00:00:00:00:11'")
        String[] interfaces();

        @AttributeDefinition(name = "Delay", description = "Delay added to every frame sent, ms")
        long delay_ms() default 0;

        @AttributeDefinition(name = "Loss", description = "Share of sent frames lost, percent", min = "0", max = "100")
        int loss_percent() default 0;

        @AttributeDefinition(name = "Ranking", description = "Service ranking; below a real driver's by default")
        int service_ranking() default -100;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SimDriver.class);

    private final List<SimChannel> channels = new CopyOnWriteArrayList<>();
    private final List<LinkListener> linkListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> linkUp = new ConcurrentHashMap<>();
    /** Guarded by itself. */
    private final Map<String, Set<VirtualAddress>> held = new HashMap<>();
    private volatile String node;
    private volatile Map<String, SimInterface> interfaces;
    private volatile SimLanEndpoint endpoint;

    @Activate
    public SimDriver(Config config) throws IOException {
        Settings settings = Settings.of(config);
        apply(settings);
        endpoint = openEndpoint(settings);
        LOG.info("simulated LAN {}: node {} on port {}, interfaces {}", settings.lanPort, node, endpoint.port(),
                interfaces.values());
    }

    @Modified
    void modified(Config config) throws IOException {
        Settings settings = Settings.of(config);
        SimLanEndpoint old = endpoint;
        if (settings.lanPort != old.basePort() || settings.lanSlots != old.slots()) {
            // Join the new LAN before leaving the old one, so a failed bind leaves the driver working
            SimLanEndpoint fresh = openEndpoint(settings);
            endpoint = fresh;
            old.close();
            LOG.info("simulated LAN {}: node {} moved to port {}", settings.lanPort, settings.node, fresh.port());
        }
        apply(settings);
        endpoint.setDelayMillis(settings.delayMs);
        endpoint.setLossPercent(settings.lossPercent);
    }

    @Deactivate
    void deactivate() {
        for (SimChannel c : channels) {
            c.close();
        }
        linkListeners.clear();
        endpoint.close();
    }

    private SimLanEndpoint openEndpoint(Settings settings) throws IOException {
        // Seeded by node name: a loss pattern repeats from run to run, yet differs between routers
        SimLanEndpoint e = SimLanEndpoint.open(settings.lanPort, settings.lanSlots, settings.node.hashCode(),
                this::onFrame);
        e.setDelayMillis(settings.delayMs);
        e.setLossPercent(settings.lossPercent);
        return e;
    }

    /** Takes node and interfaces; links of new interfaces start up, removed ones are reported down. */
    private void apply(Settings settings) {
        Map<String, SimInterface> before = interfaces == null ? Map.of() : interfaces;
        node = settings.node;
        interfaces = settings.interfaces;
        for (String name : settings.interfaces.keySet()) {
            if (linkUp.putIfAbsent(name, Boolean.TRUE) == null) {
                fireLink(name, true);
            }
        }
        for (String name : before.keySet()) {
            if (!settings.interfaces.containsKey(name) && Boolean.TRUE.equals(linkUp.remove(name))) {
                fireLink(name, false);
            }
        }
    }

    // ---- InterfaceDriver

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        SimInterface iface = interfaces.get(spec.interfaceName());
        if (iface == null) {
            throw new IOException("no interface " + spec.interfaceName() + " on simulated node " + node
                    + " (configured: " + interfaces.keySet() + ")");
        }
        InetAddress source = spec.source() != null ? spec.source()
                : spec.family() == IpFamily.IPV4 ? iface.ipv4() : iface.ipv6();
        if (source == null) {
            throw new IOException("interface " + iface.name() + " on simulated node " + node + " has no "
                    + (spec.family() == IpFamily.IPV4 ? "IPv4" : "IPv6 link-local") + " address");
        }
        if (IpFamily.of(source) != spec.family()) {
            throw new IOException("source " + source.getHostAddress() + " is not " + spec.family());
        }
        SimChannel channel = new SimChannel(spec, listener, source);
        channels.add(channel);
        return channel;
    }

    @Override
    public Optional<LinkInfo> link(String interfaceName) {
        SimInterface iface = interfaces.get(interfaceName);
        return iface == null ? Optional.empty() : Optional.of(iface.linkInfo(isUp(interfaceName)));
    }

    @Override
    public AutoCloseable watchLinks(LinkListener listener) {
        Objects.requireNonNull(listener, "listener");
        linkListeners.add(listener);
        return () -> linkListeners.remove(listener);
    }

    private boolean isUp(String interfaceName) {
        return linkUp.getOrDefault(interfaceName, Boolean.FALSE);
    }

    /** On the endpoint's receive thread. */
    private void onFrame(SimFrame frame) {
        if (frame.senderNode().equals(node)) {
            // Another endpoint of our own node (or a stale copy of us): no multicast loop
            return;
        }
        if (frame.kind() == SimFrame.Kind.IP_PACKET || frame.kind() == SimFrame.Kind.IP_DATAGRAM) {
            for (SimChannel c : channels) {
                c.offer(frame);
            }
        } else if (frame.kind() == SimFrame.Kind.VIP_ANNOUNCEMENT) {
            LOG.debug("simulated LAN: {} announces {}", frame.senderNode(), frame.source().getHostAddress());
        }
    }

    // ---- VipManager

    @Override
    public void acquire(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            AnnouncePolicy policy) {
        synchronized (held) {
            held.computeIfAbsent(instance, k -> new LinkedHashSet<>()).addAll(addresses);
        }
        if (!routes.isEmpty()) {
            LOG.debug("({}) simulated routes {}", instance, routes);
        }
        // Every address the core hands over is announced, held before or not: the core calls
        // acquire when it takes over, which is when keepalived sends its gratuitous ARPs. One
        // announcement stands for the whole schedule: the simulated LAN loses nothing.
        if (policy.announces()) {
            for (VirtualAddress a : addresses) {
                announce(instance, a);
            }
        }
    }

    @Override
    public void announce(String instance, AnnouncePolicy policy) {
        if (policy.announces()) {
            for (VirtualAddress a : held(instance)) {
                announce(instance, a);
            }
        }
    }

    @Override
    public void release(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes) {
        synchronized (held) {
            Set<VirtualAddress> set = held.get(instance);
            if (set != null) {
                set.removeAll(addresses);
                if (set.isEmpty()) {
                    held.remove(instance);
                }
            }
        }
    }

    @Override
    public Set<VirtualAddress> held(String instance) {
        synchronized (held) {
            return Set.copyOf(held.getOrDefault(instance, Set.of()));
        }
    }

    /** Carries the frame to every other node as a {@link SimFrame.Kind#ETHERNET_FRAME}, if the link is up. */
    @Override
    public void sendFrame(String interfaceName, byte[] frame, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        SimInterface iface = interfaces.get(interfaceName);
        if (iface == null) {
            throw new IOException("no simulated interface " + interfaceName);
        }
        if (!isUp(interfaceName)) {
            throw new IOException("simulated link " + interfaceName + " is down");
        }
        endpoint.send(SimFrame.ethernet(Arrays.copyOfRange(frame, offset, offset + length), iface.mac(), node));
    }

    private void announce(String instance, VirtualAddress address) {
        SimInterface iface = interfaces.get(address.device());
        if (iface != null && !isUp(iface.name())) {
            LOG.debug("({}) not announcing {}: link {} is down", instance, address.cidr(), iface.name());
            return;
        }
        byte[] mac = iface != null ? iface.mac() : SimInterface.derivedMac(node, address.device());
        try {
            endpoint.send(SimFrame.vipAnnouncement(address.address(), mac, node));
            LOG.debug("({}) simulated {} on {} for {}", instance,
                    address.address() instanceof Inet4Address ? "gratuitous ARP" : "unsolicited Neighbour Advert",
                    address.device(), address.address().getHostAddress());
        } catch (IOException e) {
            LOG.warn("({}) announcing {} on the simulated LAN failed: {}", instance, address.cidr(), e.toString());
        }
    }

    // ---- SimControl

    @Override
    public String node() {
        return node;
    }

    @Override
    public int lanPort() {
        return endpoint.basePort();
    }

    @Override
    public int localPort() {
        return endpoint.port();
    }

    @Override
    public List<String> interfaces() {
        return List.copyOf(interfaces.keySet());
    }

    @Override
    public void setLinkUp(String interfaceName, boolean up) {
        requireInterface(interfaceName);
        Boolean before = linkUp.put(interfaceName, up);
        if (before == null || before != up) {
            LOG.info("simulated node {}: link {} {}", node, interfaceName, up ? "up" : "down");
            fireLink(interfaceName, up);
        }
    }

    @Override
    public boolean isLinkUp(String interfaceName) {
        requireInterface(interfaceName);
        return isUp(interfaceName);
    }

    @Override
    public void setDelayMillis(long delayMillis) {
        endpoint.setDelayMillis(delayMillis);
    }

    @Override
    public void setLossPercent(int lossPercent) {
        endpoint.setLossPercent(lossPercent);
    }

    @Override
    public Map<String, Set<String>> heldAddresses() {
        synchronized (held) {
            Map<String, Set<String>> result = new TreeMap<>();
            held.forEach((instance, set) -> result.put(instance,
                    set.stream().map(VirtualAddress::cidr).collect(Collectors.toCollection(LinkedHashSet::new))));
            return result;
        }
    }

    private void requireInterface(String interfaceName) {
        if (!interfaces.containsKey(interfaceName)) {
            throw new IllegalArgumentException("no interface " + interfaceName + " on simulated node " + node
                    + " (configured: " + interfaces.keySet() + ")");
        }
    }

    /** On the caller's thread, which acts as the driver's thread: listeners must not block anyway. */
    private void fireLink(String interfaceName, boolean up) {
        for (LinkListener l : linkListeners) {
            try {
                l.linkChanged(interfaceName, up);
            } catch (RuntimeException e) {
                LOG.warn("link listener failed on {} {}", interfaceName, up ? "up" : "down", e);
            }
        }
    }

    /** One open channel; all of them share the driver's endpoint. */
    private final class SimChannel implements PacketChannel {
        private final ChannelSpec spec;
        private final PacketListener listener;
        private final InetAddress source;
        private volatile boolean closed;

        SimChannel(ChannelSpec spec, PacketListener listener, InetAddress source) {
            this.spec = spec;
            this.listener = listener;
            this.source = source;
        }

        @Override
        public void send(byte[] payload, int offset, int length, InetAddress destination) throws IOException {
            if (closed) {
                throw new IOException("channel closed");
            }
            SimInterface iface = interfaces.get(spec.interfaceName());
            if (iface == null) {
                throw new IOException("interface " + spec.interfaceName() + " is gone from simulated node " + node);
            }
            if (!isUp(iface.name())) {
                // What a raw socket says on a downed interface (ENETDOWN)
                throw new IOException("Network is down: " + iface.name() + " on simulated node " + node);
            }
            if (IpFamily.of(destination) != spec.family()) {
                throw new IOException("destination " + destination.getHostAddress() + " is not " + spec.family());
            }
            endpoint.send(SimFrame.packet(spec.protocol(), SEND_TTL, source, destination, iface.mac(), node,
                    Arrays.copyOfRange(payload, offset, offset + length)));
        }

        /**
         * IP_HDRINCL on the simulated LAN: the datagram goes as built, with the header checksum
         * filled in as the kernel would, from the header's source address.
         */
        @Override
        public void sendDatagram(byte[] datagram, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("channel closed");
            }
            if (spec.family() != IpFamily.IPV4) {
                throw new IOException("caller-built datagrams are IPv4 only; channel on " + spec.interfaceName()
                        + " is " + spec.family());
            }
            SimInterface iface = interfaces.get(spec.interfaceName());
            if (iface == null) {
                throw new IOException("interface " + spec.interfaceName() + " is gone from simulated node " + node);
            }
            if (!isUp(iface.name())) {
                throw new IOException("Network is down: " + iface.name() + " on simulated node " + node);
            }
            Objects.checkFromIndexSize(offset, length, datagram.length);
            byte[] copy = Arrays.copyOfRange(datagram, offset, offset + length);
            SimFrame frame;
            try {
                int ihl = copy.length < SimFrame.IPV4_MIN_HEADER ? 0 : (copy[0] & 0x0f) * 4;
                if (ihl >= SimFrame.IPV4_MIN_HEADER && ihl <= copy.length) {
                    copy[10] = 0;
                    copy[11] = 0;
                    int sum = SimFrame.ipv4HeaderChecksum(Arrays.copyOf(copy, ihl));
                    copy[10] = (byte) (sum >>> 8);
                    copy[11] = (byte) sum;
                }
                frame = SimFrame.datagram(copy, iface.mac(), node);
            } catch (IllegalArgumentException e) {
                // what sendmsg says to a malformed IP_HDRINCL datagram
                throw new IOException("Invalid argument: " + e.getMessage(), e);
            }
            endpoint.send(frame);
        }

        /** On the endpoint's receive thread. */
        void offer(SimFrame frame) {
            if (closed || frame.protocol() != spec.protocol()
                    || frame.ipVersion() != (spec.family() == IpFamily.IPV4 ? 4 : 6)) {
                return;
            }
            SimInterface iface = interfaces.get(spec.interfaceName());
            if (iface == null || !isUp(iface.name())) {
                return;
            }
            InetAddress dst = frame.destination();
            // Each channel hears its own mode only, so an instance never gets one packet twice
            boolean forUs = spec.unicast() ? !dst.isMulticastAddress() && (dst.equals(source) || iface.owns(dst))
                    : dst.equals(spec.group());
            if (!forUs) {
                return;
            }
            // a raw IPv4 socket hands over the header too (a caller-built one as it was sent)
            byte[] data = frame.ipPayload();
            try {
                listener.received(new ReceivedPacket(iface.name(), frame.source(), dst, frame.ttl(),
                        frame.protocol(), frame.ipv4Header(), data, 0, data.length, System.nanoTime()));
            } catch (RuntimeException e) {
                LOG.warn("packet listener on {} failed", iface.name(), e);
            }
        }

        @Override
        public InetAddress sourceAddress() {
            return source;
        }

        @Override
        public void close() {
            closed = true;
            channels.remove(this);
        }
    }

    /** A validated configuration. */
    private record Settings(int lanPort, int lanSlots, String node, Map<String, SimInterface> interfaces,
            long delayMs, int lossPercent) {

        static Settings of(Config config) {
            String node = config.node();
            if (node == null || node.isBlank()) {
                throw new IllegalArgumentException(PID + ": 'node' must name this router");
            }
            Map<String, SimInterface> interfaces = new LinkedHashMap<>();
            String[] entries = config.interfaces() == null ? new String[0] : config.interfaces();
            for (String entry : entries) {
                if (entry == null || entry.isBlank()) {
                    continue;
                }
                SimInterface iface = SimInterface.parse(entry, node.trim(), interfaces.size());
                if (interfaces.putIfAbsent(iface.name(), iface) != null) {
                    throw new IllegalArgumentException(PID + ": interface " + iface.name() + " configured twice");
                }
            }
            if (config.loss_percent() < 0 || config.loss_percent() > 100) {
                throw new IllegalArgumentException(PID + ": loss.percent must be 0..100, is " + config.loss_percent());
            }
            if (config.delay_ms() < 0) {
                throw new IllegalArgumentException(PID + ": delay.ms must not be negative, is " + config.delay_ms());
            }
            return new Settings(config.lan_port(), config.lan_slots(), node.trim(), Collections.unmodifiableMap(interfaces),
                    config.delay_ms(), config.loss_percent());
        }
    }
}
