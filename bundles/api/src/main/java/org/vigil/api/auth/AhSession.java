package org.vigil.api.auth;

import java.net.Inet4Address;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The session of an instance with {@code auth_type AH}: VRRPv2 over IPv4 wrapped in an IPsec
 * Authentication Header the way keepalived builds and checks it (keepalived-behaviour.md a.4,
 * RFC 2402 framing, HMAC-MD5-96 of RFC 2403). Its ICV covers the IPv4 header, so the session
 * builds the whole datagram, which the core sends with {@code PacketChannel.sendDatagram}, and it
 * verifies a received one from the raw IPv4 header.
 *
 * <p>keepalived keeps one 32-bit sequence counter per instance for both directions: sending
 * increments it, an accepted advert raises it to the advert's number. That counter and the IPv4
 * identification counter live here, so that they survive a driver swap. Used only on the
 * election thread.
 *
 * <p>As an {@link AuthSession} it writes the 8-byte Authentication Data of the VRRP part as zeros
 * and accepts only Auth Type 2 there.
 */
@ConsumerType
public interface AhSession extends AuthSession {

    /** IP protocol number of the Authentication Header (IANA; RFC 2402 section 2). */
    int IP_PROTOCOL = 51;
    /** keepalived writes a 20-byte IPv4 header without options. */
    int IPV4_HEADER_LENGTH = 20;
    /** RFC 2402 section 2: 12 fixed bytes and a 12-byte HMAC-MD5-96 ICV. */
    int AH_LENGTH = 24;
    /** What goes before the VRRP packet in a datagram this session builds. */
    int OVERHEAD = IPV4_HEADER_LENGTH + AH_LENGTH;

    /**
     * Starts the next advert: the IPv4 identification (never 0) and the AH sequence number
     * advance. Once per advert, however many unicast peers it goes to (keepalived does the same).
     */
    void nextAdvert();

    /**
     * Writes the complete datagram of the current advert: IPv4 header (TOS 0xC0, TTL 255, DF
     * clear, protocol 51, header checksum 0 for the kernel), the AH header with its ICV, then a
     * copy of the VRRP packet, which must already carry Auth Type 2, zero auth data and its
     * checksum.
     *
     * @param unicast in unicast mode keepalived leaves the TTL out of the ICV
     * @return the datagram length, {@link #OVERHEAD} + {@code length}
     */
    int buildDatagram(byte[] vrrp, int offset, int length, Inet4Address source, Inet4Address destination,
            boolean unicast, byte[] out, int outOffset);

    /**
     * Checks a received datagram in keepalived's order: AH present, next header VRRP, ICV
     * (constant time), SPI equal to the IPv4 source, sequence number above the last one seen.
     * Changes nothing: the core calls {@link #accept()} once every later receive check has passed
     * too, so an advert dropped by one of those (a wrong interval, say) never raises the counter.
     *
     * @param ipProtocol the IP protocol the datagram arrived with
     * @param datagram the bytes holding the raw IPv4 header and the IP payload
     * @param headerOffset where the IPv4 header starts in {@code datagram}
     * @param headerLength its length as received, 0 when the driver has none (rejected)
     * @param offset the IP payload, AH header then the VRRP packet
     * @param length payload length
     * @param unicast in unicast mode keepalived leaves the TTL out of the ICV
     * @return null when it authenticates, else the reason, worded as keepalived logs it
     */
    String verify(int ipProtocol, byte[] datagram, int headerOffset, int headerLength, int offset, int length,
            boolean unicast);

    /** Raises the counter to the sequence number of the datagram {@link #verify} last accepted. */
    void accept();

    /**
     * keepalived's resync: a master that accepted an advert of lower priority continues from that
     * advert's sequence number plus one. Call after {@link #accept} took that advert.
     *
     * @return the line keepalived logs for it
     */
    String resyncAfterLowerPriority();

    /** Becoming master: a counter that reached its end (keepalived's "cycle") starts again from 0. */
    void enteringMaster();

    /** The AH sequence counter: the last number sent or accepted, 0 before any. */
    long sequenceNumber();

    /** The IPv4 identification of the current advert, 0 before the first. */
    int ipIdentification();
}
