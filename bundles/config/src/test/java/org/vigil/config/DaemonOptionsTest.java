package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.config.ConfFiles.lines;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived 2.2.7's top-level net_namespace, instance and use_pid_dir. */
class DaemonOptionsTest {
    @TempDir
    Path dir;

    @Test
    void topLevelOptionsAreReadWithoutWarningsAndConditionalLinesPickTheNamespace() {
        Path f = write(dir, "k.conf", "@high net_namespace high\n@low net_namespace low\ninstance web\nuse_pid_dir\n");
        ParseResult r = KeepalivedConfig.parse(f, "low");
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().daemon()).isEqualTo(new DaemonOptions("low", new Origin(f.toString(), 2), "web", true));
        assertThat(KeepalivedConfig.parse(f, "other").model().daemon().netNamespace()).isNull();
    }

    @Test
    void pidFilesAreNamedAfterInstanceAndNamespace() {
        Path run = Path.of("/run");
        Path dirPath = Path.of("/run/vigil");
        assertThat(DaemonOptions.NONE.pidFile(run, dirPath, "vigil")).isEqualTo(Path.of("/run/vigil.pid"));
        assertThat(new DaemonOptions("blue", null, "web", false).pidFile(run, dirPath, "vigil"))
                .isEqualTo(Path.of("/run/vigil/vigil_web_blue.pid"));
        assertThat(new DaemonOptions(null, null, null, true).pidFile(run, dirPath, "vigil"))
                .isEqualTo(Path.of("/run/vigil/vigil.pid"));
    }

    @Test
    void insideGlobalDefsTheyApplyWithAWarningThatKeepalivedIgnoresThem() {
        Path f = write(dir, "g.conf", "global_defs {\n  net_namespace blue\n}\n");
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(r.model().daemon().netNamespace()).isEqualTo("blue");
        assertThat(lines(r.warnings())).singleElement().asString().endsWith(":1: net_namespace in global_defs: "
                + "keepalived 2.2.7 reads it only outside global_defs (it reports 'Unknown keyword') - Vigil applies it");
    }
}
