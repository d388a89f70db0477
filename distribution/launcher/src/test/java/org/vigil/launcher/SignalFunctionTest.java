package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/** {@code --signum}: keepalived 2.2.7's numbers where a JVM can catch the signal. */
class SignalFunctionTest {

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            int code = Vigil.commandLine().execute(args);
            return code + ":" + buf.toString().strip();
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void keepalivedsFunctionsPrintTheirSignalNumbers() {
        // `keepalived --signum=X` on Debian 12 (2.2.7): STOP 15, RELOAD 1, DATA 10, STATS 12
        assertThat(run("--signum=STOP")).isEqualTo("0:15");
        assertThat(run("--signum=RELOAD")).isEqualTo("0:1");
        assertThat(run("--signum=DATA")).isEqualTo("0:10");
        assertThat(run("--signum=STATS")).isEqualTo("0:12");
        // keepalived's 63 and 36 are real-time signals a JVM cannot catch: SIGSTKFLT and SIGPWR
        assertThat(run("--signum=STATS_CLEAR")).isEqualTo("0:16");
        assertThat(run("--signum", "json")).isEqualTo("0:30");
        assertThat(run("--signum=TDATA")).isEqualTo("1:");
    }
}
