# The namespace test's client. "requests HOST PORT N http|udp": N new connections (or datagrams
# from new sockets), one answer per line, "ERR <exception>" for a failure. "keepalive HOST PORT":
# one HTTP/1.1 connection held open, one request per line read from stdin; "udpsocket HOST PORT":
# the same with datagrams from one UDP socket. SOURCE=addr in the
# environment binds the client's source address.
import os
import http.client
import socket
import sys

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = (os.environ["SOURCE"], 0) if os.environ.get("SOURCE") else None


def get(conn):
    conn.request("GET", "/")
    return conn.getresponse().read().decode().strip()


if mode == "requests":
    n, kind = int(sys.argv[4]), sys.argv[5]
    for _ in range(n):
        try:
            if kind == "http":
                c = http.client.HTTPConnection(host, port, timeout=2, source_address=source)
                print(get(c), flush=True)
                c.close()
            else:
                s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(2)
                s.sendto(b"?", (host, port))
                print(s.recvfrom(2048)[0].decode(), flush=True)
                s.close()
        except Exception as e:
            print("ERR " + type(e).__name__, flush=True)
elif mode == "udpsocket":
    # one UDP socket (one flow, one source port) for every datagram
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    while sys.stdin.readline():
        try:
            s.sendto(b"?", (host, port))
            print(s.recvfrom(2048)[0].decode(), flush=True)
        except Exception as e:
            print("ERR " + type(e).__name__, flush=True)
else:
    c = http.client.HTTPConnection(host, port, timeout=3)
    while sys.stdin.readline():
        try:
            print(get(c), flush=True)
        except Exception as e:
            print("ERR " + type(e).__name__, flush=True)
            c.close()
            c = http.client.HTTPConnection(host, port, timeout=3)
