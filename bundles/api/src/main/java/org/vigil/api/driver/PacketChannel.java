package org.vigil.api.driver;

import java.io.IOException;
import java.net.InetAddress;
import java.util.BitSet;

import org.osgi.annotation.versioning.ConsumerType;

/** An open channel: sends IP payloads (VRRP or AH+VRRP) with TTL/hop limit 255. */
@ConsumerType
public interface PacketChannel extends AutoCloseable {

    /**
     * Sends one IP payload to {@code destination} (the group, or one unicast peer). The driver
     * builds the IP header: protocol from the spec, TTL or hop limit 255, the spec's source.
     */
    void send(byte[] payload, int offset, int length, InetAddress destination) throws IOException;

    /**
     * Sends one complete IPv4 datagram whose header the caller built (IP_HDRINCL), for VRRP with
     * IPsec AH, whose ICV covers the IP header (keepalived's AH form). The kernel fills the
     * header checksum. IPv4 channels only.
     *
     * @throws IOException when the datagram cannot be sent or the driver cannot send raw datagrams
     */
    default void sendDatagram(byte[] datagram, int offset, int length) throws IOException {
        throw new IOException("this channel cannot send caller-built IPv4 datagrams");
    }

    /**
     * Says which VRIDs the listener wants (bits 1..255). A driver that can drops the others as
     * early as it can, ideally in the kernel (a socket filter), so that junk for other VRIDs
     * never reaches user space; one that cannot ignores this, and the core drops them itself.
     * Called on the election thread when instances join or leave the channel: must not block.
     */
    default void acceptVrids(BitSet vrids) {
    }

    /**
     * Hands the listener, on the calling thread and before returning, at most {@code max}
     * datagrams the kernel has already queued for this channel and the driver's own thread has not
     * read yet; returns how many it read. The core calls it on the election thread just before it
     * would declare a master down, so that an advert that has arrived is not lost to the driver
     * thread's scheduling delay on a loaded machine. Must not block; a driver without a
     * queue of its own returns 0.
     */
    default int receivePending(int max) {
        return 0;
    }

    /** The source address this channel sends from (primary IPv4 or link-local IPv6). */
    InetAddress sourceAddress();

    @Override
    void close();
}
