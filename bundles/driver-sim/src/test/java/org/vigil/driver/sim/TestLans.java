package org.vigil.driver.sim;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out LANs (base ports) unlikely to collide with parallel builds or with each other. */
public final class TestLans {
    private static final int FIRST = 40_000 + ThreadLocalRandom.current().nextInt(300) * 64;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestLans() {
    }

    /** A fresh base port with room for 8 slots. */
    public static int next() {
        return FIRST + NEXT.getAndIncrement() * 8;
    }
}
