#!/usr/bin/env python3
"""One real server for the checker lab (CheckerLabIT, CheckerDetectionBenchmark), one process each,
so that the test can kill, freeze (SIGSTOP) and restart it by its PID.

    realserver.py tcp   HOST PORT            accepts and closes
    realserver.py http  HOST PORT            HTTP/1.0, 200 "ok" for every GET
    realserver.py https HOST PORT CERT KEY   the same over TLS
    realserver.py smtp  HOST PORT DIR        a small SMTP server: 220, HELO/EHLO 250, MAIL/RCPT 250, DATA 354,
                                             QUIT 221; each message (envelope as X- lines, then the data) is
                                             written to DIR/mail-NNN.eml (renamed into place when complete)
    realserver.py udp   HOST PORT            echoes every datagram

Prints "ready" once it listens. Only the standard library (Python 3.11 has smtpd, 3.12 does not).
"""
import http.server
import os
import socket
import socketserver
import ssl
import sys


class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_http(host, port, tls=None):
    server = Server((host, port), Ok)
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("ready", flush=True)
    server.serve_forever()


def serve_tcp(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(128)
    print("ready", flush=True)
    while True:
        c, _ = s.accept()
        c.close()


class Smtp(socketserver.StreamRequestHandler):
    count = 0

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.reply("220 lab ESMTP sink")
        mail_from, rcpt = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("latin-1").strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("HELO", "EHLO"):
                self.server.helo = cmd
                self.reply("250 lab")
            elif verb == "MAIL":
                mail_from, rcpt = cmd[cmd.find(":") + 1:].strip(), []
                self.reply("250 ok")
            elif verb == "RCPT":
                rcpt.append(cmd[cmd.find(":") + 1:].strip())
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = b""
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    data += l
                Smtp.count += 1
                path = os.path.join(self.server.maildir, "mail-%03d.eml" % Smtp.count)
                with open(path + ".part", "wb") as f:
                    f.write(("X-Helo: %s\nX-Mail-From: %s\nX-Rcpt-To: %s\n" % (self.server.helo, mail_from,
                                                                              ",".join(rcpt))).encode() + data)
                os.rename(path + ".part", path)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok" if verb in ("RSET", "NOOP") else "502 not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    helo = ""


def serve_smtp(host, port, maildir):
    server = SmtpServer((host, port), Smtp)
    server.maildir = maildir
    print("ready", flush=True)
    server.serve_forever()


def serve_udp(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    print("ready", flush=True)
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "tcp":
        serve_tcp(host, port)
    elif mode == "http":
        serve_http(host, port)
    elif mode == "https":
        serve_http(host, port, (sys.argv[4], sys.argv[5]))
    elif mode == "smtp":
        serve_smtp(host, port, sys.argv[4])
    elif mode == "udp":
        serve_udp(host, port)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
