package org.vigil.lb.nft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Reading nft 1.0.6's JSON back: nft-list-table.json is `nft -j list table inet vigil` of a real table. */
class KernelViewTest {

    private static String sample() throws IOException {
        try (InputStream in = KernelViewTest.class.getResourceAsStream("/nft-list-table.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dispatchElementsSlotsAndTargetsAreRead() throws IOException {
        KernelView k = KernelView.parse(sample());
        assertThat(k.dispatch()).containsEntry("vs_x", "services4 192.0.2.249 . tcp . 80")
                .containsEntry("vs_f", "fwmark4 10");
        // the persistence lookup's jump is not a slot; ranges and single numbers are
        assertThat(k.services().get("vs_x")).extracting(s -> s.chain() + " " + s.from() + "-" + s.to())
                .containsExactly("rs_x__192_0_2_21_80 0-2", "rs_x__192_0_2_22_80 3-3");
        assertThat(k.services().get("vs_f")).extracting(Plan.Slot::chain).containsExactly("rs_f__2001_db8__21_0");
        assertThat(k.services().get("vs_empty")).isEmpty();
        assertThat(k.servers().get("rs_x__192_0_2_21_80")).isEqualTo(new KernelView.Server("192.0.2.21:80", 0));
        assertThat(k.servers().get("rs_f__2001_db8__21_0").target()).isEqualTo("2001:db8::21");
    }

    @Test
    void jsonStringsNumbersAndNesting() {
        assertThat(Json.parse("{\"a\": [1, -2, 3.5, \"x\\\"y\\u0041\", true, false, null, {}]}").toString())
                .isEqualTo("{a=[1, -2, 3.5, x\"yA, true, false, null, {}]}");
    }
}
