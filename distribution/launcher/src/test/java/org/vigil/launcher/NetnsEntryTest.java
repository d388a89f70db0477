package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.vigil.testing.netns.NetnsLab;

/** net_namespace: telling whether Vigil runs in the named namespace. Needs root (creates one). */
class NetnsEntryTest {

    @Test
    void aNamespaceIsRecognisedFromInsideAndNotFromOutside() throws Exception {
        NetnsLab.requireRootAndIp("net_namespace");
        try (NetnsLab lab = new NetnsLab("nsentry")) {
            lab.createSwitch();
            lab.addHost("a", "02:00:00:00:00:0a", "192.0.2.1/24");
            String name = lab.ns("a");
            assertThat(NetnsEntry.inside(name)).as("the test JVM runs in the host's namespace").isFalse();
            // a process started inside sees its own namespace under /proc/self, as the restarted daemon does
            Process p = new ProcessBuilder("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net").start();
            String inside = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor()).isZero();
            Object inode = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/run/netns", name), "unix:ino");
            assertThat(inside).isEqualTo("net:[" + inode + "]");
        }
    }

    @Test
    void aMissingNamespaceIsAClearError() {
        assertThatThrownBy(() -> NetnsEntry.inside("vigil-no-such-namespace")).isInstanceOf(IOException.class)
                .hasMessageContaining("network namespace vigil-no-such-namespace does not exist")
                .hasMessageContaining("ip netns add vigil-no-such-namespace");
    }
}
