# A real server for the namespace test: answers its own name over HTTP (port 80) and UDP (5353),
# IPv4 and IPv6 (one dual-stack socket each).
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

name = sys.argv[1]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the test holds connections open

    def do_GET(self):
        body = (name + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True


def udp():
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.bind(("::", 5353))
    while True:
        _, peer = u.recvfrom(2048)
        u.sendto(name.encode(), peer)


threading.Thread(target=udp, daemon=True).start()
Server(("::", 80), Handler).serve_forever()
