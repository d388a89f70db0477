package org.vigil.libc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The binding is loaded by the first call, not by loading the API's classes: a JVM of its own
 * (nothing else in it has touched libc) initialises Libc, MessageHeader's and NetlinkSocket's
 * classes and has no jffi stub mapped, then makes one call and has it. That is what lets lb-ipvs
 * without IPVS and an unconfigured PING_CHECK cost nothing.
 */
class LazyLoadingTest {

    /** Runs in the child JVM. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            ClassLoader loader = Probe.class.getClassLoader();
            for (String c : new String[] { "org.vigil.libc.Libc", "org.vigil.libc.MessageHeader",
                    "org.vigil.netlink.NetlinkSocket", "org.vigil.netlink.NetlinkException" }) {
                Class.forName(c, true, loader);
            }
            System.out.println("classes initialised, jffi mapped: " + jffiMapped());
            Libc.ifNameToIndex("lo");
            System.out.println("after the first call, jffi mapped: " + jffiMapped());
        }

        private static boolean jffiMapped() throws Exception {
            return Files.readString(Path.of("/proc/self/maps")).contains("jffi");
        }
    }

    @Test
    void theBindingLoadsOnTheFirstCallAndNotBefore() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("classes initialised, jffi mapped: false")
                .contains("after the first call, jffi mapped: true");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
