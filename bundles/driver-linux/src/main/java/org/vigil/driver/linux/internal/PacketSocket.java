package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.util.Objects;

import jnr.ffi.Pointer;

/**
 * Sends whole Ethernet frames (gratuitous ARP, unsolicited neighbour advertisements) on one
 * interface through an AF_PACKET SOCK_RAW socket (shared/reference/native.md section 8). The
 * socket's protocol is 0, so it receives nothing. Thread-safe.
 */
final class PacketSocket implements AutoCloseable {

    static final int ETHER_HEADER = 14;
    static final int ARPHRD_ETHER = 1;

    private final Native nat;
    private final String interfaceName;
    private final Pointer buffer;
    private final Pointer address;
    private int fd;

    /** Opens the socket on the caller's thread (its network namespace). */
    PacketSocket(Native nat, String interfaceName, int ifindex) throws IOException {
        this.nat = nat;
        this.interfaceName = interfaceName;
        // Protocol 0: a send-only socket; the frame carries its own ethertype
        fd = nat.check(nat.libc.socket(Linux.AF_PACKET, Linux.SOCK_RAW | Linux.SOCK_CLOEXEC, 0),
                "socket(AF_PACKET, SOCK_RAW)");
        buffer = nat.allocate(65536);
        address = nat.allocate(Linux.SIZEOF_SOCKADDR_LL);
        address.putShort(0, (short) Linux.AF_PACKET);
        address.putInt(4, ifindex);
        address.putShort(8, (short) ARPHRD_ETHER);
        address.putByte(11, (byte) 6);
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
        if (nat.libc.sendto(fd, buffer, length, 0, address, Linux.SIZEOF_SOCKADDR_LL) < 0) {
            throw nat.failure("sending a frame on " + interfaceName);
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            nat.libc.close(fd);
            fd = -1;
        }
    }
}
