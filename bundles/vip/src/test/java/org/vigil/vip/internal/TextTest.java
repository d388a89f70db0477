package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.vip.internal.RtnlTest.ip;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void ipv6IsPrintedShortAsIpAndKeepalivedPrintIt() {
        assertThat(Text.of(ip("2001:db8::249"))).isEqualTo("2001:db8::249");
        assertThat(Text.of(ip("::"))).isEqualTo("::");
        assertThat(Text.of(ip("fe80::1"))).isEqualTo("fe80::1");
        assertThat(Text.of(ip("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(Text.of(ip("2001:db8:0:0:1:0:0:1"))).as("first of two equal runs").isEqualTo("2001:db8::1:0:0:1");
        assertThat(Text.of(ip("2001:db8:0:1:1:1:1:1"))).as("one zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Text.of(ip("2001:db8::"))).isEqualTo("2001:db8::");
        assertThat(Text.of(ip("192.0.2.249"))).isEqualTo("192.0.2.249");
        assertThat(Text.cidr(ip("2001:db8::249"), 64)).isEqualTo("2001:db8::249/64");
    }
}
