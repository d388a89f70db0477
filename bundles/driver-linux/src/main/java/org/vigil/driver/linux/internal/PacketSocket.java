package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.vigil.libc.Libc;

/**
 * Sends whole Ethernet frames (gratuitous ARP, unsolicited neighbour advertisements) on one
 * interface through an AF_PACKET SOCK_RAW socket (shared/reference/native.md section 8). The
 * socket's protocol is 0, so it receives nothing. Thread-safe.
 */
final class PacketSocket implements AutoCloseable {

    static final int ETHER_HEADER = 14;
    static final int ARPHRD_ETHER = 1;

    private final String interfaceName;
    private final ByteBuffer buffer;
    private final ByteBuffer address;
    private int fd;

    /** Opens the socket on the caller's thread (its network namespace). */
    PacketSocket(String interfaceName, int ifindex) throws IOException {
        this.interfaceName = interfaceName;
        // Protocol 0: a send-only socket; the frame carries its own ethertype
        fd = Libc.check(Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0),
                "socket(AF_PACKET, SOCK_RAW)");
        buffer = Libc.allocate(65536);
        address = Libc.allocate(Linux.SIZEOF_SOCKADDR_LL);
        address.putShort(0, (short) Libc.AF_PACKET);
        address.putInt(4, ifindex);
        address.putShort(8, (short) ARPHRD_ETHER);
        address.put(11, (byte) 6);
    }

    /** Sends one frame, Ethernet header included; the destination MAC is the frame's first 6 bytes. */
    synchronized void send(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length < ETHER_HEADER || length > 65536) {
            throw new IllegalArgumentException("an Ethernet frame of " + length + " bytes");
        }
        if (fd < 0) {
            throw new IOException("packet socket on " + interfaceName + " is closed");
        }
        buffer.put(0, bytes, offset, length);
        // sll_protocol = the frame's ethertype, network order as it stands in the frame
        address.put(2, bytes, offset + 12, 2);
        address.put(12, bytes, offset, 6);
        if (Libc.sendto(fd, buffer, length, 0, address, Linux.SIZEOF_SOCKADDR_LL) < 0) {
            throw Libc.failure("sending a frame on " + interfaceName);
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
    }
}
