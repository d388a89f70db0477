package org.vigil.driver.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Parsing rtnetlink messages as the kernel sends them (host byte order, little-endian here). */
class RtnetlinkParseTest {

    @Test
    void parsesAnAddressMessage() throws Exception {
        // RTM_NEWADDR for 192.0.2.249/24 on ifindex 2 (shared/reference/native.md section 9)
        byte[] msg = HexFormat.of().parseHex("3c000000140005066500000000000000" + "0218000002000000"
                + "08000200c00002f9" + "08000100c00002f9" + "08000400c00002ff" + "09000300" + "6c616e3000000000");

        List<Rtnetlink.Message> parsed = Rtnetlink.parse(ByteBuffer.wrap(msg));

        assertThat(parsed).hasSize(1);
        Rtnetlink.Address a = parsed.get(0).address();
        assertThat(parsed.get(0).type()).isEqualTo(Linux.RTM_NEWADDR);
        assertThat(parsed.get(0).sequence()).isEqualTo(101);
        assertThat(a.family()).isEqualTo(org.vigil.libc.Libc.AF_INET);
        assertThat(a.prefixLength()).isEqualTo(24);
        assertThat(a.index()).isEqualTo(2);
        assertThat(a.address()).isEqualTo(InetAddress.getByName("192.0.2.249"));
        assertThat(a.secondary()).isFalse();
    }

    @Test
    void parsesLinkEventsAndJudgesUpAsUpAndRunning() {
        ByteBuffer datagram = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        // link down as the kernel reported it: flags 0x1002; then up without and with RUNNING
        int[] flags = { 0x1002, 0x11003, 0x11043 };
        for (int f : flags) {
            int start = datagram.position();
            int len = 16 + 16 + 12 + 12; // nlmsghdr, ifinfomsg, IFLA_IFNAME "lan0\0" padded, IFLA_ADDRESS
            datagram.putInt(len).putShort((short) Linux.RTM_NEWLINK).putShort((short) 0).putInt(0).putInt(0);
            datagram.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(2).putInt(f).putInt(1);
            datagram.putShort((short) 9).putShort((short) Linux.IFLA_IFNAME).put("lan0".getBytes()).put((byte) 0)
                    .put(new byte[3]);
            datagram.putShort((short) 10).putShort((short) Linux.IFLA_ADDRESS)
                    .put(new byte[] { 2, 0, 0x5e, 0, 0, 0x0b }).put(new byte[2]);
            assertThat(datagram.position() - start).isEqualTo(len);
        }
        datagram.flip();

        List<Rtnetlink.Message> parsed = Rtnetlink.parse(datagram);

        assertThat(parsed).extracting(m -> m.link().name()).containsOnly("lan0");
        assertThat(parsed).extracting(m -> m.link().index()).containsOnly(2);
        assertThat(parsed).extracting(m -> m.link().up()).containsExactly(false, false, true);
        assertThat(parsed.get(0).link().mac()).containsExactly(2, 0, 0x5e, 0, 0, 0x0b);
    }

    @Test
    void stopsAtATruncatedMessage() {
        byte[] truncated = HexFormat.of().parseHex("3c00000014000506650000000000000002180000");
        assertThat(Rtnetlink.parse(ByteBuffer.wrap(truncated))).isEmpty();
    }
}
