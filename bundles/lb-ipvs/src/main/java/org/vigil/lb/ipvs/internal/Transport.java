package org.vigil.lb.ipvs.internal;

import java.io.IOException;
import java.util.List;

/** Where the driver's generic netlink messages go: the kernel ({@link GenlSocket}), or a test's recorder. */
interface Transport extends AutoCloseable {

    /** A fresh sequence number for the next message. */
    int nextSequence();

    /**
     * Sends the messages (each with NLM_F_ACK and its own sequence) and waits for every answer.
     *
     * @return per message, 0 for its ACK or the kernel's -errno
     * @throws IOException when the socket fails or the kernel does not answer in time
     */
    int[] exchange(List<byte[]> messages, int[] sequences) throws IOException;

    String strerror(int errno);

    @Override
    void close();
}
