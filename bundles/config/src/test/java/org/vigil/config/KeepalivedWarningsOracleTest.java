package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.testing.netns.HostRequirement;

/**
 * {@code vigil -t} against {@code keepalived -t} (Debian's 2.2.7, run here as the oracle) on the
 * 25 samples of Debian's keepalived package, on this host's interfaces: every line Vigil reports
 * is a line keepalived reports too (same file line, or the same words for keepalived's lines that
 * carry no line number), and Vigil calls no keyword of them unsupported.
 */
class KeepalivedWarningsOracleTest {

    private static final Path KEEPALIVED = Path.of("/usr/sbin/keepalived");
    /** keepalived -t's "(file: Line 12) message". */
    private static final Pattern KEEPALIVED_LINE = Pattern.compile("^\\((?:.*: )?Line (\\d+)\\) (.*)$");
    /** Vigil's "file:12: message". */
    private static final Pattern VIGIL_LINE = Pattern.compile("^.*?:(\\d+): (.*)$");

    static Stream<Path> samples() throws IOException {
        return SamplesTest.debianSamples();
    }

    /** keepalived -t's output, with a deadline (a -t run has been seen to hang). */
    private static List<String> keepalived(Path sample) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(KEEPALIVED.toString(), "-t", "-f", sample.toString()).redirectErrorStream(true)
                .start();
        byte[] out;
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("keepalived -t -f " + sample + " did not finish in 20 s");
            }
            out = p.getInputStream().readAllBytes();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }

    /** Vigil's own fixtures of the keywords issue 13 added (track blocks, ~SEQ, ~LST, @id, $VAR). */
    static Stream<Path> parityFixtures() throws Exception {
        Path dir = Path.of(KeepalivedWarningsOracleTest.class.getResource("/keepalived-parity").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("parityFixtures")
    void vigilReportsOnlyWhatKeepalivedReportsOnTheNewKeywords(Path fixture) throws Exception {
        vigilReportsOnlyWhatKeepalivedReports(fixture);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void vigilReportsOnlyWhatKeepalivedReports(Path sample) throws Exception {
        HostRequirement.require(Files.isExecutable(KEEPALIVED),
                "keepalived -t is the oracle: apt-get install keepalived (distribution/lab/install-packages.sh)");
        List<String> theirs = keepalived(sample);
        Set<Integer> theirLines = new TreeSet<>();
        List<String> theirWords = new ArrayList<>();
        for (String l : theirs) {
            Matcher m = KEEPALIVED_LINE.matcher(l);
            if (m.matches()) {
                theirLines.add(Integer.parseInt(m.group(1)));
                theirWords.add(m.group(2).strip());
            } else {
                theirWords.add(l.strip());
            }
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ConfigCheck.report(sample, KeepalivedConfig.defaultConfigId(), ConfigCheck.SYSTEM_INTERFACES,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<String> ours = printed.toString(StandardCharsets.UTF_8).lines().toList();
        for (String l : ours) {
            assertThat(l).as("Vigil calls nothing in " + sample.getFileName() + " unsupported")
                    .doesNotContain("not supported").doesNotContain("not acted on");
            Matcher m = VIGIL_LINE.matcher(l);
            String words = m.matches() ? m.group(2).strip() : l.strip();
            boolean sameLine = m.matches() && theirLines.contains(Integer.parseInt(m.group(1)));
            boolean sameWords = theirWords.stream().anyMatch(w -> w.equals(words) || w.endsWith(words));
            assertThat(sameLine || sameWords).as("Vigil's '" + l + "' has no counterpart in keepalived's:\n"
                    + String.join("\n", theirs)).isTrue();
        }
    }
}
