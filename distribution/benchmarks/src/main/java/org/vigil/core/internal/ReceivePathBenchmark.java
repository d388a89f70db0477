package org.vigil.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.auth.internal.NoneAuthenticator;
import org.vigil.codec.ChecksumForm;
import org.vigil.codec.VrrpCodec;

/**
 * The whole receive path of the election core (issue 8 item 2), from the driver's buffer to the
 * state machine: the driver thread's hand-over into the channel's queue (the copy into a slot),
 * the loop's drain, the VRID demultiplexing, every receive check, the decode, and the backup's
 * state machine re-arming its master-down timer. With {@code -prof gc}, gc.alloc.rate.norm is
 * the bytes allocated per packet: 0 is the goal. Four packets per invocation: a good advert for
 * the IPv4 and the IPv6 instance, one with a bad checksum, and one for a VRID nobody has.
 *
 * <p>In org.vigil.core.internal to reach the engine, which the bundle keeps private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReceivePathBenchmark {

    /** Runs on the benchmark thread: receive queues are drained when the benchmark says. */
    static final class DirectLoop implements Loop {
        private final TimerQueue timers = new TimerQueue();
        private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
        private final ArrayDeque<ReceiveSource> ready = new ArrayDeque<>();
        long now = 1_000_000;

        @Override
        public long nowMicros() {
            return now;
        }

        @Override
        public Timer timer(Runnable task) {
            return timers.newTimer(task);
        }

        @Override
        public void execute(Runnable task) {
            posted.add(task);
        }

        @Override
        public void afterDueTimers(Runnable task) {
            // no timers run here: after-timer work is just the next task
            posted.add(task);
        }

        @Override
        public void ready(ReceiveSource queue) {
            ready.add(queue);
        }

        @Override
        public boolean inLoop() {
            return true;
        }

        void run() {
            Runnable r;
            while ((r = posted.poll()) != null) {
                r.run();
            }
            ReceiveSource q;
            while ((q = ready.poll()) != null) {
                if (q.drain(RECEIVE_BATCH)) {
                    ready.add(q);
                }
            }
        }
    }

    /** A driver whose channels only remember their listener: the benchmark plays the receive thread. */
    static final class CapturingDriver implements InterfaceDriver {
        PacketListener v4;
        PacketListener v6;

        @Override
        public String name() {
            return "bench";
        }

        @Override
        public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
            if (spec.family() == IpFamily.IPV4) {
                v4 = listener;
            } else {
                v6 = listener;
            }
            InetAddress source = spec.family() == IpFamily.IPV4 ? ip("192.0.2.12") : ip("fe80::12");
            return new PacketChannel() {
                @Override
                public void send(byte[] payload, int offset, int length, InetAddress destination) {
                }

                @Override
                public InetAddress sourceAddress() {
                    return source;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Optional<LinkInfo> link(String interfaceName) {
            return Optional.of(new LinkInfo(interfaceName, 2, new byte[6], ip("192.0.2.12"), ip("fe80::12"), true));
        }

        @Override
        public AutoCloseable watchLinks(LinkListener listener) {
            return () -> { };
        }
    }

    private DirectLoop loop;
    private ElectionEngine engine;
    private Notifier notifier;
    private CapturingDriver driver;
    private ReceivedPacket good4;
    private ReceivedPacket good6;
    private ReceivedPacket badChecksum4;
    private ReceivedPacket unknownVrid4;

    @Setup
    public void setUp() {
        loop = new DirectLoop();
        notifier = new Notifier();
        engine = new ElectionEngine(loop, (line, detail) -> { }, notifier, 1_000);
        driver = new CapturingDriver();
        engine.driverBound(driver);
        engine.authenticatorAdded(new NoneAuthenticator());
        loop.run();
        engine.addInstance(instance("V4", IpFamily.IPV4, "203.0.113.51"));
        engine.addInstance(instance("V6", IpFamily.IPV6, "2001:db8::51"));
        loop.run();
        good4 = view(advert(51, false, ip("203.0.113.51"), ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP),
                ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP);
        good6 = view(advert(51, true, ip("2001:db8::51"), ip("fe80::13"), VrrpCodec.IPV6_MULTICAST_GROUP),
                ip("fe80::13"), VrrpCodec.IPV6_MULTICAST_GROUP);
        byte[] bad = advert(51, false, ip("203.0.113.51"), ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP);
        bad[7] ^= 1;
        badChecksum4 = view(bad, ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP);
        unknownVrid4 = view(advert(99, false, ip("203.0.113.51"), ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP),
                ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP);
    }

    @TearDown
    public void tearDown() {
        notifier.close(1_000);
    }

    /** Four packets through the whole path; per packet = the result / 4. */
    @Benchmark
    public long fourPacketsDriverToStateMachine() {
        loop.now += 10;
        driver.v4.received(good4);
        driver.v6.received(good6);
        driver.v4.received(badChecksum4);
        driver.v4.received(unknownVrid4);
        loop.run();
        return loop.now;
    }

    private static InstanceConfig instance(String name, IpFamily family, String vip) {
        return new InstanceConfig(name, false, "eth0", 51, 100, 100, 3, family, true, 0, AuthType.NONE,
                AuthKey.of(""), List.of(new VirtualAddress(ip(vip), family == IpFamily.IPV4 ? 24 : 64, "eth0", null,
                        null, null, false)),
                List.of(), null, List.of(), null, false, 3, false, false);
    }

    private static byte[] advert(int vrid, boolean v6, InetAddress vip, InetAddress from, InetAddress to) {
        byte[] out = new byte[VrrpCodec.MAX_LENGTH];
        int len = VrrpCodec.encode(3, vrid, 200, 100, 0, null, vip.getAddress(), v6, ChecksumForm.V3_PSEUDO_HEADER,
                from.getAddress(), to.getAddress(), out, 0);
        return java.util.Arrays.copyOf(out, len);
    }

    /** As driver-linux hands it over: a reused view over the receive thread's buffer. */
    private static ReceivedPacket view(byte[] payload, InetAddress source, InetAddress destination) {
        byte[] buffer = new byte[65536];
        System.arraycopy(payload, 0, buffer, 0, payload.length);
        return new ReceivedPacket().wrap("eth0", VrrpCodec.IP_PROTOCOL, 255, buffer, 0, 0, 0, payload.length, 0)
                .addresses(source.getAddress(), 0, destination.getAddress(), 0, source.getAddress().length);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
