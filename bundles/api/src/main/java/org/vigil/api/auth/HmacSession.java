package org.vigil.api.auth;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One instance's {@code auth_hmac} state: its settings, the last sequence number it sent and
 * the replay marks of the senders it heard. Used only on the election thread.
 *
 * <p>The wire form is keepalived 2.4.1's (draft-cassen-vrrp-auth-hmac): a
 * {@value #TRAILER_LENGTH}-byte trailer right after the VRRP message (after v2's authentication
 * data), for v2 and v3, IPv4 and IPv6: scheme (1 = HMAC-SHA256/128), key id, two reserved
 * zero bytes, a 64-bit sequence number (UTC seconds, a 1/65536 s fraction, a counter), then the
 * first 16 bytes of HMAC-SHA256 over a 20-byte pseudo-header (family 4 or 6, version, VRID, 0,
 * the sender's address), the message with its checksum read as zero, and the trailer with its
 * HMAC read as zero. The IP header and the destination stay out of it, so one signature serves
 * every unicast peer and the checksum can be written after signing.
 */
@ConsumerType
public interface HmacSession {
    int TRAILER_LENGTH = 28;

    HmacSettings settings();

    /** False in {@link HmacMode#RECEIVE_ONLY}: no trailer is sent. */
    boolean signs();

    /** True unless {@link HmacMode#ENFORCE}: an advert without a trailer is accepted. */
    boolean acceptsUnsigned();

    /**
     * Writes the trailer for the next advert at {@code offset + length}: the next sequence number
     * (the clock, or the last number plus one when the clock has not moved), then the HMAC.
     * Once per advert, however many unicast peers it goes to.
     *
     * @param source the sender's address (4 or 16 bytes)
     */
    void sign(byte[] buffer, int offset, int length, int version, int vrid, byte[] source);

    /**
     * Checks the trailer that follows the message at {@code offset + length}. Changes nothing:
     * {@link #accept()} raises the sender's replay mark once every later receive check passed.
     *
     * @param source the sender's address as received (4 or 16 bytes)
     */
    HmacResult verify(byte[] buffer, int offset, int length, int version, int vrid, byte[] source);

    /** Raises the replay mark of the sender whose trailer {@link #verify} last passed. */
    void accept();

    /** How far the last verified trailer's clock was from ours, seconds (time mode only). */
    int lastSkewSeconds();
}
