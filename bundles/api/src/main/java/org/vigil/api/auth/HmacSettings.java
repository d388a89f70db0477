package org.vigil.api.auth;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One instance's {@code auth_hmac} block, resolved: key bytes by key id, the key that signs, the
 * replay rule and the mode. Holds secrets: {@link #toString()} names the key ids only, and
 * {@link #key(int)} hands out copies.
 */
public final class HmacSettings {
    /** keepalived's bounds on key material: 32 bytes keep a 128-bit margin even against a quantum search. */
    public static final int MIN_KEY_LENGTH = 32;
    public static final int MAX_KEY_LENGTH = 64;
    /** Bounds of {@code time_window}, seconds. */
    public static final int MIN_TIME_WINDOW = 1;
    public static final int MAX_TIME_WINDOW = 300;
    /** The derived window is never below this: {@code max(3 x advert_int, 5)}. */
    public static final int TIME_WINDOW_FLOOR = 5;

    private final SortedMap<Integer, byte[]> keys;
    private final int activeKey;
    private final boolean timeAntiReplay;
    private final int timeWindowSeconds;
    private final HmacMode mode;

    /**
     * @param keys key bytes by id (1-255), each {@value #MIN_KEY_LENGTH}-{@value #MAX_KEY_LENGTH} bytes
     * @param activeKey the id that signs; must be one of {@code keys}
     * @param timeAntiReplay {@code anti_replay time} (true) or {@code monotonic}
     * @param timeWindowSeconds the freshness window, used with {@code anti_replay time}
     */
    public HmacSettings(Map<Integer, byte[]> keys, int activeKey, boolean timeAntiReplay, int timeWindowSeconds,
            HmacMode mode) {
        this.keys = new TreeMap<>();
        for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
            int id = e.getKey();
            byte[] k = e.getValue();
            if (id < 1 || id > 255) {
                throw new IllegalArgumentException("auth_hmac key id " + id + " is not 1-255");
            }
            if (k.length < MIN_KEY_LENGTH || k.length > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("auth_hmac key " + id + " is " + k.length + " bytes, not "
                        + MIN_KEY_LENGTH + "-" + MAX_KEY_LENGTH);
            }
            this.keys.put(id, k.clone());
        }
        if (!this.keys.containsKey(activeKey)) {
            throw new IllegalArgumentException("auth_hmac active_key " + activeKey + " is not a configured key");
        }
        if (timeWindowSeconds < MIN_TIME_WINDOW || timeWindowSeconds > MAX_TIME_WINDOW) {
            throw new IllegalArgumentException("auth_hmac time_window " + timeWindowSeconds + " is not "
                    + MIN_TIME_WINDOW + "-" + MAX_TIME_WINDOW);
        }
        this.activeKey = activeKey;
        this.timeAntiReplay = timeAntiReplay;
        this.timeWindowSeconds = timeWindowSeconds;
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** keepalived's default window for an advert interval: {@code max(3 x advert_int, 5)} seconds. */
    public static int defaultTimeWindow(int advertIntervalCs) {
        int seconds = (3 * advertIntervalCs + 99) / 100;
        return Math.min(MAX_TIME_WINDOW, Math.max(TIME_WINDOW_FLOOR, seconds));
    }

    /** A copy of key {@code id}, or null. */
    public byte[] key(int id) {
        byte[] k = keys.get(id);
        return k == null ? null : k.clone();
    }

    public java.util.Set<Integer> keyIds() {
        return java.util.Collections.unmodifiableSet(keys.keySet());
    }

    public int activeKey() {
        return activeKey;
    }

    public boolean timeAntiReplay() {
        return timeAntiReplay;
    }

    public int timeWindowSeconds() {
        return timeWindowSeconds;
    }

    public HmacMode mode() {
        return mode;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HmacSettings s) || activeKey != s.activeKey || timeAntiReplay != s.timeAntiReplay
                || timeWindowSeconds != s.timeWindowSeconds || mode != s.mode || !keys.keySet().equals(s.keys.keySet())) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
            if (!Arrays.equals(e.getValue(), s.keys.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keys.keySet(), activeKey, timeAntiReplay, timeWindowSeconds, mode);
    }

    /** Never the key bytes. */
    @Override
    public String toString() {
        return "auth_hmac{keys " + keys.keySet() + ", active_key " + activeKey + ", anti_replay "
                + (timeAntiReplay ? "time, time_window " + timeWindowSeconds : "monotonic") + ", mode " + mode.keyword()
                + "}";
    }
}
