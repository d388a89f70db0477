package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralsTest {

    @Test
    void acceptsLiteralsOnly() {
        assertThat(IpLiterals.parse("192.0.2.1").getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(IpLiterals.parse("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(IpLiterals.parse("fe80::1%lan0")).isNotNull();
        assertThat(IpLiterals.parse("192.0.2.256")).isNull();
        assertThat(IpLiterals.parse("192.0.2")).isNull();
        assertThat(IpLiterals.parse("192.168.100.")).isNull();
        assertThat(IpLiterals.parse("2001:db8::g")).isNull();
        assertThat(IpLiterals.parse("1:2:3:4:5:6:7:8:9")).isNull();
        // A host name is never looked up.
        assertThat(IpLiterals.parse("localhost")).isNull();
    }
}
