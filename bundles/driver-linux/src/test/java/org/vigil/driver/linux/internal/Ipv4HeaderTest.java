package org.vigil.driver.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {

    @Test
    void buildsKeepalivedsAdvertHeaderByteForByte() throws Exception {
        // keepalived 2.2.7's v2 advert on the lab switch (shared/reference/lab.md section 7), IP ID 1
        byte[] expected = HexFormat.of().parseHex("45c0002800010000ff701887c000020be0000012");
        byte[] header = new byte[20];

        Ipv4Header.write(header, 0, 0xc0, 1, 255, 112, (Inet4Address) InetAddress.getByName("192.0.2.11"),
                (Inet4Address) InetAddress.getByName("224.0.0.18"), 20);

        assertThat(header).isEqualTo(expected);
        assertThat(Ipv4Header.checksum(header, 0, 20)).isZero();
    }

    @Test
    void checksumOfOddLengthPadsWithZero() {
        byte[] odd = { 0x01, 0x02, 0x03 };
        // 0x0102 + 0x0300 = 0x0402, complemented
        assertThat(Ipv4Header.checksum(odd, 0, 3)).isEqualTo(0xfbfd);
    }
}
