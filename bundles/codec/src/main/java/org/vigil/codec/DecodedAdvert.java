package org.vigil.codec;

/**
 * A decoded advertisement: a reusable view over the caller's buffer, filled by
 * {@link VrrpCodec#decode}. Reuse one instance per receiving thread to keep the receive path free
 * of allocation. Valid only while the buffer is not overwritten.
 */
public final class DecodedAdvert {
    // fields are set by VrrpCodec.decode
    int version;
    int vrid;
    int priority;
    int addressCount;
    int authType;
    int advertIntervalCs;
    int checksum;
    ChecksumForm checksumForm;
    byte[] buffer;
    int addressesOffset;
    int addressLength;
    int authDataOffset;
    int length;

    /** 2 or 3. */
    public int version() { return version; }
    public int vrid() { return vrid; }
    public int priority() { return priority; }
    public int addressCount() { return addressCount; }
    /** v2 Auth Type; 0 for v3. */
    public int authType() { return authType; }
    /** Advertisement interval in centiseconds (v2 seconds times 100). */
    public int advertIntervalCs() { return advertIntervalCs; }
    public int checksum() { return checksum; }
    /** Which checksum form verified. */
    public ChecksumForm checksumForm() { return checksumForm; }
    /** The buffer the advert was decoded from. */
    public byte[] buffer() { return buffer; }
    /** Offset of the first address in {@link #buffer()}. */
    public int addressesOffset() { return addressesOffset; }
    /** 4 or 16. */
    public int addressLength() { return addressLength; }
    /** v2: offset of the 8 bytes of Authentication Data in {@link #buffer()}; -1 for v3. */
    public int authDataOffset() { return authDataOffset; }
    /** Length of the VRRP message in bytes. */
    public int length() { return length; }

    /**
     * Copies address {@code i} (4 or 16 bytes). Allocates: not for the hot path.
     *
     * @throws IndexOutOfBoundsException unless 0 <= i < {@link #addressCount()}
     */
    public byte[] address(int i) {
        java.util.Objects.checkIndex(i, addressCount);
        byte[] a = new byte[addressLength];
        System.arraycopy(buffer, addressesOffset + i * addressLength, a, 0, addressLength);
        return a;
    }

    /** Whether the advert carries {@code address} (4 or 16 bytes), without allocating. */
    public boolean containsAddress(byte[] address) {
        return indexOf(address) >= 0;
    }

    /**
     * The position of {@code address} in the advert's list, or -1 (also for null, a wrong size or
     * an advert not yet decoded). Does not allocate.
     */
    public int indexOf(byte[] address) {
        if (address == null || buffer == null || address.length != addressLength) {
            return -1;
        }
        for (int i = 0; i < addressCount; i++) {
            if (addressEquals(i, address)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether address {@code i} equals {@code address} (4 or 16 bytes), without allocating. */
    public boolean addressEquals(int i, byte[] address) {
        if (address == null || buffer == null || address.length != addressLength || i < 0 || i >= addressCount) {
            return false;
        }
        int start = addressesOffset + i * addressLength;
        for (int b = 0; b < addressLength; b++) {
            if (buffer[start + b] != address[b]) {
                return false;
            }
        }
        return true;
    }

    /** For logs; allocates. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("VRRPv").append(version).append(" vrid ").append(vrid)
                .append(" prio ").append(priority).append(" int ").append(advertIntervalCs).append("cs");
        if (version == VrrpCodec.VERSION_2) {
            s.append(" auth ").append(authType);
        }
        s.append(" addrs [");
        for (int i = 0; i < addressCount && buffer != null; i++) {
            if (i > 0) {
                s.append(", ");
            }
            appendAddress(s, addressesOffset + i * addressLength);
        }
        return s.append("] checksum ").append(String.format("0x%04x", checksum)).append(' ')
                .append(checksumForm).toString();
    }

    private void appendAddress(StringBuilder s, int start) {
        if (addressLength == VrrpCodec.IPV4_ADDRESS_LENGTH) {
            for (int b = 0; b < 4; b++) {
                s.append(b == 0 ? "" : ".").append(buffer[start + b] & 0xFF);
            }
        } else {
            // full form, no :: compression: unambiguous and enough for a log line
            for (int w = 0; w < 8; w++) {
                int word = ((buffer[start + 2 * w] & 0xFF) << 8) | (buffer[start + 2 * w + 1] & 0xFF);
                s.append(w == 0 ? "" : ":").append(Integer.toHexString(word));
            }
        }
    }
}
