package org.vigil.lb.ipvs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A transport that records each exchange (one list of messages per call) and answers with
 * scripted errors: by default every message is acknowledged (0).
 */
final class RecordingTransport implements Transport {
    final List<List<byte[]>> exchanges = new ArrayList<>();
    /** The next answers, by position in the next exchange; missing positions answer 0. */
    final Map<Integer, Integer> nextErrors = new HashMap<>();
    private int sequence;

    @Override
    public int nextSequence() {
        return ++sequence;
    }

    @Override
    public int[] exchange(List<byte[]> messages, int[] sequences) throws IOException {
        for (int i = 0; i < messages.size(); i++) {
            int seq = ByteBuffer.wrap(messages.get(i)).order(ByteOrder.nativeOrder()).getInt(8);
            if (seq != sequences[i]) {
                throw new AssertionError("message " + i + " carries sequence " + seq + ", not " + sequences[i]);
            }
        }
        exchanges.add(List.copyOf(messages));
        int[] out = new int[messages.size()];
        nextErrors.forEach((i, e) -> out[i] = e);
        nextErrors.clear();
        return out;
    }

    /** The genl command byte of every message of exchange {@code n}. */
    List<Integer> commands(int n) {
        List<Integer> out = new ArrayList<>();
        for (byte[] m : exchanges.get(n)) {
            out.add(m[16] & 0xff);
        }
        return out;
    }

    @Override
    public String strerror(int errno) {
        return "errno " + errno;
    }

    @Override
    public void close() {
    }
}
