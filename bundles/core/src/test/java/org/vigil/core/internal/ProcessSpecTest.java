package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** vrrp_track_process matching, as keepalived.conf(5) describes it. */
class ProcessSpecTest {

    private static ProcessSpec spec(String match, boolean full, String... process) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "t");
        p.put("process", process);
        p.put("param.match", match);
        p.put("full.command", full);
        return TypedConfigs.process(p);
    }

    @Test
    void aBareNameMatchesTheProcessNameExactlyNotAsPgrepDoes() {
        ProcessSpec ssh = spec("", false, "ssh");
        assertThat(ssh.needsCommandLine()).isFalse();
        assertThat(ssh.matches("ssh", null)).isTrue();
        assertThat(ssh.matches("sshd", null)).as("pgrep ssh would match sshd; keepalived does not").isFalse();
        assertThat(spec("", false, "a-very-long-process-name").matches("a-very-long-pro", null))
                .as("comm holds 15 characters").isTrue();
    }

    @Test
    void parametersMatchExactlyUnlessPartialOrInitial() {
        ProcessSpec exact = spec("", false, "/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg");
        assertThat(exact.matches("haproxy", List.of("/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg"))).isTrue();
        assertThat(exact.matches("haproxy", List.of("/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg", "-D"))).isFalse();
        assertThat(exact.matches("haproxy", List.of("haproxy", "-f", "/etc/haproxy.cfg"))).isFalse();

        ProcessSpec partial = spec("partial", false, "/usr/sbin/haproxy", "-f");
        assertThat(partial.matches("haproxy", List.of("/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg"))).isTrue();
        assertThat(partial.matches("haproxy", List.of("/usr/sbin/haproxy", "-fx"))).isFalse();

        ProcessSpec initial = spec("initial", false, "/usr/sbin/haproxy", "-f", "/etc/hap");
        assertThat(initial.matches("haproxy", List.of("/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg"))).isTrue();
        assertThat(initial.matches("haproxy", List.of("/usr/sbin/haproxy", "-g", "/etc/haproxy.cfg"))).isFalse();
    }

    @Test
    void paramMatchWithoutParametersMeansNoParametersAndFullCommandComparesTheProgram() {
        ProcessSpec none = spec("partial", false, "/bin/sleep");
        assertThat(none.matches("sleep", List.of("/bin/sleep"))).isTrue();
        assertThat(none.matches("sleep", List.of("/bin/sleep", "10"))).isFalse();

        ProcessSpec full = spec("", true, "/bin/sleep");
        assertThat(full.matches("sleep", List.of("/bin/sleep", "10"))).isTrue();
        assertThat(full.matches("sleep", List.of("sleep", "10"))).isFalse();
    }

    @Test
    void quorumAndQuorumMax() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "t");
        p.put("process", new String[] {"nginx"});
        p.put("quorum", 2);
        p.put("quorum.max", 3);
        ProcessSpec s = TypedConfigs.process(p);
        assertThat(s.quorate(1)).isFalse();
        assertThat(s.quorate(2)).isTrue();
        assertThat(s.quorate(3)).isTrue();
        assertThat(s.quorate(4)).isFalse();
        assertThat(spec("", false, "x").quorate(0)).as("default quorum 1").isFalse();
    }
}
