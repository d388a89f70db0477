package org.vigil.driver.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The socket filter's program, run by the same rules as the kernel's classic BPF interpreter. */
class VridFilterTest {
    /** IPv4 header (20 bytes, IHL 5) then a VRRPv2 advert for VRID 51. */
    private static final byte[] V4 = HexFormat.of()
            .parseHex("45c0002800000000ff70000ac0000201e0000012" + "213364010001b865c00002640000000000000000");

    private static BitSet vrids(int... v) {
        BitSet b = new BitSet();
        for (int i : v) {
            b.set(i);
        }
        return b;
    }

    private static byte[] withVrid(byte[] packet, int at, int vrid) {
        byte[] p = packet.clone();
        p[at] = (byte) vrid;
        return p;
    }

    @Test
    void ipv4KeepsTheWantedVridsAfterAHeaderOfAnyLength() {
        byte[] program = VridFilter.program(true, false, vrids(10, 51, 52, 53, 255));
        assertThat(VridFilter.run(program, V4)).isEqualTo(VridFilter.ACCEPT);
        for (int vrid = 0; vrid < 256; vrid++) {
            boolean wanted = vrid == 10 || (vrid >= 51 && vrid <= 53) || vrid == 255;
            assertThat(VridFilter.run(program, withVrid(V4, 21, vrid))).as("VRID %d", vrid)
                    .isEqualTo(wanted ? VridFilter.ACCEPT : 0);
        }
        // with 4 bytes of IP options (IHL 6) the VRID moves by 4
        byte[] options = new byte[V4.length + 4];
        System.arraycopy(V4, 0, options, 0, 20);
        System.arraycopy(V4, 20, options, 24, V4.length - 20);
        options[0] = 0x46;
        assertThat(VridFilter.run(program, options)).isEqualTo(VridFilter.ACCEPT);
        assertThat(VridFilter.run(program, withVrid(options, 25, 99))).isZero();
    }

    @Test
    void ahMovesTheVridBehindThe24ByteHeaderAndIpv6HasNoHeader() {
        byte[] ah = new byte[20 + 24 + 20];
        System.arraycopy(V4, 0, ah, 0, 20);
        System.arraycopy(V4, 20, ah, 44, 20);
        assertThat(VridFilter.run(VridFilter.program(true, true, vrids(51)), ah)).isEqualTo(VridFilter.ACCEPT);
        assertThat(VridFilter.run(VridFilter.program(true, true, vrids(52)), ah)).isZero();

        byte[] v6 = HexFormat.of().parseHex("313396010064000020010db8000000000000000000000249");
        assertThat(VridFilter.run(VridFilter.program(false, false, vrids(51)), v6)).isEqualTo(VridFilter.ACCEPT);
        assertThat(VridFilter.run(VridFilter.program(false, false, vrids(50)), v6)).isZero();
    }

    @Test
    void everyPatternOfVridsFitsTheJumpOffsetsAndRuntsAreDropped() {
        BitSet alternate = new BitSet();
        for (int v = 1; v < 256; v += 2) {
            alternate.set(v);
        }
        byte[] program = VridFilter.program(true, false, alternate);
        for (int vrid = 1; vrid < 256; vrid++) {
            assertThat(VridFilter.run(program, withVrid(V4, 21, vrid))).as("VRID %d", vrid)
                    .isEqualTo(vrid % 2 == 1 ? VridFilter.ACCEPT : 0);
        }
        BitSet all = new BitSet();
        all.set(1, 256);
        assertThat(VridFilter.program(true, false, all).length / VridFilter.INSTRUCTION_SIZE)
                .as("255 contiguous VRIDs: two loads, one range, reject, accept").isEqualTo(6);
        assertThat(VridFilter.run(VridFilter.program(true, false, all), java.util.Arrays.copyOf(V4, 21))).isZero();
        assertThat(VridFilter.run(VridFilter.program(true, false, new BitSet()), V4)).isZero();
    }
}
