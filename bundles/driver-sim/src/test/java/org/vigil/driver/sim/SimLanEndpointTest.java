package org.vigil.driver.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimLanEndpointTest {

    private static final int SLOTS = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final byte[] MAC = { 0x02, 0, 0, 0, 0, 0x11 };

    private final int lan = TestLans.next();
    private final List<SimLanEndpoint> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(SimLanEndpoint::close);
    }

    @Test
    void framesSentByOneEndpointReachEveryOtherEndpointButNotTheSender() throws Exception {
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        Inbox c = new Inbox();
        SimLanEndpoint ea = join(a);
        join(b);
        join(c);

        ea.send(frame("r1", 1));

        await().atMost(DEADLINE).until(() -> b.frames.size() == 1 && c.frames.size() == 1);
        assertThat(b.frames.get(0)).isEqualTo(frame("r1", 1));
        // b answers; once a has the answer, a would long have had its own frame if the hub looped it
        open.get(1).send(frame("r2", 2));
        await().atMost(DEADLINE).until(() -> a.frames.size() == 1);
        assertThat(a.frames).containsExactly(frame("r2", 2));
    }

    @Test
    void endpointsTakeTheFreeSlotsInOrderAndAFullLanRefusesAnother() throws Exception {
        for (int i = 0; i < SLOTS; i++) {
            assertThat(join(new Inbox()).port()).isEqualTo(lan + i);
        }
        assertThatThrownBy(() -> join(new Inbox())).isInstanceOf(BindException.class).hasMessageContaining(
                String.valueOf(lan));

        open.remove(1).close();
        assertThat(join(new Inbox()).port()).as("a freed slot is reused").isEqualTo(lan + 1);
    }

    @Test
    void noLossDeliversEveryFrame() throws Exception {
        Inbox b = new Inbox();
        SimLanEndpoint a = join(new Inbox());
        join(b);
        a.setLossPercent(0);

        for (int i = 0; i < 200; i++) {
            a.send(frame("r1", i));
        }

        await().atMost(DEADLINE).until(() -> b.frames.size() == 200);
        assertThat(a.lostCount()).isZero();
    }

    @Test
    void fullLossDeliversNothing() throws Exception {
        Inbox b = new Inbox();
        SimLanEndpoint a = join(new Inbox());
        SimLanEndpoint marker = join(new Inbox());
        join(b);
        a.setLossPercent(100);

        for (int i = 0; i < 50; i++) {
            a.send(frame("r1", i));
        }
        // A clean endpoint's frame sent afterwards arrives; the lossy ones would have been first
        marker.send(frame("marker", 0));

        await().atMost(DEADLINE).until(() -> b.frames.size() >= 1);
        assertThat(b.frames).extracting(SimFrame::senderNode).containsExactly("marker");
        assertThat(a.lostCount()).as("each copy to each of the other 3 ports").isEqualTo(150);
    }

    @Test
    void partialLossDropsSomeAndDeliversTheRest() throws Exception {
        Inbox b = new Inbox();
        SimLanEndpoint a = join(new Inbox());
        SimLanEndpoint marker = join(new Inbox());
        join(b);
        a.setLossPercent(30);

        for (int i = 0; i < 300; i++) {
            a.send(frame("r1", i));
        }
        marker.send(frame("marker", 0));

        await().atMost(DEADLINE).until(() -> b.byNode.containsKey("marker"));
        assertThat(b.byNode.get("r1")).isStrictlyBetween(0, 300);
        assertThat(a.lostCount()).as("copies to 3 ports").isStrictlyBetween(0L, 900L);
        assertThat(a.sentCount() + a.lostCount()).isEqualTo(900);
    }

    @Test
    void delayHoldsFramesBackAtLeastThatLong() throws Exception {
        Inbox b = new Inbox();
        SimLanEndpoint a = join(new Inbox());
        join(b);
        a.setDelayMillis(150);

        long sentAt = System.nanoTime();
        a.send(frame("r1", 1));
        await().atMost(DEADLINE).until(() -> b.frames.size() == 1);

        long elapsedMillis = (b.arrivals.get(0) - sentAt) / 1_000_000;
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(150);
    }

    @Test
    void garbageDatagramsAreCountedAndDropped() throws Exception {
        Inbox b = new Inbox();
        SimLanEndpoint a = join(new Inbox());
        SimLanEndpoint eb = join(b);

        try (DatagramSocket stray = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] junk = "GET / HTTP/1.0\r\n\r\n".getBytes();
            stray.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), eb.port()));
            byte[] truncated = java.util.Arrays.copyOf(frame("r9", 9).encode(), 20);
            stray.send(new DatagramPacket(truncated, truncated.length, InetAddress.getLoopbackAddress(), eb.port()));
        }
        a.send(frame("r1", 1));

        await().atMost(DEADLINE).until(() -> b.frames.size() == 1);
        assertThat(b.frames).containsExactly(frame("r1", 1));
        assertThat(eb.droppedCount()).isEqualTo(2);
    }

    @Test
    void sendAfterCloseFails() throws Exception {
        SimLanEndpoint a = join(new Inbox());
        a.close();
        assertThat(a.isClosed()).isTrue();
        assertThatThrownBy(() -> a.send(frame("r1", 1))).isInstanceOf(IOException.class);
    }

    private SimLanEndpoint join(Inbox inbox) throws IOException {
        SimLanEndpoint e = SimLanEndpoint.open(lan, SLOTS, inbox);
        open.add(e);
        return e;
    }

    private static SimFrame frame(String node, int n) throws IOException {
        return SimFrame.packet(112, 255, InetAddress.getByName("192.0.2.11"), InetAddress.getByName("224.0.0.18"),
                MAC, node, new byte[] { (byte) n, (byte) (n >> 8) });
    }

    /** Records frames and their arrival times. */
    static final class Inbox implements SimLanEndpoint.FrameListener {
        final List<SimFrame> frames = new CopyOnWriteArrayList<>();
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        final Map<String, Integer> byNode = new ConcurrentHashMap<>();

        @Override
        public void received(SimFrame frame) {
            arrivals.add(System.nanoTime());
            frames.add(frame);
            byNode.merge(frame.senderNode(), 1, Integer::sum);
        }
    }
}
