package org.vigil.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The receive thread's helpers (libc 0.3.0), against the real kernel, unprivileged: a PollSet
 * reports which descriptor is ready and wakes when another thread writes an eventfd, a
 * ClockReader reads the same clocks as the JDK, MessageHeader copies a datagram's bytes either
 * way exactly (word by word and in bulk), and none of it allocates per call.
 */
class ReceiveHelpersTest {

    @Test
    void aPollSetSaysWhichDescriptorIsReadyAndWakesOnAnotherThreadsWrite() throws Exception {
        int quiet = Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
        int woken = Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
        try {
            PollSet polls = new PollSet(quiet, woken);
            assertThat(polls.poll(0)).as("nothing written yet").isZero();
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> polls.poll(10_000));
            Thread.sleep(50); // let it block
            long started = System.nanoTime();
            Libc.check(Libc.wake(woken), "write eventfd");
            assertThat(polled.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(System.nanoTime() - started).as("woken at once, not by the timeout").isLessThan(2_000_000_000L);
            assertThat(polls.returned(0)).isZero();
            assertThat(polls.returned(1) & Libc.POLLIN).isEqualTo(Libc.POLLIN);
            assertThatThrownBy(() -> polls.returned(2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(PollSet::new).isInstanceOf(IllegalArgumentException.class);
        } finally {
            Libc.close(quiet);
            Libc.close(woken);
        }
    }

    @Test
    void aClockReaderReadsTheClocksTheJdkReads() {
        ClockReader realtime = new ClockReader(Libc.CLOCK_REALTIME);
        ClockReader monotonic = new ClockReader(Libc.CLOCK_MONOTONIC);
        long before = System.currentTimeMillis();
        long realtimeNanos = realtime.nanos();
        long after = System.currentTimeMillis();
        assertThat(realtimeNanos / 1_000_000).isBetween(before, after);
        // System.nanoTime is CLOCK_MONOTONIC on Linux
        long n0 = System.nanoTime();
        long m = monotonic.nanos();
        long n1 = System.nanoTime();
        assertThat(m).isBetween(n0, n1);
        assertThat(new ClockReader(12345).nanos()).as("no such clock").isEqualTo(-1);
    }

    @Test
    void messageHeaderCopiesDataExactlyEitherWay() {
        MessageHeader m = new MessageHeader(0, 8192, 0);
        java.util.Random random = new java.util.Random(7);
        for (int length : new int[] {0, 1, 7, 8, 9, 40, 63, 64, 65, 1100, 2048, 2049, 8192}) {
            byte[] sent = new byte[length + 3];
            random.nextBytes(sent);
            m.data().put(0, new byte[8192]);
            m.writeData(sent, 3, length);
            byte[] expected = java.util.Arrays.copyOfRange(sent, 3, 3 + length);
            byte[] inBuffer = new byte[length];
            m.data().get(0, inBuffer);
            assertThat(inBuffer).as("written, %d bytes", length).isEqualTo(expected);
            if (length < 8192) {
                assertThat(m.data().get(length)).as("nothing written past the length").isZero();
            }
            byte[] read = new byte[8192];
            m.readData(read, length);
            assertThat(java.util.Arrays.copyOf(read, length)).as("read, %d bytes", length).isEqualTo(expected);
            if (length < read.length) {
                assertThat(read[length]).as("nothing read past the length").isZero();
            }
        }
        assertThatThrownBy(() -> m.readData(new byte[10], 11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> m.writeData(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new MessageHeader(0, 16, 0).writeData(new byte[32], 0, 17))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void noneOfThemAllocatesPerCall() throws Exception {
        int efd = Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
        try {
            PollSet polls = new PollSet(efd);
            ClockReader realtime = new ClockReader(Libc.CLOCK_REALTIME);
            MessageHeader m = new MessageHeader(0, 2048, 0);
            byte[] datagram = new byte[40];
            Runnable round = () -> {
                polls.poll(0);
                polls.returned(0);
                realtime.nanos();
                m.writeData(datagram, 0, datagram.length);
                m.readData(datagram, datagram.length);
            };
            for (int i = 0; i < 20_000; i++) {
                round.run();
            }
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                round.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated in 20,000 rounds").isLessThan(16 * 1024);
        } finally {
            Libc.close(efd);
        }
    }
}
