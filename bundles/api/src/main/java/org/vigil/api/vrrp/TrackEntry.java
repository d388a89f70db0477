package org.vigil.api.vrrp;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of an instance's or sync group's track_script, track_interface, track_file or
 * track_process, in the form the configuration carries it (one String per entry, as for virtual
 * addresses, routes and rules): {@code NAME [weight N] [reverse|noreverse] [init_file V [overwrite]]}.
 * The keepalived.conf bridge writes it with {@link #toString()} after resolving a track_file
 * block's name to its absolute path, weight and init_file; the core reads it with {@link #parse}.
 * A hand-written configuration uses the same words keepalived.conf does.
 *
 * @param name the vrrp_script, interface, file (absolute path) or vrrp_track_process name
 * @param weight the entry's weight; null for the tracked object's default (a vrrp_script's or
 *        vrrp_track_process's weight, 0 for an interface, 1 for a file)
 * @param reverse keepalived's {@code reverse} (true) or {@code noreverse} (false); null for the
 *        tracked object's default
 * @param initValue track_file only: written to the file at configuration when it does not exist
 *        (or always, with {@code overwrite}); null without init_file
 * @param overwrite track_file only: init_file also replaces an existing file
 * @since 0.7.0
 */
public record TrackEntry(String name, Integer weight, Boolean reverse, Long initValue, boolean overwrite) {

    public TrackEntry {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("track entry name '" + name + "'");
        }
    }

    /** An entry without init_file. */
    public TrackEntry(String name, Integer weight, Boolean reverse) {
        this(name, weight, reverse, null, false);
    }

    /**
     * Reads one entry. Words are separated by blanks; keywords are not case-sensitive.
     *
     * @throws IllegalArgumentException on an empty entry, an unknown word, or a weight or
     *         init_file without an integer
     */
    public static TrackEntry parse(String entry) {
        String[] w = entry.trim().split("\\s+");
        if (w.length == 0 || w[0].isEmpty()) {
            throw new IllegalArgumentException("empty track entry");
        }
        Integer weight = null;
        Boolean reverse = null;
        Long init = null;
        boolean overwrite = false;
        for (int i = 1; i < w.length; i++) {
            String word = w[i].toLowerCase(Locale.ROOT);
            switch (word) {
                case "weight" -> weight = (int) number(entry, w, ++i, word, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "init_file" -> init = number(entry, w, ++i, word, Long.MIN_VALUE, Long.MAX_VALUE);
                case "overwrite" -> overwrite = true;
                case "reverse" -> reverse = true;
                case "noreverse" -> reverse = false;
                default -> throw new IllegalArgumentException("track entry '" + entry.trim() + "': unknown word "
                        + w[i]);
            }
        }
        return new TrackEntry(w[0], weight, reverse, init, overwrite);
    }

    private static long number(String entry, String[] w, int i, String word, long min, long max) {
        if (i >= w.length) {
            throw new IllegalArgumentException("track entry '" + entry.trim() + "': " + word + " needs a value");
        }
        try {
            long v = Long.parseLong(w[i]);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("track entry '" + entry.trim() + "': " + word + " '" + w[i]
                    + "' is not an integer");
        }
    }

    /**
     * This entry, after checking that its weight (when set) is within -max..max: keepalived's
     * bounds differ by kind (253 for scripts and interfaces, 254 for processes and files).
     *
     * @throws IllegalArgumentException naming the entry when it is outside
     */
    public TrackEntry checkWeight(int max) {
        if (weight != null && (weight < -max || weight > max)) {
            throw new IllegalArgumentException("track entry '" + this + "': weight " + weight + " not in -" + max
                    + ".." + max);
        }
        return this;
    }

    /** The entry form {@link #parse} reads: {@code NAME [weight N] [reverse|noreverse] [init_file V [overwrite]]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        if (weight != null) {
            b.append(" weight ").append(weight);
        }
        if (reverse != null) {
            b.append(reverse ? " reverse" : " noreverse");
        }
        if (initValue != null) {
            b.append(" init_file ").append(initValue);
            if (overwrite) {
                b.append(" overwrite");
            }
        }
        return b.toString();
    }
}
