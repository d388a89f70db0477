package org.vigil.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An instance's track_script, track_interface and track_file entries, as written
 * ({@code NAME [weight N] [reverse|noreverse]}). A track_script without a weight takes the
 * vrrp_script's; track_interface defaults to weight 0 (down means FAULT); track_file names the
 * file by its absolute path (vrrp_track_file blocks are not bridged yet) and defaults to weight 1.
 */
record Tracks(List<Entry> scripts, List<Entry> interfaces, List<Entry> files) {
    static final Tracks NONE = new Tracks(List.of(), List.of(), List.of());

    /** keepalived's bounds: -253..253 for scripts and interfaces, -254..254 for files. */
    static final int MAX_WEIGHT = 253;
    static final int MAX_FILE_WEIGHT = 254;

    /** One entry; a null weight or reverse means "the tracked object's default". */
    record Entry(String name, Integer weight, Boolean reverse) {
    }

    Tracks {
        scripts = List.copyOf(scripts);
        interfaces = List.copyOf(interfaces);
        files = List.copyOf(files);
    }

    boolean isEmpty() {
        return scripts.isEmpty() && interfaces.isEmpty() && files.isEmpty();
    }

    static Tracks parse(List<String> scripts, List<String> interfaces, List<String> files) {
        return new Tracks(entries(scripts, MAX_WEIGHT), entries(interfaces, MAX_WEIGHT),
                entries(files, MAX_FILE_WEIGHT));
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
            for (int i = 1; i < w.length; i++) {
                switch (w[i].toLowerCase(Locale.ROOT)) {
                    case "weight" -> {
                        if (i + 1 >= w.length) {
                            throw new IllegalArgumentException("track entry '" + line + "': weight needs a value");
                        }
                        int v = Integer.parseInt(w[++i]);
                        if (v < -maxWeight || v > maxWeight) {
                            throw new IllegalArgumentException("track entry '" + line + "': weight " + v
                                    + " not in -" + maxWeight + ".." + maxWeight);
                        }
                        weight = v;
                    }
                    case "reverse" -> reverse = true;
                    case "noreverse" -> reverse = false;
                    default -> throw new IllegalArgumentException("track entry '" + line + "': unknown word " + w[i]);
                }
            }
            out.add(new Entry(w[0], weight, reverse));
        }
        return out;
    }
}
