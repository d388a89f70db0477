package org.vigil.api.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one form of a track entry: what the bridge writes, the core reads back the same. */
class TrackEntryTest {

    @Test
    void anEntryReadsBackFromTheFormItWrites() {
        for (String e : new String[] {"chk", "chk weight -20", "eth1 weight 0 reverse", "eth1 noreverse",
                "/run/prio weight 7 init_file -3 overwrite", "/run/prio init_file 0"}) {
            assertThat(TrackEntry.parse(e).toString()).isEqualTo(e);
            assertThat(TrackEntry.parse(TrackEntry.parse(e).toString())).isEqualTo(TrackEntry.parse(e));
        }
        assertThat(TrackEntry.parse("  chk   WEIGHT 5  Reverse ")).isEqualTo(new TrackEntry("chk", 5, true));
        assertThatThrownBy(() -> TrackEntry.parse("chk weight")).hasMessage("track entry 'chk weight': weight needs a value");
        assertThatThrownBy(() -> TrackEntry.parse("chk weight 1e3"))
                .hasMessage("track entry 'chk weight 1e3': weight '1e3' is not an integer");
        assertThatThrownBy(() -> TrackEntry.parse(" ")).hasMessage("empty track entry");
    }

    @Test
    void weightBoundsAreTheTrackersAndNamesAreOneWord() {
        assertThat(TrackEntry.parse("chk weight -253").checkWeight(253).weight()).isEqualTo(-253);
        assertThatThrownBy(() -> TrackEntry.parse("chk weight 254").checkWeight(253))
                .hasMessage("track entry 'chk weight 254': weight 254 not in -253..253");
        assertThatThrownBy(() -> new TrackEntry("my script", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrackEntry.parse("chk bogus")).hasMessage("track entry 'chk bogus': unknown word bogus");
    }
}
