package org.vigil.driver.linux.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import org.vigil.libc.Libc;

/** Writes and reads socket address structs in preallocated native memory (native order). */
final class Sockaddr {
    private static final byte[] ZERO = new byte[Linux.SIZEOF_SOCKADDR_IN6];

    private Sockaddr() {
    }

    /** struct sockaddr_in: family (host order), port 0, address (network order). */
    static void putIn(ByteBuffer p, int off, Inet4Address address) {
        p.put(off, ZERO, 0, Linux.SIZEOF_SOCKADDR_IN);
        p.putShort(off, (short) Libc.AF_INET);
        p.put(off + 4, address.getAddress(), 0, 4);
    }

    /** struct sockaddr_in6: family, port 0, flowinfo 0, address, scope id (host order). */
    static void putIn6(ByteBuffer p, int off, Inet6Address address, int scopeId) {
        p.put(off, ZERO, 0, Linux.SIZEOF_SOCKADDR_IN6);
        p.putShort(off, (short) Libc.AF_INET6);
        p.put(off + 8, address.getAddress(), 0, 16);
        p.putInt(off + 24, scopeId);
    }

    /** The ifindex to put in sockaddr_in6.sin6_scope_id: needed for link-scoped destinations. */
    static int scopeFor(Inet6Address address, int ifindex) {
        return address.isLinkLocalAddress() || address.isMCLinkLocal() ? ifindex : 0;
    }

    static InetAddress ipv4(byte[] buffer, int off) {
        byte[] a = new byte[4];
        System.arraycopy(buffer, off, a, 0, 4);
        return address(a);
    }

    /** An address from raw bytes; never consults a resolver. */
    static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + raw.length + " bytes", e);
        }
    }
}
