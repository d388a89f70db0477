package org.vigil.driver.pcap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A missing libpcap is one log line: JNA's several-line reason cut to what says it. */
class LibpcapFailureTest {
    @Test
    void jnasReasonOnOneLine() {
        String jna = "Unable to load library 'pcap':\n"
                + "libpcap.so: cannot open shared object file: No such file or directory\n"
                + "libpcap.so: cannot open shared object file: No such file or directory\n"
                + "Native library (linux-x86-64/libpcap.so) not found in resource path (lib/a.jar:lib/b.jar)";
        assertThat(PcapDriver.oneLine(jna)).isEqualTo(
                "Unable to load library 'pcap': libpcap.so: cannot open shared object file: No such file or directory");
        assertThat(PcapDriver.oneLine("Could not initialize class org.pcap4j.core.NativeMappings"))
                .isEqualTo("Could not initialize class org.pcap4j.core.NativeMappings");
    }
}
