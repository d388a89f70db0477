package org.vigil.check.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The encoder and decoder on bytes (RFC 1035 section 4.1). */
class DnsMessageTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void namesInWireForm() {
        assertThat(HEX.formatHex(DnsMessage.name("."))).isEqualTo("00");
        assertThat(HEX.formatHex(DnsMessage.name(""))).isEqualTo("00");
        assertThat(HEX.formatHex(DnsMessage.name("example.test"))).isEqualTo("076578616d706c6504746573740" + "0");
        assertThat(DnsMessage.name("example.test.")).isEqualTo(DnsMessage.name("example.test"));
        assertThatThrownBy(() -> DnsMessage.name("a..test")).hasMessage("DNS_CHECK name 'a..test' has empty label - ignoring");
        assertThatThrownBy(() -> DnsMessage.name("x".repeat(64) + ".test")).hasMessageContaining("longer than 63");
        assertThatThrownBy(() -> DnsMessage.name(("x".repeat(60) + ".").repeat(5))).hasMessageContaining("longer than 255");
    }

    @Test
    void aQueryOfOneQuestionWithRecursionDesired() {
        byte[] q = DnsMessage.query(0xbeef, DnsMessage.name("example.test"), DnsMessage.type("a"));
        assertThat(HEX.formatHex(q)).isEqualTo("beef" + "0100" + "0001" + "0000" + "0000" + "0000"
                + "076578616d706c65047465737400" + "0001" + "0001");
        byte[] soa = DnsMessage.query(1, DnsMessage.name("."), DnsMessage.type("SOA"));
        assertThat(HEX.formatHex(soa)).isEqualTo("000101000001000000000000" + "00" + "0006" + "0001");
    }

    @Test
    void keepalivedsTypes() {
        assertThat(DnsMessage.type("AAAA")).isEqualTo(28);
        assertThat(DnsMessage.type("mx")).isEqualTo(15);
        assertThat(DnsMessage.type("DNSKEY")).isEqualTo(48);
        assertThat(DnsMessage.type("PTR")).isEqualTo(-1);
    }

    @Test
    void replyHeaders() {
        // id 0xbeef, QR + RD + RA, NXDOMAIN, one question, no answers
        DnsMessage.Header h = DnsMessage.Header.of(ByteBuffer.wrap(HEX.parseHex("beef8183000100000000000000")));
        assertThat(h).isEqualTo(new DnsMessage.Header(0xbeef, true, 3, 0));
        DnsMessage.Header ok = DnsMessage.Header.of(ByteBuffer.wrap(HEX.parseHex("00078180000100020000000000")));
        assertThat(ok).isEqualTo(new DnsMessage.Header(7, true, 0, 2));
        assertThat(DnsMessage.Header.of(ByteBuffer.wrap(HEX.parseHex("beef81")))).isNull();
        // a query echoed back is not a response
        assertThat(DnsMessage.Header.of(ByteBuffer.wrap(DnsMessage.query(9, DnsMessage.name("."), 6))).response()).isFalse();
    }
}
