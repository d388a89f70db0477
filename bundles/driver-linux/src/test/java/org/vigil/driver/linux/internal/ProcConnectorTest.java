package org.vigil.driver.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.system.ProcessListener;

/** The proc connector's bytes, as linux/connector.h and linux/cn_proc.h lay them out (x86_64, little-endian). */
class ProcConnectorTest {

    @Test
    void theListenRequestIsNlmsgDoneCarryingCnMsgAndTheOperation() {
        byte[] m = ProcConnector.subscription(ProcConnector.PROC_CN_MCAST_LISTEN, 7, 0);
        assertThat(HexFormat.of().formatHex(m)).isEqualTo(
                "28000000" + "0300" + "0000" + "07000000" + "00000000" // nlmsghdr: len 40, NLMSG_DONE, seq 7, port 0
                        + "01000000" + "01000000" // cb_id {CN_IDX_PROC, CN_VAL_PROC}
                        + "07000000" + "00000000" + "0400" + "0000" // seq, ack, len 4, flags
                        + "01000000"); // PROC_CN_MCAST_LISTEN
        assertThat(ProcConnector.subscription(ProcConnector.PROC_CN_MCAST_IGNORE, 1, 0)).endsWith(2, 0, 0, 0);
    }

    /** One kernel message: nlmsghdr, cn_msg, proc_event {what, cpu, timestamp, pid, tgid, ...}. */
    private static ByteBuffer event(int what, int pid, int tgid) {
        int length = 16 + 20 + 16 + 24;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putShort((short) 3).putShort((short) 0).putInt(0).putInt(0);
        b.putInt(1).putInt(1).putInt(0).putInt(0).putShort((short) 40).putShort((short) 0);
        b.putInt(what).putInt(0).putLong(123456789L).putInt(pid).putInt(tgid);
        return b.clear();
    }

    private static final class Recorder implements ProcessListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void executed(int pid) {
            seen.add("exec " + pid);
        }

        @Override
        public void renamed(int pid) {
            seen.add("comm " + pid);
        }

        @Override
        public void exited(int pid) {
            seen.add("exit " + pid);
        }

        @Override
        public void lost() {
            seen.add("lost");
        }
    }

    @Test
    void execCommAndExitOfProcessesAreHandedOverThreadsAndForksAreNot() {
        ByteBuffer all = ByteBuffer.allocate(76 * 5);
        all.put(event(ProcConnector.PROC_EVENT_EXEC, 4242, 4242));
        all.put(event(ProcConnector.PROC_EVENT_COMM, 4242, 4242));
        all.put(event(ProcConnector.PROC_EVENT_EXIT, 4243, 4242)); // a thread of 4242 ends
        all.put(event(0x1, 4244, 4244)); // PROC_EVENT_FORK
        all.put(event(ProcConnector.PROC_EVENT_EXIT, 4242, 4242));
        Recorder r = new Recorder();
        int n = ProcConnector.dispatch(all.flip(), r);
        assertThat(r.seen).containsExactly("exec 4242", "comm 4242", "exit 4242");
        assertThat(n).isEqualTo(3);
    }

    @Test
    void aTruncatedMessageIsSkipped() {
        ByteBuffer e = event(ProcConnector.PROC_EVENT_EXEC, 1, 1);
        e.limit(50);
        Recorder r = new Recorder();
        assertThat(ProcConnector.dispatch(e, r)).isZero();
    }
}
