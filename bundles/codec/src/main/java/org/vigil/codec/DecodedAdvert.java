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

    /** Copies address {@code i} (4 or 16 bytes). Allocates: not for the hot path. */
    public byte[] address(int i) {
        byte[] a = new byte[addressLength];
        System.arraycopy(buffer, addressesOffset + i * addressLength, a, 0, addressLength);
        return a;
    }

    /** Whether the advert carries {@code address} (4 or 16 bytes), without allocating. */
    public boolean containsAddress(byte[] address) {
        throw new UnsupportedOperationException("implemented by the codec task");
    }
}
