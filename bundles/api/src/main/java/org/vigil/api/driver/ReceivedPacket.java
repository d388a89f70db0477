package org.vigil.api.driver;

import java.net.InetAddress;

/**
 * One received IP payload with what the IP header said about it. The driver hands over ownership
 * of {@code data}: the receiver may keep it.
 *
 * @param interfaceName where it arrived
 * @param source IP source address
 * @param destination IP destination address
 * @param ttl IPv4 TTL or IPv6 hop limit as received
 * @param protocol IP protocol (112, or 51 for AH)
 * @param ipHeader the raw IPv4 header when the driver has it (needed to verify AH), else null
 * @param data the IP payload, from {@code offset} for {@code length} bytes
 * @param offset start of the payload in data
 * @param length payload length
 * @param receivedNanos System.nanoTime() at reception
 */
public record ReceivedPacket(String interfaceName, InetAddress source, InetAddress destination, int ttl,
        int protocol, byte[] ipHeader, byte[] data, int offset, int length, long receivedNanos) {
}
