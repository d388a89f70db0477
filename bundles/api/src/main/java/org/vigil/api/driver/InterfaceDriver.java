package org.vigil.api.driver;

import java.io.IOException;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An interface driver carries VRRP packets between the election core and one kind of network
 * (raw sockets, libpcap, the simulated LAN). Registered as a service with the property
 * {@value #NAME_PROPERTY}; the core binds the highest ranked one and may swap it at run time, so
 * every channel must be independent of the driver object's lifetime except through close.
 */
@ConsumerType
public interface InterfaceDriver {

    /** Service property naming the driver: "linux", "pcap", "sim". */
    String NAME_PROPERTY = "vigil.driver";

    String name();

    /**
     * Opens a channel for one instance (or several instances sharing interface, family and
     * protocol). Received packets are handed to the listener on a driver thread; the listener
     * must not block.
     */
    PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException;

    /** What the driver knows of an interface, or empty when there is no such interface. */
    Optional<LinkInfo> link(String interfaceName);

    /** Registers for link up/down changes; close the handle to stop. */
    AutoCloseable watchLinks(LinkListener listener);

    /**
     * Sends one complete Ethernet frame on the interface: the gratuitous ARPs and unsolicited
     * neighbour advertisements that announce a virtual address (org.vigil.codec builds them).
     *
     * @throws IOException when the frame cannot be sent; a driver without layer-2 access says so
     */
    default void sendFrame(String interfaceName, byte[] frame, int offset, int length) throws IOException {
        throw new IOException("driver " + name() + " cannot send layer-2 frames");
    }
}
