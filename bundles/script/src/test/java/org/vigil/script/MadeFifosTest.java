package org.vigil.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FIFOs in a temporary directory. */
class MadeFifosTest {
    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();
    private final MadeFifos fifos = new MadeFifos();

    @Test
    void removesOnlyWhatItMadeAndWhatIsStillAFifo() throws Exception {
        Path a = dir.resolve("a.fifo");
        Path b = dir.resolve("b.fifo");
        Path found = dir.resolve("found.fifo");
        FifoScript.createFifo(found);
        fifos.ensure(a, null, ScriptSecurity.Host.system(), log::add);
        fifos.ensure(b, null, ScriptSecurity.Host.system(), log::add);
        fifos.ensure(found, null, ScriptSecurity.Host.system(), log::add);
        assertThat(fifos.made(a)).isTrue();
        assertThat(fifos.made(found)).as("there before").isFalse();

        fifos.retain(Set.of(b, found), log::add);
        assertThat(Files.exists(a, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readAttributes(b, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();

        // someone replaced b with a file of their own: it is theirs
        Files.delete(b);
        Files.writeString(b, "not a FIFO");
        fifos.removeAll(log::add);
        assertThat(Files.readString(b)).isEqualTo("not a FIFO");
        assertThat(Files.readAttributes(found, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
        assertThat(log).isEmpty();
    }
}
