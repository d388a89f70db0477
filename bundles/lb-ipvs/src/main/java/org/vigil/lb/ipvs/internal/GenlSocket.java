package org.vigil.lb.ipvs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;

import org.vigil.libc.Libc;
import org.vigil.netlink.NetlinkException;
import org.vigil.netlink.NetlinkSocket;

/**
 * The driver's {@link Transport} to the kernel: a NETLINK_GENERIC socket of the native bundle,
 * created in the calling thread's network namespace, whose {@link NetlinkSocket#acknowledgeAll}
 * sends a batch several messages to a datagram and collects one acknowledgement per message. Not
 * thread-safe: the driver serialises its calls.
 */
final class GenlSocket implements Transport {
    static final int ENOENT = Libc.ENOENT;

    private final NetlinkSocket socket;

    GenlSocket() throws IOException {
        socket = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC);
    }

    @Override
    public int nextSequence() {
        return socket.nextSequence();
    }

    /**
     * The id of the generic netlink family {@code name}, or empty when the kernel has no such
     * family (-ENOENT: for "IPVS", a kernel without IPVS, or with the module not loaded).
     *
     * @throws IOException for any other answer
     */
    OptionalInt family(String name) throws IOException {
        int seq = nextSequence();
        try {
            for (ByteBuffer reply : socket.request(Genl.getFamily(name, seq), seq)) {
                if (Genl.header(reply, 0).type() == Genl.GENL_ID_CTRL) {
                    return Genl.familyId(reply, 0);
                }
            }
            return OptionalInt.empty();
        } catch (NetlinkException e) {
            if (e.errno() == ENOENT) {
                return OptionalInt.empty();
            }
            throw new NetlinkException("CTRL_CMD_GETFAMILY " + name, e.errno());
        }
    }

    @Override
    public int[] exchange(List<byte[]> messages, int[] sequences) throws IOException {
        return socket.acknowledgeAll(messages, sequences);
    }

    @Override
    public String strerror(int errno) {
        return Libc.strerror(errno);
    }

    @Override
    public void close() {
        socket.close();
    }
}
