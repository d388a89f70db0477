package org.vigil.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The regression side of the fuzzing: every committed corpus input and crash reproducer of each
 * target runs through the target's invariants, as in the campaign, with a time bound per input.
 * Fast (seconds): this is what {@code mvn verify} runs; the campaign itself is
 * {@link FuzzCampaignTest} behind {@code -Dvigil.fuzz=true}.
 */
class CorpusReplayTest {
    /** Far above any input's time in the campaign; a hang fails instead of stalling the build. */
    private static final Duration PER_INPUT = Duration.ofSeconds(10);

    @TestFactory
    Stream<DynamicTest> codec() {
        return replay("codec", CodecFuzzer::fuzzerTestOneInput);
    }

    @TestFactory
    Stream<DynamicTest> config() {
        return replay("config", ConfigFuzzer::fuzzerTestOneInput);
    }

    @TestFactory
    Stream<DynamicTest> ah() {
        return replay("ah", AhFuzzer::fuzzerTestOneInput);
    }

    @Test
    void corporaAreThereAndSmall() {
        for (String target : List.of("codec", "config", "ah")) {
            assertThat(inputs("corpus/" + target)).as(target + " corpus").hasSizeBetween(5, 500);
        }
    }

    /** The hand-written seeds, the minimised corpus and the crash reproducers of {@code target}. */
    private static Stream<DynamicTest> replay(String target, Consumer<byte[]> run) {
        return Stream.of("seeds/", "corpus/", "crashes/").flatMap(dir -> inputs(dir + target).stream()
                .map(file -> DynamicTest.dynamicTest(dir + file.getFileName(), () -> {
            byte[] input = Files.readAllBytes(file);
                    assertTimeoutPreemptively(PER_INPUT, () -> run.accept(input), file::toString);
                })));
    }

    static List<Path> inputs(String dir) {
        URL url = CorpusReplayTest.class.getResource(dir);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
