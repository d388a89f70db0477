package org.vigil.lb.ipvs.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

import org.vigil.netlink.NetlinkSocket;

/**
 * Generic netlink message bytes: nlmsghdr (16 bytes), genlmsghdr (4), then attributes (struct
 * nlattr: u16 len, u16 type, data padded to 4). Every header and integer attribute is in host
 * byte order; the callers put network-order fields (ports, IPv4 netmasks, addresses) as raw
 * bytes. Numbers from the kernel's UAPI headers linux/netlink.h and linux/genetlink.h.
 */
final class Genl {
    private Genl() {
    }

    // linux/netlink.h
    static final int NLMSG_ERROR = NetlinkSocket.NLMSG_ERROR;
    static final int NLM_F_REQUEST = NetlinkSocket.NLM_F_REQUEST;
    static final int NLM_F_ACK = NetlinkSocket.NLM_F_ACK;
    static final int NLA_F_NESTED = 0x8000;
    static final int NLA_TYPE_MASK = 0x3fff;
    static final int NLMSGHDR = NetlinkSocket.NLMSG_HDRLEN;

    // linux/genetlink.h
    static final int GENL_ID_CTRL = 0x10; // NLMSG_MIN_TYPE
    static final int GENLMSGHDR = 4;
    static final int CTRL_CMD_GETFAMILY = 3;
    static final int CTRL_ATTR_FAMILY_ID = 1;
    static final int CTRL_ATTR_FAMILY_NAME = 2;
    /** The controller's own version (genl_ctrl registers version 2; any value is accepted). */
    static final int CTRL_VERSION = 1;

    /** A message being built: the header's length is filled in by {@link #bytes()}. */
    static final class Message {
        private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        private final int[] nests = new int[4];
        private int depth;

        Message(int family, int flags, int sequence, int cmd, int version) {
            b.putInt(0).putShort((short) family).putShort((short) flags).putInt(sequence).putInt(0);
            b.put((byte) cmd).put((byte) version).putShort((short) 0);
        }

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                        .order(ByteOrder.nativeOrder());
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        Message attr(int type, byte[] data) {
            int len = 4 + data.length;
            room(align(len));
            b.putShort((short) len).putShort((short) type).put(data);
            for (int i = len; i < align(len); i++) {
                b.put((byte) 0);
            }
            return this;
        }

        Message u8(int type, int v) {
            return attr(type, new byte[] {(byte) v});
        }

        Message u16(int type, int v) {
            return attr(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array());
        }

        /** A __be16 (ports): network order whatever the host's. */
        Message be16(int type, int v) {
            return attr(type, new byte[] {(byte) (v >>> 8), (byte) v});
        }

        Message u32(int type, long v) {
            return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) v).array());
        }

        /** A NUL-terminated string. */
        Message string(int type, String s) {
            byte[] a = s.getBytes(StandardCharsets.US_ASCII);
            return attr(type, Arrays.copyOf(a, a.length + 1));
        }

        /** Opens a nested attribute (NLA_F_NESTED set), closed by {@link #end()}. */
        Message nest(int type) {
            room(4);
            nests[depth++] = b.position();
            b.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
            return this;
        }

        Message end() {
            int start = nests[--depth];
            b.putShort(start, (short) (b.position() - start));
            return this;
        }

        byte[] bytes() {
            byte[] out = Arrays.copyOf(b.array(), b.position());
            ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).putInt(0, out.length);
            return out;
        }
    }

    /** Consecutive host-order u32 values (a struct of u32 fields, such as ip_vs_flags). */
    static byte[] u32s(long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
        for (long v : values) {
            b.putInt((int) v);
        }
        return b.array();
    }

    static int align(int n) {
        return NetlinkSocket.align(n);
    }

    /** CTRL_CMD_GETFAMILY for {@code name}: the kernel answers CTRL_CMD_NEWFAMILY, or -ENOENT when no such family. */
    static byte[] getFamily(String name, int sequence) {
        return new Message(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, sequence, CTRL_CMD_GETFAMILY, CTRL_VERSION)
                .string(CTRL_ATTR_FAMILY_NAME, name).bytes();
    }

    /** One message of a datagram: its type, sequence, and where it starts and ends. */
    record Header(int length, int type, int flags, int sequence) {
    }

    static Header header(ByteBuffer b, int at) {
        return new Header(b.getInt(at), b.getShort(at + 4) & 0xffff, b.getShort(at + 6) & 0xffff, b.getInt(at + 8));
    }

    /** CTRL_ATTR_FAMILY_ID from a CTRL_CMD_NEWFAMILY message starting at {@code at}. */
    static OptionalInt familyId(ByteBuffer b, int at) {
        Header h = header(b, at);
        int end = at + h.length();
        int p = at + NLMSGHDR + GENLMSGHDR;
        while (p + 4 <= end) {
            int len = b.getShort(p) & 0xffff;
            int type = b.getShort(p + 2) & NLA_TYPE_MASK;
            if (len < 4) {
                break;
            }
            if (type == CTRL_ATTR_FAMILY_ID && len >= 6) {
                return OptionalInt.of(b.getShort(p + 4) & 0xffff);
            }
            p += align(len);
        }
        return OptionalInt.empty();
    }
}
