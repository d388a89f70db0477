package org.vigil.driver.sim;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's attachment to a simulated LAN. A LAN is the UDP port range
 * {@code [basePort, basePort + slots)} on 127.0.0.1 and is named by its base port; an endpoint
 * binds the first free port of the range. The LAN is a hub: {@link #send} copies the frame to
 * every other port of the range, whether or not anyone listens there. Delay and loss are applied
 * by the sender, per copy, so one endpoint can play a bad cable while the others stay clean.
 *
 * <p>Received datagrams that decode to a {@link SimFrame} go to the listener on one daemon
 * thread, in arrival order; anything else is counted and dropped.
 */
public final class SimLanEndpoint implements AutoCloseable {

    public static final int DEFAULT_BASE_PORT = 47800;
    public static final int DEFAULT_SLOTS = 16;

    /** Hears frames from the LAN on the endpoint's receive thread; must not block. */
    @FunctionalInterface
    public interface FrameListener {
        void received(SimFrame frame);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SimLanEndpoint.class);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Larger than any datagram a sender can build (SimFrame.MAX_PAYLOAD plus headers). */
    private static final int RECEIVE_BUFFER = 65_535;

    private final int basePort;
    private final int slots;
    private final DatagramSocket socket;
    private final FrameListener listener;
    private final Random lossRandom;
    private final Thread receiver;
    private final ScheduledThreadPoolExecutor delayed;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long delayMillis;
    private volatile int lossPercent;
    private volatile boolean closed;

    private SimLanEndpoint(int basePort, int slots, DatagramSocket socket, long lossSeed, FrameListener listener) {
        this.basePort = basePort;
        this.slots = slots;
        this.socket = socket;
        this.listener = listener;
        this.lossRandom = new Random(lossSeed);
        String name = "vigil-simlan-" + socket.getLocalPort();
        this.delayed = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-delay"));
        this.delayed.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.receiver = daemon(this::receiveLoop, name + "-rx");
    }

    /** Joins the LAN named by {@code basePort} with a loss seed of 0 (reproducible loss patterns). */
    public static SimLanEndpoint open(int basePort, int slots, FrameListener listener) throws IOException {
        return open(basePort, slots, 0L, listener);
    }

    /**
     * Joins the LAN named by {@code basePort}: binds the first free port of the range.
     *
     * @throws BindException when every port of the range is taken
     */
    public static SimLanEndpoint open(int basePort, int slots, long lossSeed, FrameListener listener)
            throws IOException {
        if (slots < 2 || basePort < 1 || basePort + slots - 1 > 65_535) {
            throw new IllegalArgumentException("bad LAN port range: base " + basePort + ", slots " + slots);
        }
        if (listener == null) {
            throw new IllegalArgumentException("listener is null");
        }
        for (int port = basePort; port < basePort + slots; port++) {
            DatagramSocket socket;
            try {
                // No SO_REUSEADDR: a taken port must fail so that we move on to the next slot
                socket = new DatagramSocket(null);
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(LOOPBACK, port));
            } catch (SocketException e) {
                continue;
            }
            SimLanEndpoint endpoint = new SimLanEndpoint(basePort, slots, socket, lossSeed, listener);
            endpoint.receiver.start();
            return endpoint;
        }
        throw new BindException("no free port on the simulated LAN " + basePort + " (ports " + basePort + ".."
                + (basePort + slots - 1) + " on " + LOOPBACK.getHostAddress() + ")");
    }

    /**
     * Puts a copy of the frame on the LAN for every other port of the range, each subject to loss
     * and delay.
     *
     * @throws IOException when the endpoint is closed or the socket fails
     */
    public void send(SimFrame frame) throws IOException {
        byte[] data = frame.encode();
        int myPort = socket.getLocalPort();
        long delay = delayMillis;
        for (int port = basePort; port < basePort + slots; port++) {
            if (port == myPort) {
                continue;
            }
            if (closed) {
                throw new IOException("simulated LAN endpoint " + myPort + " is closed");
            }
            if (isLost()) {
                lost.incrementAndGet();
                continue;
            }
            DatagramPacket packet = new DatagramPacket(data, data.length, LOOPBACK, port);
            if (delay <= 0) {
                transmit(packet);
            } else {
                try {
                    delayed.schedule(() -> transmitLater(packet), delay, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    throw new IOException("simulated LAN endpoint " + myPort + " is closed", e);
                }
            }
        }
    }

    private boolean isLost() {
        int loss = lossPercent;
        if (loss <= 0) {
            return false;
        }
        synchronized (lossRandom) {
            return lossRandom.nextInt(100) < loss;
        }
    }

    private void transmit(DatagramPacket packet) throws IOException {
        socket.send(packet);
        sent.incrementAndGet();
    }

    private void transmitLater(DatagramPacket packet) {
        try {
            transmit(packet);
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("simulated LAN {}: delayed send to port {} failed: {}", basePort, packet.getPort(), e.toString());
            }
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[RECEIVE_BUFFER];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("simulated LAN {}: receive on port {} failed, endpoint stops: {}", basePort,
                            socket.getLocalPort(), e.toString());
                }
                return;
            }
            var frame = SimFrame.decode(buffer, packet.getOffset(), packet.getLength());
            if (frame.isEmpty()) {
                dropped.incrementAndGet();
                continue;
            }
            received.incrementAndGet();
            try {
                listener.received(frame.get());
            } catch (RuntimeException e) {
                LOG.warn("simulated LAN {}: frame listener failed on {}", basePort, frame.get(), e);
            }
        }
    }

    /** Delay applied to every frame this endpoint sends from now on; 0 for none. */
    public void setDelayMillis(long delayMillis) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay must not be negative: " + delayMillis);
        }
        this.delayMillis = delayMillis;
    }

    public long delayMillis() {
        return delayMillis;
    }

    /** Share of sent copies to drop, 0..100. */
    public void setLossPercent(int lossPercent) {
        if (lossPercent < 0 || lossPercent > 100) {
            throw new IllegalArgumentException("loss must be 0..100 percent: " + lossPercent);
        }
        this.lossPercent = lossPercent;
    }

    public int lossPercent() {
        return lossPercent;
    }

    /** The LAN's name: the first port of its range. */
    public int basePort() {
        return basePort;
    }

    public int slots() {
        return slots;
    }

    /** The port this endpoint bound. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Datagrams put on the wire (one per receiving port). */
    public long sentCount() {
        return sent.get();
    }

    /** Copies dropped by simulated loss. */
    public long lostCount() {
        return lost.get();
    }

    /** Frames received and handed to the listener. */
    public long receivedCount() {
        return received.get();
    }

    /** Datagrams received that were not frames. */
    public long droppedCount() {
        return dropped.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops receiving, discards delayed frames not yet sent, and frees the port. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        delayed.shutdownNow();
        socket.close();
        if (Thread.currentThread() == receiver) {
            return;
        }
        try {
            receiver.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SimLanEndpoint[lan " + basePort + ", port " + port() + (closed ? ", closed" : "") + "]";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
