package org.vigil.auth.internal;

import java.net.Inet4Address;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.auth.AhSession;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthSession;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.Authenticator;

/**
 * auth_type AH: VRRPv2 adverts inside an IPsec Authentication Header, built and checked as
 * keepalived does (keepalived-behaviour.md a.4), which is not what an IPsec stack does: the TTL
 * stays in the ICV in multicast mode, and the SPI is the sender's address.
 */
@Component(service = Authenticator.class, property = AuthType.PROPERTY + "=AH")
public class AhAuthenticator implements Authenticator {

    @Override
    public AuthType type() {
        return AuthType.AH;
    }

    @Override
    public AuthSession newSession(AuthKey key) {
        return new Session(Objects.requireNonNull(key, "key"));
    }

    static final class Session implements AhSession {
        /** AH's Next Header: VRRP, IP protocol 112 (RFC 3768 section 5.2.4). */
        static final int NEXT_HEADER_VRRP = 112;
        /** RFC 2402 section 2.2: AH length in 32-bit words minus 2 (6 - 2). */
        static final int PAYLOAD_LENGTH_WORDS = AH_LENGTH / 4 - 2;
        /** RFC 2403: HMAC-MD5 truncated to 96 bits. */
        static final int ICV_LENGTH = 12;
        static final int ICV_OFFSET = 12;
        /** keepalived sends adverts as precedence 6 (internetwork control), CS6. */
        static final int TOS = 0xc0;
        /** RFC 3768 section 5.2.3: TTL 255. */
        static final int TTL = 255;
        /** keepalived stops counting here ("cycle") and restarts from 0 when it next becomes master. */
        static final long SEQUENCE_LIMIT = 0xFFFFFFFDL;
        private static final long UINT32 = 0xFFFFFFFFL;

        private final Mac hmac;
        private final byte[] scratchIp = new byte[60];
        private final byte[] scratchAh = new byte[AH_LENGTH];
        private final byte[] digest = new byte[16];
        private long sequence;
        /** The sequence number of the datagram verify() last passed, -1 when none is waiting for accept(). */
        private long pendingSequence = -1;
        private boolean cycled;
        private int ipId;

        Session(AuthKey key) {
            try {
                hmac = Mac.getInstance("HmacMD5");
                // keepalived keys the HMAC with exactly the 8 NUL-padded auth_pass bytes
                hmac.init(new SecretKeySpec(key.bytes(), "HmacMD5"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacMD5 is not available in this JVM", e);
            }
        }

        // ---- AuthSession: the VRRP part -------------------------------------------------------

        @Override
        public void writeAuthData(byte[] packet, int offset) {
            Arrays.fill(packet, offset, offset + AuthKey.LENGTH, (byte) 0);
        }

        @Override
        public String check(int receivedAuthType, byte[] packet, int authDataOffset) {
            if (receivedAuthType != AuthType.AH.wireValue()) {
                return AuthReasons.wrongType(receivedAuthType, AuthType.AH);
            }
            return null;
        }

        // ---- send -----------------------------------------------------------------------------

        @Override
        public void nextAdvert() {
            // the kernel picks its own identification when it finds 0, so 0 is skipped
            ipId = (ipId + 1) & 0xffff;
            if (ipId == 0) {
                ipId = 1;
            }
            if (sequence > SEQUENCE_LIMIT) {
                cycled = true;
            } else {
                sequence++;
            }
        }

        @Override
        public int buildDatagram(byte[] vrrp, int offset, int length, Inet4Address source, Inet4Address destination,
                boolean unicast, byte[] out, int outOffset) {
            int total = OVERHEAD + length;
            if (total > 0xffff) {
                throw new IllegalArgumentException("datagram of " + total + " bytes");
            }
            // the VRRP part first: it may overlap the header area when out == vrrp
            System.arraycopy(vrrp, offset, out, outOffset + OVERHEAD, length);
            int ip = outOffset;
            out[ip] = 0x45;
            out[ip + 1] = (byte) TOS;
            putShort(out, ip + 2, total);
            putShort(out, ip + 4, ipId);
            putShort(out, ip + 6, 0);
            out[ip + 8] = (byte) TTL;
            out[ip + 9] = (byte) IP_PROTOCOL;
            putShort(out, ip + 10, 0);
            System.arraycopy(source.getAddress(), 0, out, ip + 12, 4);
            System.arraycopy(destination.getAddress(), 0, out, ip + 16, 4);
            int ah = ip + IPV4_HEADER_LENGTH;
            out[ah] = (byte) NEXT_HEADER_VRRP;
            out[ah + 1] = (byte) PAYLOAD_LENGTH_WORDS;
            putShort(out, ah + 2, 0);
            // keepalived's SPI is the sender's IPv4 address, so receivers tell senders apart
            System.arraycopy(source.getAddress(), 0, out, ah + 4, 4);
            putInt(out, ah + 8, sequence);
            Arrays.fill(out, ah + ICV_OFFSET, ah + AH_LENGTH, (byte) 0);
            icv(out, ip, IPV4_HEADER_LENGTH, out, ah, out, ah + AH_LENGTH, length, unicast);
            System.arraycopy(digest, 0, out, ah + ICV_OFFSET, ICV_LENGTH);
            return total;
        }

        // ---- receive --------------------------------------------------------------------------

        @Override
        public String verify(int ipProtocol, byte[] datagram, int headerOffset, int headerLength, int offset,
                int length, boolean unicast) {
            pendingSequence = -1;
            if (ipProtocol != IP_PROTOCOL) {
                return AuthReasons.NO_AH_HEADER;
            }
            if (datagram == null || headerLength < IPV4_HEADER_LENGTH
                    || (datagram[headerOffset] & 0xf0) != 0x40) {
                return AuthReasons.NO_IP_HEADER;
            }
            int ihl = (datagram[headerOffset] & 0x0f) * 4;
            if (ihl < IPV4_HEADER_LENGTH || ihl > headerLength) {
                return AuthReasons.NO_IP_HEADER;
            }
            // a raw socket hands over exactly the datagram; anything beyond its total length is not in the ICV
            int covered = Math.min(length, getShort(datagram, headerOffset + 2) - ihl);
            if (covered < AH_LENGTH) {
                return AuthReasons.AH_TRUNCATED;
            }
            int nextHeader = datagram[offset] & 0xff;
            if (nextHeader != NEXT_HEADER_VRRP) {
                return AuthReasons.ahNotVrrp(nextHeader);
            }
            System.arraycopy(datagram, offset, scratchAh, 0, AH_LENGTH);
            Arrays.fill(scratchAh, ICV_OFFSET, AH_LENGTH, (byte) 0);
            icv(datagram, headerOffset, ihl, scratchAh, 0, datagram, offset + AH_LENGTH, covered - AH_LENGTH, unicast);
            if (!icvMatches(datagram, offset + ICV_OFFSET)) {
                return AuthReasons.INVALID_ICV;
            }
            long spi = getInt(datagram, offset + 4);
            long saddr = getInt(datagram, headerOffset + 12);
            if (spi != saddr) {
                return AuthReasons.invalidSpi(datagram, headerOffset + 12, datagram, offset + 4);
            }
            long seq = getInt(datagram, offset + 8);
            if (seq <= sequence) {
                return AuthReasons.replayed(seq, sequence);
            }
            pendingSequence = seq;
            return null;
        }

        @Override
        public void accept() {
            if (pendingSequence >= 0) {
                sequence = pendingSequence;
                pendingSequence = -1;
            }
        }

        @Override
        public String resyncAfterLowerPriority() {
            sequence = (sequence + 1) & UINT32;
            cycled = false;
            return AuthReasons.SEQUENCE_RESYNC;
        }

        @Override
        public void enteringMaster() {
            if (cycled) {
                cycled = false;
                sequence = 0;
            }
        }

        @Override
        public long sequenceNumber() {
            return sequence;
        }

        @Override
        public int ipIdentification() {
            return ipId;
        }

        /**
         * HMAC-MD5 into {@link #digest} over [IPv4 header with TOS, flags/fragment offset and
         * checksum zeroed, TTL zeroed in unicast only] + [AH with zero ICV, as given] + [VRRP].
         * The header is copied, never changed where it lies.
         */
        private void icv(byte[] ipHeader, int ipOff, int ipLen, byte[] ah, int ahOff, byte[] vrrp, int vrrpOff,
                int vrrpLen, boolean unicast) {
            byte[] ip = scratchIp;
            System.arraycopy(ipHeader, ipOff, ip, 0, ipLen);
            ip[1] = 0;
            ip[6] = 0;
            ip[7] = 0;
            ip[10] = 0;
            ip[11] = 0;
            if (unicast) {
                ip[8] = 0;
            }
            hmac.update(ip, 0, ipLen);
            hmac.update(ah, ahOff, AH_LENGTH);
            hmac.update(vrrp, vrrpOff, vrrpLen);
            try {
                hmac.doFinal(digest, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Constant time, so that timing does not tell how much of a forged ICV was right. */
        private boolean icvMatches(byte[] payload, int icvOffset) {
            int diff = 0;
            for (int i = 0; i < ICV_LENGTH; i++) {
                diff |= digest[i] ^ payload[icvOffset + i];
            }
            return diff == 0;
        }

        private static void putShort(byte[] b, int off, int v) {
            b[off] = (byte) (v >>> 8);
            b[off + 1] = (byte) v;
        }

        private static void putInt(byte[] b, int off, long v) {
            b[off] = (byte) (v >>> 24);
            b[off + 1] = (byte) (v >>> 16);
            b[off + 2] = (byte) (v >>> 8);
            b[off + 3] = (byte) v;
        }

        private static int getShort(byte[] b, int off) {
            return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
        }

        private static long getInt(byte[] b, int off) {
            return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
                    | (b[off + 3] & 0xff);
        }
    }
}
