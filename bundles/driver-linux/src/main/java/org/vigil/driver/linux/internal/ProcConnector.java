package org.vigil.driver.linux.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.vigil.api.system.ProcessListener;
import org.vigil.netlink.NetlinkSocket;

/**
 * The proc connector's messages (linux/connector.h, linux/cn_proc.h), all fields in host byte
 * order: a netlink header, a {@code struct cn_msg} (callback id {CN_IDX_PROC, CN_VAL_PROC}, seq,
 * ack, payload length, flags), then the payload: {@code enum proc_cn_mcast_op} on the way in,
 * {@code struct proc_event} (what, cpu, timestamp_ns, the event's union) on the way out. Pure
 * functions, unit-tested on the bytes.
 */
final class ProcConnector {
    private ProcConnector() {
    }

    static final int CN_IDX_PROC = 1;
    static final int CN_VAL_PROC = 1;
    static final int PROC_CN_MCAST_LISTEN = 1;
    static final int PROC_CN_MCAST_IGNORE = 2;

    // proc_event.what
    static final int PROC_EVENT_EXEC = 0x00000002;
    static final int PROC_EVENT_COMM = 0x00000200;
    static final int PROC_EVENT_EXIT = 0x80000000;

    static final int SIZEOF_CN_MSG = 20;
    /** what, cpu, timestamp_ns: the event's union starts after them. */
    static final int PROC_EVENT_DATA = 16;

    /**
     * The subscription request: NLMSG_DONE carrying cn_msg {idx 1, val 1, seq, ack 0, len 4} and
     * the operation (PROC_CN_MCAST_LISTEN or PROC_CN_MCAST_IGNORE). 40 bytes.
     */
    static byte[] subscription(int operation, int sequence, int portId) {
        int length = NetlinkSocket.NLMSG_HDRLEN + SIZEOF_CN_MSG + 4;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) NetlinkSocket.NLMSG_DONE).putShort((short) 0).putInt(sequence).putInt(portId);
        b.putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(sequence).putInt(0).putShort((short) 4).putShort((short) 0);
        b.putInt(operation);
        return b.array();
    }

    /**
     * Hands every process event of one datagram to the listener: exec, comm and exit of thread
     * group leaders only (a thread's own events have pid != tgid). Other events (fork, uid, the
     * ack of the subscription) and truncated messages are skipped.
     *
     * @return the number of events handed over
     */
    static int dispatch(ByteBuffer datagram, ProcessListener listener) {
        ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
        int handed = 0;
        int offset = b.position();
        int end = b.limit();
        while (offset + NetlinkSocket.NLMSG_HDRLEN <= end) {
            int length = b.getInt(offset);
            if (length < NetlinkSocket.NLMSG_HDRLEN || offset + length > end) {
                break;
            }
            int cn = offset + NetlinkSocket.NLMSG_HDRLEN;
            int event = cn + SIZEOF_CN_MSG;
            if (length >= NetlinkSocket.NLMSG_HDRLEN + SIZEOF_CN_MSG + PROC_EVENT_DATA + 8
                    && b.getInt(cn) == CN_IDX_PROC && b.getInt(cn + 4) == CN_VAL_PROC) {
                int what = b.getInt(event);
                int pid = b.getInt(event + PROC_EVENT_DATA);
                int tgid = b.getInt(event + PROC_EVENT_DATA + 4);
                if (pid == tgid) {
                    switch (what) {
                        case PROC_EVENT_EXEC -> {
                            listener.executed(pid);
                            handed++;
                        }
                        case PROC_EVENT_COMM -> {
                            listener.renamed(pid);
                            handed++;
                        }
                        case PROC_EVENT_EXIT -> {
                            listener.exited(pid);
                            handed++;
                        }
                        default -> {
                        }
                    }
                }
            }
            offset += NetlinkSocket.align(length);
        }
        return handed;
    }
}
