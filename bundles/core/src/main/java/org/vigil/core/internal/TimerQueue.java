package org.vigil.core.internal;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap ordered by deadline (then by arming order), where each
 * timer knows its slot, so arming, moving and cancelling are O(log n) and allocate nothing.
 * Confined to the loop thread. Shared by {@link ElectionLoop} and the tests' manual loop so both
 * order timers the same way.
 */
final class TimerQueue {
    /**
     * A wake-up runs timers before their deadlines (within their slack) only while it has run
     * fewer timers than this. Bounds the bursts shared wake-ups build: a master's adverts that
     * leave together reach its backups together, and when the master dies those backups take
     * over together, one advert after the other. Due timers always run, and count.
     */
    static final int SHARED_PER_WAKE_UP = 64;

    private Entry[] heap = new Entry[64];
    private int size;
    private long sequence;
    /** Timers run since {@link #wokeUp}. */
    private int ranThisWakeUp;

    Loop.Timer newTimer(Runnable task) {
        return new Entry(task);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest deadline, or Long.MAX_VALUE when nothing is armed. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** The loop woke up (or starts another turn): the count for {@link #SHARED_PER_WAKE_UP} starts again. */
    void wokeUp() {
        ranThisWakeUp = 0;
    }

    /**
     * Removes the earliest timer if it is due at {@code now}, or within its slack of being due
     * while fewer than {@link #SHARED_PER_WAKE_UP} timers have run since {@link #wokeUp}, and
     * returns its task, else null. Only the earliest deadline is looked at: a later timer with
     * more slack waits for its turn, which keeps this O(log n) and never fires anything late.
     */
    Runnable pollDue(long now) {
        if (size == 0) {
            return null;
        }
        Entry e = heap[0];
        if (e.deadline > now && (ranThisWakeUp >= SHARED_PER_WAKE_UP || e.deadline - e.early > now)) {
            return null;
        }
        ranThisWakeUp++;
        removeAt(0);
        return e.task;
    }

    int size() {
        return size;
    }

    private void insert(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.index = size;
        heap[size++] = e;
        siftUp(e.index);
    }

    private void removeAt(int i) {
        Entry removed = heap[i];
        removed.index = -1;
        size--;
        if (i != size) {
            Entry last = heap[size];
            heap[i] = last;
            last.index = i;
            heap[size] = null;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        } else {
            heap[size] = null;
        }
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (!e.before(p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Entry c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].before(c)) {
                child = right;
                c = heap[child];
            }
            if (!c.before(e)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }

    private final class Entry implements Loop.Timer {
        final Runnable task;
        long deadline = -1;
        /** How long before the deadline the task may run (0: not before it). */
        long early;
        long seq;
        int index = -1;

        Entry(Runnable task) {
            this.task = task;
        }

        boolean before(Entry o) {
            return deadline < o.deadline || (deadline == o.deadline && seq < o.seq);
        }

        @Override
        public void arm(long deadlineMicros) {
            arm(deadlineMicros, 0);
        }

        @Override
        public void arm(long deadlineMicros, long earlyMicros) {
            if (index >= 0) {
                removeAt(index);
            }
            deadline = deadlineMicros;
            early = Math.max(0, earlyMicros);
            seq = sequence++;
            insert(this);
        }

        @Override
        public boolean armed() {
            return index >= 0;
        }

        @Override
        public long deadlineMicros() {
            return index >= 0 ? deadline : -1;
        }

        @Override
        public void cancel() {
            if (index >= 0) {
                removeAt(index);
            }
        }
    }
}
