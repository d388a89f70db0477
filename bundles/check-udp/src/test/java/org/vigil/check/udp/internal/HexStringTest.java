package org.vigil.check.udp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** keepalived.conf(5)'s examples of its hex strings. */
class HexStringTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void theManPagesExample() {
        HexString h = HexString.parse("Ab12f 3 456 546443123", false);
        assertThat(HEX.formatHex(h.bytes())).isEqualTo("ab120f03450654644312" + "03");
        assertThat(HEX.formatHex(h.mask())).isEqualTo("0000000000000000000000");
    }

    @Test
    void wildcardsOnlyInReplyPatterns() {
        assertThat(HexString.parse("1x X2", false)).isNull();
        HexString p = HexString.parse("1x X2", true);
        assertThat(HEX.formatHex(p.bytes())).isEqualTo("1002");
        assertThat(HEX.formatHex(p.mask())).isEqualTo("0ff0");
        assertThat(p.matches(ByteBuffer.wrap(HEX.parseHex("1fa2")))).isTrue();
        assertThat(p.matches(ByteBuffer.wrap(HEX.parseHex("2fa2")))).isFalse();
        // only the shorter of reply and pattern is compared
        assertThat(p.matches(ByteBuffer.wrap(HEX.parseHex("17")))).isTrue();
        assertThat(p.matches(ByteBuffer.wrap(HEX.parseHex("1702ffff")))).isTrue();
    }

    @Test
    void notHex() {
        assertThat(HexString.parse("zz", false)).isNull();
        assertThat(HexString.parse("  ", false)).isNull();
    }
}
