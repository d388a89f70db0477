package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.vigil.testing.netns.HostRequirement;

/** What the lab needs from the host: root, the tools, the built distribution. */
final class LabEnv {
    static final List<String> TOOLS = List.of("/usr/sbin/keepalived", "/usr/bin/tcpdump", "/usr/bin/tshark");

    private LabEnv() {
    }

    /**
     * The distribution the lab runs: {@code vigil.bench.dist} when set (a private copy for a benchmark, so that a
     * rebuild of distribution/app/target/vigil during the run does not change what runs), else {@code vigil.dist}.
     */
    static Path dist() {
        String d = System.getProperty("vigil.bench.dist", "");
        if (d.isBlank()) {
            d = System.getProperty("vigil.dist");
        }
        assertThat(d).as("system property vigil.dist (set by the pom)").isNotNull();
        return Path.of(d).toAbsolutePath().normalize();
    }

    /**
     * Not root (or a tool missing): the lab tests are skipped with the reason, except under CI=true,
     * where the run is root with the packages installed, so a skip would hide a broken lab: it fails
     * (the rule of every Vigil test with a host requirement: {@link HostRequirement}).
     */
    static void require() {
        String why = null;
        if (!"0".equals(Sh.ok("id", "-u").strip())) {
            why = "the network lab needs root (network namespaces, raw sockets); run the build as root to include it";
        } else {
            for (String t : TOOLS) {
                if (!Files.isExecutable(Path.of(t))) {
                    why = t + " is missing; install the lab packages: bash distribution/lab/install-packages.sh";
                    break;
                }
            }
        }
        HostRequirement.require(why == null, why);
        assertThat(dist().resolve("bin/vigil")).as("the built distribution").isExecutable();
    }
}
