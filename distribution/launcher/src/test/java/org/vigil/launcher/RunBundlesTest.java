package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class RunBundlesTest {

    @Test
    void firstMatchingDecoratorGivesTheStartLevel() {
        RunBundles levels = RunBundles.of(String.join("\n",
                "-runfw: org.apache.felix.framework;version='[7.0.5,8)'",
                "-runbundles+: \\",
                "    org.objectweb.asm*;startlevel=1,\\",
                "    slf4j.*;startlevel=2,\\",
                "    org.vigil.core;startlevel=20,\\",
                "    *;startlevel=10",
                "-runbundles: \\",
                "\tslf4j.api;version='[2.0.20,2.0.21)'"));
        assertThat(levels.startLevel("org.objectweb.asm.tree.analysis")).hasValue(1);
        assertThat(levels.startLevel("slf4j.api")).hasValue(2);
        assertThat(levels.startLevel("org.vigil.core")).hasValue(20);
        assertThat(levels.startLevel("org.vigil.codec")).hasValue(10);
    }

    @Test
    void theCommittedBndrunPutsLoggingFirstAndTheCoreAboveTheDrivers() throws IOException {
        RunBundles levels = RunBundles.read(Path.of("../app/vigil.bndrun"));
        assertThat(levels.startLevel("org.apache.aries.spifly.dynamic.bundle")).hasValue(1);
        assertThat(levels.startLevel("ch.qos.logback.classic")).hasValue(2);
        assertThat(levels.startLevel("org.vigil.core").getAsInt())
                .isGreaterThan(levels.startLevel("org.vigil.driver.sim").getAsInt());
    }
}
