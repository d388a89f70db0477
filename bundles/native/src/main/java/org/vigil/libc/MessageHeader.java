package org.vigil.libc;

import java.nio.ByteBuffer;

import org.vigil.libc.internal.Binding;

/**
 * A {@code struct msghdr} for {@link Libc#sendmsg} and {@link Libc#recvmsg}, wired once to its
 * name (socket address), data (one iovec) and control (ancillary data) buffers, so a call
 * allocates nothing. The buffers are direct and in native order; the header keeps them
 * reachable. Not thread-safe: one per sending or receiving thread.
 */
public final class MessageHeader {
    /** {@code struct cmsghdr}: {@code size_t cmsg_len; int cmsg_level; int cmsg_type;} then the data. */
    public static final int SIZEOF_CMSGHDR = 16;
    // x86_64 and aarch64 (shared/reference/native.md section 4)
    private static final int SIZEOF_MSGHDR = 56;
    private static final int SIZEOF_IOVEC = 16;
    private static final int NAME = 0;
    private static final int NAMELEN = 8;
    private static final int IOV = 16;
    private static final int IOVLEN = 24;
    private static final int CONTROL = 32;
    private static final int CONTROLLEN = 40;
    private static final int FLAGS = 48;

    /** Up to this many bytes {@link #readData}/{@link #writeData} copy word by word (VRRP adverts are 40-1,100 bytes). */
    private static final int WORDWISE_LIMIT = 2048;
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private final ByteBuffer header = Libc.allocate(SIZEOF_MSGHDR);
    private final ByteBuffer iov = Libc.allocate(SIZEOF_IOVEC);
    private final ByteBuffer name;
    private final ByteBuffer data;
    private final ByteBuffer control;
    private final long address;

    /**
     * @param nameCapacity bytes for the socket address (16 sockaddr_in, 28 sockaddr_in6), 0 for none
     * @param dataCapacity bytes for the datagram
     * @param controlCapacity bytes for ancillary data, 0 for none
     */
    public MessageHeader(int nameCapacity, int dataCapacity, int controlCapacity) {
        Binding b = Binding.get();
        name = nameCapacity > 0 ? Libc.allocate(nameCapacity) : null;
        data = Libc.allocate(dataCapacity);
        control = controlCapacity > 0 ? Libc.allocate(controlCapacity) : null;
        header.putLong(NAME, name == null ? 0 : b.address(name));
        header.putLong(IOV, b.address(iov));
        header.putLong(IOVLEN, 1);
        header.putLong(CONTROL, control == null ? 0 : b.address(control));
        iov.putLong(0, b.address(data));
        address = b.address(header);
        reset();
    }

    /** The socket address: the destination to send to, the source received from. */
    public ByteBuffer name() {
        return name;
    }

    public ByteBuffer data() {
        return data;
    }

    /** Ancillary data (cmsghdr entries, 8-byte aligned). */
    public ByteBuffer control() {
        return control;
    }

    /**
     * After a receive: copies the first {@code length} bytes of {@link #data()} to {@code to}.
     * A datagram-sized copy goes eight bytes at a time through the buffer's own accessors: the
     * JDK's bulk {@code ByteBuffer.get} calls into the VM for every copy (Unsafe.copyMemory, which
     * C1 does not compile inline), and on a receive thread that wakes for each datagram that call
     * was a seventh of its CPU. Larger copies take the bulk path.
     */
    public void readData(byte[] to, int length) {
        java.util.Objects.checkFromIndexSize(0, length, Math.min(to.length, data.capacity()));
        if (length > WORDWISE_LIMIT || !LITTLE_ENDIAN) {
            data.get(0, to, 0, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = data.getLong(i);
            for (int k = 0; k < 8; k++) {
                to[i + k] = (byte) (v >>> (8 * k));
            }
        }
        for (; i < length; i++) {
            to[i] = data.get(i);
        }
    }

    /** Before a send: copies {@code length} bytes of {@code from} at {@code offset} to the start of {@link #data()}, as {@link #readData} does the other way. */
    public void writeData(byte[] from, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, from.length);
        java.util.Objects.checkFromIndexSize(0, length, data.capacity());
        if (length > WORDWISE_LIMIT || !LITTLE_ENDIAN) {
            data.put(0, from, offset, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = 0;
            for (int k = 7; k >= 0; k--) {
                v = (v << 8) | (from[offset + i + k] & 0xffL);
            }
            data.putLong(i, v);
        }
        for (; i < length; i++) {
            data.put(i, from[offset + i]);
        }
    }

    /** Before a send: how much of each buffer goes out. */
    public MessageHeader lengths(int nameLength, int dataLength, int controlLength) {
        check(nameLength, name, "name");
        check(dataLength, data, "data");
        check(controlLength, control, "control");
        header.putInt(NAMELEN, nameLength);
        iov.putLong(8, dataLength);
        header.putLong(CONTROLLEN, controlLength);
        header.putInt(FLAGS, 0);
        return this;
    }

    /** Before a receive: every buffer whole, no flags. */
    public MessageHeader reset() {
        return lengths(capacity(name), data.capacity(), capacity(control));
    }

    /** After a receive: the length of the source address the kernel wrote. */
    public int nameLength() {
        return header.getInt(NAMELEN);
    }

    /** After a receive: the bytes of ancillary data the kernel wrote. */
    public int controlLength() {
        return (int) header.getLong(CONTROLLEN);
    }

    /** After a receive: msg_flags, e.g. {@link Libc#MSG_TRUNC}. */
    public int flags() {
        return header.getInt(FLAGS);
    }

    /**
     * After a receive: the offset in {@link #control()} of the data of the first control message
     * of {@code level} and {@code type}, or -1 when the kernel sent none. Walks the cmsghdr
     * entries as CMSG_NXTHDR does, stopping at a malformed length; allocates nothing.
     */
    public int controlData(int level, int type) {
        if (control == null) {
            return -1;
        }
        int length = controlLength();
        int off = 0;
        while (off + SIZEOF_CMSGHDR <= length) {
            long len = control.getLong(off);
            if (len < SIZEOF_CMSGHDR || off + len > length) {
                return -1;
            }
            if (control.getInt(off + 8) == level && control.getInt(off + 12) == type) {
                return off + SIZEOF_CMSGHDR;
            }
            off += (int) ((len + 7) & ~7L);
        }
        return -1;
    }

    /**
     * After a receive on a socket with {@link Libc#SO_TIMESTAMPNS} set: when the kernel took the
     * datagram in, in nanoseconds of CLOCK_REALTIME (not of {@link System#nanoTime()}: converting
     * is the caller's business, with a clock step in mind), or -1 when no stamp came with it.
     */
    public long timestampNanos() {
        int at = controlData(Libc.SOL_SOCKET, Libc.SCM_TIMESTAMPNS);
        if (at < 0 || at + Libc.SIZEOF_TIMESPEC > controlLength()) {
            return -1;
        }
        return Libc.timespecNanos(control, at);
    }

    /** CMSG_SPACE: the room a control message with {@code dataLength} bytes of data takes (8-byte aligned). */
    public static int cmsgSpace(int dataLength) {
        return SIZEOF_CMSGHDR + ((dataLength + 7) & ~7);
    }

    /** CMSG_LEN: the cmsg_len of a control message with {@code dataLength} bytes of data. */
    public static int cmsgLen(int dataLength) {
        return SIZEOF_CMSGHDR + dataLength;
    }

    long address() {
        return address;
    }

    private static int capacity(ByteBuffer b) {
        return b == null ? 0 : b.capacity();
    }

    private static void check(int length, ByteBuffer b, String what) {
        if (length < 0 || length > capacity(b)) {
            throw new IndexOutOfBoundsException(what + " length " + length + " of " + capacity(b));
        }
    }
}
