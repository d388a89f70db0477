package org.vigil.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The top-level tracker blocks instances and sync groups name: {@code vrrp_track_process} and
 * {@code track_file} (with its deprecated synonym {@code vrrp_track_file}).
 */
public record TrackBlocks(List<Process> processes, List<File> files) {

    public static final TrackBlocks EMPTY = new TrackBlocks(List.of(), List.of());

    public TrackBlocks {
        processes = List.copyOf(processes);
        files = List.copyOf(files);
    }

    /**
     * One vrrp_track_process. {@code process} is the name (or program) and its parameters, quotes
     * removed; {@code paramMatch} "initial", "partial" or null; delays in seconds.
     */
    public record Process(String name, Origin origin, List<String> process, String paramMatch, int weight,
            boolean reverse, int quorum, int quorumMax, BigDecimal forkDelay, BigDecimal terminateDelay,
            boolean fullCommand) {
        public Process {
            process = List.copyOf(process);
        }
    }

    /**
     * One track_file block: the file, the default weight (keepalived: 1) and init_file's value
     * (null without init_file) and whether it overwrites an existing file.
     */
    public record File(String name, Origin origin, String file, int weight, boolean reverse, Long initValue,
            boolean overwrite) {
    }

    public Optional<Process> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<File> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
