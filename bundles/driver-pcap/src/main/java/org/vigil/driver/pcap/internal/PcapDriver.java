package org.vigil.driver.pcap.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.vrrp.IpFamily;

/**
 * The pcap interface driver: VRRP (protocol 112) and AH (51) captured and injected at layer 2
 * through pcap4j and libpcap, every frame built here; link state polled. Needs libpcap and
 * CAP_NET_RAW. Ranked below driver-linux, which stays the default.
 *
 * <p>Handles and threads are created on the calling thread and so live in its network namespace.
 */
@Component(configurationPid = PcapDriver.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = InterfaceDriver.class,
        property = { InterfaceDriver.NAME_PROPERTY + "=" + PcapDriver.NAME,
                // Below driver-linux (100), above driver-sim (-100)
                "service.ranking:Integer=50" })
@Designate(ocd = PcapDriver.Config.class)
public final class PcapDriver implements InterfaceDriver {

    static final String PID = "org.vigil.driver.pcap";
    static final String NAME = "pcap";
    /** IANA protocol numbers: VRRP (RFC 5798 section 5.1.1.4) and AH (RFC 4302). */
    static final int PROTOCOL_VRRP = 112;
    static final int PROTOCOL_AH = 51;
    /**
     * libpcap's pseudo-device on every interface: activation proves it may capture there. Not
     * "lo", which is down in a fresh network namespace, and pcap refuses a down interface.
     */
    private static final String PROBE_INTERFACE = "any";
    /** A capture filter no Ethernet frame passes (length at most 1). */
    private static final String NOTHING = "less 1";

    @ObjectClassDefinition(name = "Vigil pcap interface driver",
            description = "Captures and injects VRRP at layer 2 through pcap4j and libpcap; needs CAP_NET_RAW. Runs without configuration.")
    public @interface Config {
        @AttributeDefinition(name = "Ranking", description = "Service ranking; below the Linux driver's (100) by default")
        int service_ranking() default 50;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PcapDriver.class);

    /** Guarded by this. */
    private final Map<String, PcapPort> ports = new HashMap<>();
    /** Send-only handles for sendFrame on interfaces without a channel; guarded by this. */
    private final Map<String, PcapHandle> senders = new HashMap<>();
    /** Guarded by this. */
    private LinkPoller poller;
    private volatile boolean deactivated;

    /**
     * Why libpcap could not be loaded, from the first attempt (pcap4j's native mappings fail once with
     * the loader's reason, and then only as "Could not initialize class"); null until then.
     */
    private static volatile String libpcapFailure;

    /**
     * Loads libpcap and proves it may capture. The core activates a driver only when it selects it
     * (ElectionCore gets the service object of the selected driver alone), so beside the Linux
     * driver this never runs and libpcap is never loaded; when it runs, it is on the selecting
     * thread (a service event, {@code vrrp:driver pcap}), not the election thread, which only
     * opens channels afterwards. A failure is one line; the core then passes this driver over.
     */
    @Activate
    public PcapDriver() throws IOException {
        String version;
        try {
            version = Pcaps.libVersion();
        } catch (LinkageError e) {
            if (libpcapFailure == null) {
                libpcapFailure = oneLine(e.getMessage() != null ? e.getMessage() : e.toString());
            }
            LOG.error("pcap interface driver not started: libpcap cannot be loaded ({}); install libpcap0.8",
                    libpcapFailure);
            throw new IOException("libpcap cannot be loaded: " + libpcapFailure);
        }
        // Fail at once, with the reason, rather than on the first channel
        try {
            PcapPort.openHandle(PROBE_INTERFACE).close();
        } catch (IOException e) {
            LOG.error("pcap interface driver not started: {}", e.getMessage());
            throw e;
        }
        LOG.info("pcap interface driver ready ({})", version);
    }

    /**
     * JNA's reason on one line: its message lists every place it searched, a line each (the dlopen
     * error, then the class path); the first line and the dlopen error say it.
     */
    static String oneLine(String message) {
        String[] lines = message.strip().split("\\R");
        return lines.length > 1 && lines[0].endsWith(":") ? lines[0] + " " + lines[1].strip() : lines[0];
    }

    @Deactivate
    synchronized void deactivate() {
        deactivated = true;
        ports.values().forEach(PcapPort::close);
        ports.clear();
        senders.values().forEach(PcapHandle::close);
        senders.clear();
        if (poller != null) {
            poller.stop();
            poller = null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
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
        Interfaces.Iface iface = Interfaces.read().get(spec.interfaceName());
        if (iface == null) {
            throw new IOException("no interface " + spec.interfaceName());
        }
        InetAddress source = spec.source() != null ? spec.source() : defaultSource(spec, iface);
        if (IpFamily.of(source) != spec.family()) {
            throw new IOException("source " + source.getHostAddress() + " is not " + spec.family());
        }
        synchronized (this) {
            if (deactivated) {
                throw new IOException("pcap interface driver is stopped");
            }
            PcapPort port = ports.get(spec.interfaceName());
            if (port == null || port.isClosed()) {
                port = new PcapPort(spec.interfaceName(), iface.mac());
                ports.put(spec.interfaceName(), port);
            }
            PcapPort owner = port;
            PcapChannel channel = new PcapChannel(spec, port, listener, source, spec.protocol() == PROTOCOL_AH,
                    c -> closed(owner, c));
            port.add(channel);
            LOG.debug("opened {} from {}", channel, source.getHostAddress());
            return channel;
        }
    }

    /** The last channel of an interface takes its capture thread and handle with it. */
    private synchronized void closed(PcapPort port, PcapChannel channel) {
        if (port.remove(channel) && ports.get(port.interfaceName) == port) {
            ports.remove(port.interfaceName);
            port.close();
        }
    }

    private static InetAddress defaultSource(ChannelSpec spec, Interfaces.Iface iface) throws IOException {
        InetAddress a = spec.family() == IpFamily.IPV4 ? primaryIpv4(iface) : linkLocal(iface);
        if (a == null) {
            throw new IOException("interface " + spec.interfaceName() + " has no "
                    + (spec.family() == IpFamily.IPV4 ? "IPv4" : "IPv6 link-local") + " address");
        }
        return a;
    }

    private static InetAddress primaryIpv4(Interfaces.Iface iface) {
        return iface.addresses().stream().filter(a -> a.getAddress().length == 4).findFirst().orElse(null);
    }

    private static InetAddress linkLocal(Interfaces.Iface iface) {
        return iface.addresses().stream().filter(a -> a instanceof Inet6Address && a.isLinkLocalAddress()).findFirst()
                .orElse(null);
    }

    @Override
    public Optional<LinkInfo> link(String interfaceName) {
        try {
            Interfaces.Iface iface = Interfaces.read().get(interfaceName);
            if (iface == null) {
                return Optional.empty();
            }
            return Optional.of(new LinkInfo(iface.name(), iface.index(), iface.mac(), primaryIpv4(iface),
                    linkLocal(iface), iface.up()));
        } catch (IOException e) {
            LOG.warn("reading link {} failed: {}", interfaceName, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public synchronized AutoCloseable watchLinks(LinkListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (poller == null) {
            try {
                poller = new LinkPoller();
            } catch (IOException e) {
                throw new IllegalStateException("cannot watch links: " + e.getMessage(), e);
            }
        }
        LinkPoller p = poller;
        p.add(listener);
        return () -> unwatch(p, listener);
    }

    private synchronized void unwatch(LinkPoller p, LinkListener listener) {
        p.remove(listener);
        if (p == poller && !p.hasListeners()) {
            p.stop();
            poller = null;
        }
    }

    /** Injects one whole Ethernet frame (GARP, unsolicited NA) through pcap. */
    @Override
    public void sendFrame(String interfaceName, byte[] frame, int offset, int length) throws IOException {
        Objects.requireNonNull(frame, "frame");
        Objects.checkFromIndexSize(offset, length, frame.length);
        byte[] bytes = offset == 0 ? frame : java.util.Arrays.copyOfRange(frame, offset, offset + length);
        PcapPort port;
        synchronized (this) {
            if (deactivated) {
                throw new IOException("pcap interface driver is stopped");
            }
            port = ports.get(interfaceName);
        }
        if (port != null && !port.isClosed()) {
            port.send(bytes, length);
            return;
        }
        try {
            sender(interfaceName, false).sendPacket(bytes, length);
        } catch (PcapNativeException | NotOpenException e) {
            // The interface may have been deleted and created again under the same name: one
            // retry on a fresh handle
            try {
                sender(interfaceName, true).sendPacket(bytes, length);
            } catch (PcapNativeException | NotOpenException again) {
                throw new IOException("sending a frame on " + interfaceName + ": " + again.getMessage(), again);
            }
        }
    }

    private synchronized PcapHandle sender(String interfaceName, boolean fresh) throws IOException {
        if (deactivated) {
            throw new IOException("pcap interface driver is stopped");
        }
        PcapHandle sender = senders.get(interfaceName);
        if (sender != null && (fresh || !sender.isOpen())) {
            if (sender.isOpen()) {
                sender.close();
            }
            sender = null;
        }
        if (sender == null) {
            sender = PcapPort.openHandle(interfaceName);
            try {
                // Never read: a filter that matches nothing keeps its buffer empty
                sender.setFilter(NOTHING, BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                sender.close();
                throw new IOException("filter on " + interfaceName + ": " + e.getMessage(), e);
            }
            senders.put(interfaceName, sender);
        }
        return sender;
    }
}
