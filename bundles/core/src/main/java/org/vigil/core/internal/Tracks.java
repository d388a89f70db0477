package org.vigil.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An instance's track_script, track_interface, track_file and track_process entries, as written
 * ({@code NAME [weight N] [reverse|noreverse]}). A track_script or track_process without a weight
 * takes its block's; track_interface defaults to weight 0 (down means FAULT); track_file names
 * the file by its absolute path (the config bridge resolves a track_file block's name to its file
 * and weight) and defaults to weight 1.
 */
record Tracks(List<Entry> scripts, List<Entry> interfaces, List<Entry> files, List<Entry> processes) {
    static final Tracks NONE = new Tracks(List.of(), List.of(), List.of(), List.of());

    /**
     * keepalived's bounds: -253..253 for scripts and interfaces, -254..254 for processes and for a
     * file's entry in an instance; a track_file block's own weight may be any int (the bridge
     * writes it into the entry).
     */
    static final int MAX_WEIGHT = 253;
    static final int MAX_PROCESS_WEIGHT = 254;
    static final int MAX_FILE_WEIGHT = Integer.MAX_VALUE;

    /**
     * One entry; a null weight or reverse means "the tracked object's default". A track_file entry
     * may carry its block's init_file: the value written to the file at configuration when it does
     * not exist (or always, with overwrite); null without init_file.
     */
    record Entry(String name, Integer weight, Boolean reverse, Long initValue, boolean overwrite) {
        Entry(String name, Integer weight, Boolean reverse) {
            this(name, weight, reverse, null, false);
        }
    }

    Tracks {
        scripts = List.copyOf(scripts);
        interfaces = List.copyOf(interfaces);
        files = List.copyOf(files);
        processes = List.copyOf(processes);
    }

    Tracks(List<Entry> scripts, List<Entry> interfaces, List<Entry> files) {
        this(scripts, interfaces, files, List.of());
    }

    boolean isEmpty() {
        return scripts.isEmpty() && interfaces.isEmpty() && files.isEmpty() && processes.isEmpty();
    }

    static Tracks parse(List<String> scripts, List<String> interfaces, List<String> files) {
        return parse(scripts, interfaces, files, List.of());
    }

    static Tracks parse(List<String> scripts, List<String> interfaces, List<String> files, List<String> processes) {
        return new Tracks(entries(scripts, MAX_WEIGHT), entries(interfaces, MAX_WEIGHT),
                entries(files, MAX_FILE_WEIGHT), entries(processes, MAX_PROCESS_WEIGHT));
    }

    /** One attribute's entries; errors name the attribute. */
    static List<Entry> entries(String key, String[] lines, int maxWeight) {
        return TypedAttributes.attribute(key, () -> entries(List.of(lines), maxWeight));
    }

    private static List<Entry> entries(List<String> lines, int maxWeight) {
        List<Entry> out = new ArrayList<>();
        for (String line : lines) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 0 || w[0].isEmpty()) {
                continue;
            }
            Integer weight = null;
            Boolean reverse = null;
            Long init = null;
            boolean overwrite = false;
            for (int i = 1; i < w.length; i++) {
                switch (w[i].toLowerCase(Locale.ROOT)) {
                    case "weight" -> {
                        if (i + 1 >= w.length) {
                            throw new IllegalArgumentException("track entry '" + line + "': weight needs a value");
                        }
                        long v = Long.parseLong(w[++i]);
                        if (v < -maxWeight || v > maxWeight) {
                            throw new IllegalArgumentException("track entry '" + line + "': weight " + v
                                    + " not in -" + maxWeight + ".." + maxWeight);
                        }
                        weight = (int) v;
                    }
                    case "init_file" -> {
                        if (i + 1 >= w.length) {
                            throw new IllegalArgumentException("track entry '" + line + "': init_file needs a value");
                        }
                        init = Long.parseLong(w[++i]);
                    }
                    case "overwrite" -> overwrite = true;
                    case "reverse" -> reverse = true;
                    case "noreverse" -> reverse = false;
                    default -> throw new IllegalArgumentException("track entry '" + line + "': unknown word " + w[i]);
                }
            }
            out.add(new Entry(w[0], weight, reverse, init, overwrite));
        }
        return out;
    }
}
