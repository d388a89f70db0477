package org.vigil.check.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/** FILE_CHECK alone, against real files the test writes and changes. */
class FileCheckTest {
    static final String RS = "[192.0.2.21]:tcp:80";
    static final CheckContext CONTEXT = new CheckContext() {
        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int attemptNumber() {
            return 1;
        }
    };

    @TempDir
    Path dir;

    final FileCheckType type = new FileCheckType();

    @AfterEach
    void tearDown() {
        type.deactivate();
    }

    static CheckSpec spec(Map<String, List<String>> keywords) throws Exception {
        InetSocketAddress rs = new InetSocketAddress(InetAddress.getByName("192.0.2.21"), 80);
        return new CheckSpec("FILE_CHECK", "test", rs, rs, null, Duration.ofSeconds(5), "tcp", "[192.0.2.249]:tcp:80",
                new CheckProperties(keywords), "test:1");
    }

    static Map<String, List<String>> block(Object... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> v = (List<String>) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return m;
    }

    static CheckResult run(HealthCheck check) throws Exception {
        return check.attempt(CONTEXT).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void withWeightZeroTheValueZeroIsUpAndAnyOtherDownAndAChangeIsSeenAtTheNextAttempt() throws Exception {
        Path f = dir.resolve("state");
        Files.writeString(f, "0\n");
        HealthCheck check = type.prepare(spec(block("track.file", List.of("app"), "file", List.of(f.toString()),
                "weight", List.of("0"))));

        CheckResult up = run(check);
        Files.writeString(f, "3\n");
        CheckResult down = run(check);
        Files.writeString(f, "  -0 trailing text");
        CheckResult upAgain = run(check);

        assertThat(up.success()).isTrue();
        assertThat(up.line()).isEqualTo("File check of " + RS + " by track_file app (" + f + ") succeeded (value 0).");
        assertThat(down.success()).isFalse();
        assertThat(down.line()).isEqualTo("File check of " + RS + " by track_file app (" + f + ") failed (value 3).");
        assertThat(upAgain.success()).isTrue();
    }

    @Test
    void aWeightedValueIsDownOnlyAtKeepalivedsFaultLimit() throws Exception {
        Path f = dir.resolve("w");
        Files.writeString(f, "5");
        HealthCheck plain = type.prepare(spec(block("file", List.of(f.toString()))));
        HealthCheck reverse = type.prepare(spec(block("file", List.of(f.toString()), "weight",
                List.of("2147483647", "reverse"))));

        assertThat(run(plain).success()).isTrue();
        // 5 * -2147483647 is below -2147483648: keepalived's FAULT
        assertThat(run(reverse).success()).isFalse();
        Files.writeString(f, "-1");
        assertThat(run(plain).success()).isTrue();
        assertThat(run(reverse).success()).isTrue();
    }

    @Test
    void aMissingFileFails() throws Exception {
        Path f = dir.resolve("absent");
        HealthCheck check = type.prepare(spec(block("track.file", List.of("gone"), "file", List.of(f.toString()),
                "weight", List.of("0"))));

        CheckResult r = run(check);

        assertThat(r.success()).isFalse();
        assertThat(r.line()).endsWith("failed: No such file or directory.");
        Files.writeString(f, "0");
        assertThat(run(check).success()).isTrue();
    }

    @Test
    void blocksKeepalivedRejectsOrVigilCannotRunAreRefusedInKeepalivedsWords() {
        assertThatThrownBy(() -> type.prepare(spec(block("weight", List.of("0")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("FILE_CHECK has no track_file specified - ignoring");
        assertThatThrownBy(() -> type.prepare(spec(block("track.file", List.of("app")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("track_file app not found");
    }

    @Test
    void weightOptionsAsKeepalivedReadsThem() {
        assertThat(FileCheckType.weight(null)).isEqualTo(1);
        assertThat(FileCheckType.weight(List.of())).isEqualTo(1);
        assertThat(FileCheckType.weight(List.of("7"))).isEqualTo(7);
        assertThat(FileCheckType.weight(List.of("7", "reverse"))).isEqualTo(-7);
        assertThat(FileCheckType.weight(List.of("7", "noreverse"))).isEqualTo(7);
        assertThat(FileCheckType.weight(List.of("7", "sideways"))).isEqualTo(7);
        assertThat(FileCheckType.weight(List.of("2147483648"))).isEqualTo(1);
        assertThat(FileCheckType.weight(List.of("x"))).isEqualTo(1);
    }

    @Test
    void valuesAreReadAsStrtolDoes() {
        assertThat(FileCheck.value("42\n")).isEqualTo(42);
        assertThat(FileCheck.value("\t -17abc")).isEqualTo(-17);
        assertThat(FileCheck.value("+3")).isEqualTo(3);
        assertThat(FileCheck.value("")).isZero();
        assertThat(FileCheck.value("up")).isZero();
        assertThat(FileCheck.value("99999999999999999999")).isEqualTo(2147483648L);
        assertThat(FileCheck.value("-99999999999999999999")).isEqualTo(-2147483648L);
    }
}
