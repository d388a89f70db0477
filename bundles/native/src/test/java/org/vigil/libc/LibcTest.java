package org.vigil.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The libc calls against the real kernel, unprivileged, on loopback only: a failure names the
 * call and errno, poll wakes on an eventfd, sendmsg and recvmsg carry name and data both ways,
 * and a buffer the kernel could not safely use is refused before the call.
 */
class LibcTest {

    @Test
    void aFailedCallNamesTheCallAndErrno() {
        int fd = Libc.socket(12345, Libc.SOCK_DGRAM, 0);
        assertThat(fd).isEqualTo(-1);
        LibcException e = Libc.failure("socket(12345)");
        assertThat(e.errno()).isEqualTo(97); // EAFNOSUPPORT
        assertThat(e.getMessage()).isEqualTo("socket(12345): Address family not supported by protocol (errno 97)");
        assertThatThrownBy(() -> Libc.check(Libc.close(-1), "close(-1)")).isInstanceOf(LibcException.class)
                .hasMessage("close(-1): Bad file descriptor (errno 9)");
    }

    @Test
    void pollWakesWhenAnotherThreadWritesTheEventfd() throws Exception {
        int efd = Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
        try {
            ByteBuffer pollfds = Libc.allocate(Libc.SIZEOF_POLLFD);
            pollfds.putInt(0, efd).putShort(4, Libc.POLLIN);
            assertThat(Libc.poll(pollfds, 1, 0)).as("nothing written yet").isZero();
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> Libc.poll(pollfds, 1, 10_000));
            Thread.sleep(50); // let it block: a wake before the poll would pass this test too
            long started = System.nanoTime();
            Libc.check(Libc.wake(efd), "write eventfd");
            assertThat(polled.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(System.nanoTime() - started).as("woken at once, not by the timeout").isLessThan(2_000_000_000L);
            assertThat(pollfds.getShort(6) & Libc.POLLIN).isEqualTo(Libc.POLLIN);
        } finally {
            Libc.close(efd);
        }
    }

    @Test
    void sendmsgAndRecvmsgCarryNameAndDataOverLoopback() throws Exception {
        withLoopbackPeer((peer, fd) -> {
            MessageHeader out = new MessageHeader(16, 64, 0);
            sockaddrIn(out.name(), peer.getLocalPort());
            byte[] hello = "hello from sendmsg".getBytes(StandardCharsets.US_ASCII);
            out.data().put(0, hello);
            assertThat(Libc.check(Libc.sendmsg(fd, out.lengths(16, hello.length, 0), 0), "sendmsg"))
                    .isEqualTo(hello.length);

            DatagramPacket got = new DatagramPacket(new byte[64], 64);
            peer.receive(got);
            assertThat(new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII))
                    .isEqualTo("hello from sendmsg");
            byte[] answer = "and back".getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(answer, answer.length, got.getSocketAddress()));

            MessageHeader in = new MessageHeader(16, 64, 64);
            long n = Libc.check(Libc.recvmsg(fd, in.reset(), 0), "recvmsg");
            assertThat(n).isEqualTo(answer.length);
            byte[] data = new byte[(int) n];
            in.data().get(0, data);
            assertThat(new String(data, StandardCharsets.US_ASCII)).isEqualTo("and back");
            assertThat(in.nameLength()).as("sockaddr_in of the sender").isEqualTo(16);
            int port = ((in.name().get(2) & 0xff) << 8) | (in.name().get(3) & 0xff);
            assertThat(port).isEqualTo(peer.getLocalPort());
            assertThat(in.flags() & Libc.MSG_TRUNC).isZero();
        });
    }

    @Test
    void recvmsgHandsOverTheKernelsReceiveStampWhenAskedFor() throws Exception {
        withLoopbackPeer((peer, fd) -> {
            MessageHeader in = new MessageHeader(16, 64, 64);
            ByteBuffer now = Libc.allocate(Libc.SIZEOF_TIMESPEC);
            byte[] ping = {'p'};
            java.net.SocketAddress ours = addressOf(fd, peer);

            peer.send(new DatagramPacket(ping, 1, ours));
            assertThat(Libc.check(Libc.recvmsg(fd, in.reset(), 0), "recvmsg")).isEqualTo(1);
            assertThat(in.timestampNanos()).as("no stamp unless SO_TIMESTAMPNS is set").isEqualTo(-1);

            Libc.setInt(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
            Libc.check(Libc.clockGettime(Libc.CLOCK_REALTIME, now), "clock_gettime");
            long before = Libc.timespecNanos(now, 0);
            peer.send(new DatagramPacket(ping, 1, ours));
            Thread.sleep(100); // the datagram waits in the socket: its stamp is when it came, not when it is read
            assertThat(Libc.check(Libc.recvmsg(fd, in.reset(), 0), "recvmsg")).isEqualTo(1);
            Libc.check(Libc.clockGettime(Libc.CLOCK_REALTIME, now), "clock_gettime");
            long read = Libc.timespecNanos(now, 0);
            long stamp = in.timestampNanos();
            assertThat(in.controlData(Libc.SOL_SOCKET, Libc.SCM_TIMESTAMPNS)).isEqualTo(MessageHeader.SIZEOF_CMSGHDR);
            assertThat(stamp).isBetween(before, read);
            assertThat(read - stamp).as("stamped on arrival, about 100 ms before the read").isGreaterThan(90_000_000L);
            assertThat(Math.abs(before / 1_000_000 - System.currentTimeMillis())).as("CLOCK_REALTIME is the epoch clock")
                    .isLessThan(1_000);
        });
    }

    @Test
    void sendtoAndRecvfromCarryDataAndTheSourceOverLoopback() throws Exception {
        // six-argument calls: the ones jnr-ffi's all-numeric stub got wrong (see internal.LibC)
        withLoopbackPeer((peer, fd) -> {
            ByteBuffer data = Libc.allocate(64);
            ByteBuffer name = Libc.allocate(16);
            sockaddrIn(name, peer.getLocalPort());
            data.put(0, "ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(Libc.check(Libc.sendto(fd, data, 4, 0, name, 16), "sendto")).isEqualTo(4);
            DatagramPacket got = new DatagramPacket(new byte[64], 64);
            peer.receive(got);
            assertThat(new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            peer.send(new DatagramPacket(new byte[] {'p', 'o', 'n', 'g', '!'}, 5, got.getSocketAddress()));

            ByteBuffer from = Libc.allocate(28);
            ByteBuffer fromLength = Libc.allocate(4).putInt(0, 28);
            assertThat(Libc.check(Libc.recvfrom(fd, data, 64, 0, from, fromLength), "recvfrom")).isEqualTo(5);
            assertThat(fromLength.getInt(0)).isEqualTo(16);
            assertThat(((from.get(2) & 0xff) << 8) | (from.get(3) & 0xff)).isEqualTo(peer.getLocalPort());
            assertThat(data.get(4)).isEqualTo((byte) '!');
        });
    }

    @Test
    void aBufferTheKernelCouldNotSafelyUseIsRefusedBeforeTheCall() {
        assertThatThrownBy(() -> Libc.recv(0, ByteBuffer.allocate(8), 8, Libc.MSG_DONTWAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct");
        assertThatThrownBy(() -> Libc.recv(0, Libc.allocate(8), 9, Libc.MSG_DONTWAIT))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new MessageHeader(16, 8, 0).lengths(16, 9, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Libc.attachFilter(0, new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }

    /** A UDP socket of ours and a Java peer, both on 127.0.0.1, closed after the test. */
    private static void withLoopbackPeer(LoopbackTest test) throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            peer.setSoTimeout(5000);
            int fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0), "socket");
            try {
                test.run(peer, fd);
            } finally {
                Libc.close(fd);
            }
        }
    }

    private interface LoopbackTest {
        void run(DatagramSocket peer, int fd) throws Exception;
    }

    /** Sends one byte from {@code fd} to the peer (which binds {@code fd}) and returns {@code fd}'s address. */
    private static java.net.SocketAddress addressOf(int fd, DatagramSocket peer) throws Exception {
        MessageHeader out = new MessageHeader(16, 8, 0);
        sockaddrIn(out.name(), peer.getLocalPort());
        Libc.check(Libc.sendmsg(fd, out.lengths(16, 1, 0), 0), "sendmsg");
        DatagramPacket got = new DatagramPacket(new byte[8], 8);
        peer.receive(got);
        return got.getSocketAddress();
    }

    /** struct sockaddr_in for 127.0.0.1: family in host order, port and address in network order. */
    private static void sockaddrIn(ByteBuffer b, int port) {
        b.putShort(0, (short) Libc.AF_INET);
        b.put(2, (byte) (port >>> 8)).put(3, (byte) port);
        b.put(4, (byte) 127).put(5, (byte) 0).put(6, (byte) 0).put(7, (byte) 1);
    }
}
