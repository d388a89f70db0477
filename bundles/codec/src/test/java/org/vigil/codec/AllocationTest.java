package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.codec.Vectors.*;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The receive path must not allocate: a flood of adverts must not feed the garbage collector. */
class AllocationTest {

    @Test
    void decodeAndContainsAddressDoNotAllocate() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs per-thread allocation counters");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        DecodedAdvert advert = new DecodedAdvert();
        byte[] out = new byte[64];
        int ok = run(advert, out, 1_000); // load classes, resolve constants
        long before = threads.getCurrentThreadAllocatedBytes();
        ok += run(advert, out, 100_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(ok).isEqualTo(101_000 * 4);
        // 100k iterations of 5 calls: anything per call would be megabytes; allow for the counter's own noise
        assertThat(allocated).isLessThan(4096);
    }

    private static int run(DecodedAdvert advert, byte[] out, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            ok += VrrpCodec.decode(V2_PASS_150, 0, 20, false, R1_IPV4, GROUP_IPV4, 255, advert) == DecodeStatus.OK ? 1 : 0;
            ok += VrrpCodec.decode(V3_IPV4_150, 0, 12, false, R1_IPV4, GROUP_IPV4, 255, advert) == DecodeStatus.OK ? 1 : 0;
            ok += VrrpCodec.decode(V3_IPV6_150, 0, 24, true, R1_LINK_LOCAL, GROUP_IPV6, 255, advert) == DecodeStatus.OK
                    ? 1 : 0;
            ok += advert.containsAddress(VIP_IPV6) ? 1 : 0;
            VrrpCodec.encode(3, 51, 150, 10, 0, null, VIP_IPV4, false, ChecksumForm.V3_PSEUDO_HEADER, R1_IPV4,
                    GROUP_IPV4, out, 0);
        }
        return ok;
    }
}
