package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtualMacTest {

    @Test
    void ipv4AndIpv6FormsFollowRfc5798Section7_3() {
        assertThat(VirtualMac.toString(51, false)).isEqualTo("00:00:5e:00:01:33");
        assertThat(VirtualMac.toString(51, true)).isEqualTo("00:00:5e:00:02:33");
        assertThat(VirtualMac.of(255, false)).isEqualTo(Bytes.hex("00005e0001ff"));
    }

    @Test
    void vridIsRecognisedFromAMac() {
        byte[] frame = Bytes.hex("01005e000012" + "00005e000233");
        assertThat(VirtualMac.vridOf(frame, 6)).isEqualTo(51);
        assertThat(VirtualMac.vridOf(frame, 0)).isEqualTo(-1);
        assertThat(VirtualMac.vridOf(Bytes.hex("00005e000033"), 0)).as("CARP form").isEqualTo(-1);
        assertThat(VirtualMac.vridOf(frame, 7)).isEqualTo(-1);
        assertThat(VirtualMac.vridOf(null, 0)).isEqualTo(-1);
    }

    @Test
    void vridOutOfRangeIsRefused() {
        assertThatThrownBy(() -> VirtualMac.of(0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VirtualMac.of(256, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
