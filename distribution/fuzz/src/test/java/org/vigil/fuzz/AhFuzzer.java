package org.vigil.fuzz;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.vigil.api.auth.AhSession;
import org.vigil.api.auth.AuthKey;
import org.vigil.auth.internal.AhAuthenticator;

/**
 * Fuzz target for the other decode path of a received advert: {@link AhSession#verify}, the AH
 * header and ICV of an {@code auth_type AH} datagram (bundles/auth), before the VRRP part reaches
 * the codec.
 *
 * <h2>Input layout</h2>
 * <pre>
 * byte 0   flags: 0x01 raw mode, 0x02 unicast, 0x04 protocol 51 (raw mode; otherwise a random one)
 * raw      byte 1: header length given to verify (0..63, at most the datagram); the rest is the
 *          datagram: IPv4 header at 0, payload (AH, then VRRP) after the given header length
 * built    bytes 1-4 source, 5-8 destination, 9: adverts the sender has sent (1..16), 10: number
 *          of mutations (0..7), then 3 bytes per mutation (16-bit position, XOR value); the rest is
 *          the VRRP packet the sender wraps with {@link AhSession#buildDatagram}
 * </pre>
 *
 * <h2>Invariants</h2>
 * No exception for any input within verify's contract (header and payload inside the array).
 * Built mode: the receiver (same key, nothing seen yet) accepts the datagram exactly when every
 * changed byte is one the ICV leaves out (TOS, flags and fragment offset, header checksum, and
 * TTL in unicast mode); once accepted and {@link AhSession#accept}ed, its sequence number is the
 * sender's, and the same datagram again is a replay.
 */
public final class AhFuzzer {
    static final int RAW = 0x01;
    static final int UNICAST = 0x02;
    static final int PROTOCOL_AH = 0x04;
    private static final AuthKey KEY = AuthKey.of("lab51pw");
    private static final AhAuthenticator AUTHENTICATOR = new AhAuthenticator();

    private AhFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int flags = input[0] & 0xFF;
        boolean unicast = (flags & UNICAST) != 0;
        if ((flags & RAW) != 0) {
            raw(input, flags, unicast);
        } else {
            built(input, unicast);
        }
    }

    private static void raw(byte[] input, int flags, boolean unicast) {
        if (input.length < 3) {
            return;
        }
        byte[] datagram = Arrays.copyOfRange(input, 2, input.length);
        int headerLength = Math.min(input[1] & 0x3F, datagram.length);
        int protocol = (flags & PROTOCOL_AH) != 0 ? AhSession.IP_PROTOCOL : flags >>> 3;
        AhSession s = session();
        String reason = s.verify(protocol, datagram, 0, headerLength, headerLength, datagram.length - headerLength,
                unicast);
        s.accept();
        CodecFuzzer.require(reason != null || s.sequenceNumber() > 0, "accepted a datagram with sequence number 0");
    }

    private static void built(byte[] input, boolean unicast) {
        if (input.length < 11) {
            return;
        }
        Inet4Address source = ipv4(input, 1);
        Inet4Address destination = ipv4(input, 5);
        int adverts = 1 + (input[9] & 0x0F);
        int mutations = input[10] & 0x07;
        int p = 11;
        int[] positions = new int[mutations];
        int[] xors = new int[mutations];
        for (int i = 0; i < mutations && p + 3 <= input.length; i++, p += 3) {
            positions[i] = ((input[p] & 0xFF) << 8) | (input[p + 1] & 0xFF);
            xors[i] = input[p + 2] & 0xFF;
        }
        byte[] vrrp = Arrays.copyOfRange(input, Math.min(p, input.length), input.length);

        AhSession sender = session();
        for (int i = 0; i < adverts; i++) {
            sender.nextAdvert();
        }
        byte[] datagram = new byte[AhSession.OVERHEAD + vrrp.length];
        int n = sender.buildDatagram(vrrp, 0, vrrp.length, source, destination, unicast, datagram, 0);
        CodecFuzzer.require(n == datagram.length, "datagram of " + n + " bytes for " + vrrp.length + " of VRRP");

        byte[] sent = datagram.clone();
        for (int i = 0; i < positions.length; i++) {
            datagram[positions[i] % datagram.length] ^= (byte) xors[i];
        }
        // by what changed, not by what was touched: the same XOR twice is no change
        boolean onlyUncovered = true;
        for (int at = 0; at < datagram.length; at++) {
            if (datagram[at] != sent[at]) {
                onlyUncovered &= outsideIcv(at, unicast);
            }
        }

        AhSession receiver = session();
        String reason = receiver.verify(AhSession.IP_PROTOCOL, datagram, 0, AhSession.IPV4_HEADER_LENGTH,
                AhSession.IPV4_HEADER_LENGTH, datagram.length - AhSession.IPV4_HEADER_LENGTH, unicast);
        CodecFuzzer.require(receiver.sequenceNumber() == 0, "verify alone moved the sequence number");
        if (onlyUncovered) {
            CodecFuzzer.require(reason == null, "rejected a datagram changed only outside the ICV: " + reason);
        } else {
            CodecFuzzer.require(reason != null, "accepted a datagram changed inside the ICV");
            return;
        }
        receiver.accept();
        CodecFuzzer.require(receiver.sequenceNumber() == sender.sequenceNumber(),
                "accepted sequence " + receiver.sequenceNumber() + ", sent " + sender.sequenceNumber());
        String again = receiver.verify(AhSession.IP_PROTOCOL, datagram, 0, AhSession.IPV4_HEADER_LENGTH,
                AhSession.IPV4_HEADER_LENGTH, datagram.length - AhSession.IPV4_HEADER_LENGTH, unicast);
        CodecFuzzer.require(again != null, "a replayed datagram was accepted");
    }

    /** IPv4 header bytes keepalived leaves out of the ICV: TOS, flags/fragment offset, checksum; TTL in unicast. */
    static boolean outsideIcv(int at, boolean unicast) {
        return at == 1 || at == 6 || at == 7 || at == 10 || at == 11 || (unicast && at == 8);
    }

    private static AhSession session() {
        return (AhSession) AUTHENTICATOR.newSession(KEY);
    }

    private static Inet4Address ipv4(byte[] b, int off) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + 4));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
