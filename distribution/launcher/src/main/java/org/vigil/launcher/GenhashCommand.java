package org.vigil.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/vigil genhash}: {@code keepalived --genhash}, the tool that prints the MD5 digest
 * an HTTP_GET or SSL_GET {@code digest} line needs, with keepalived's options and output (the
 * hexadecimal digest and a newline; with -v its header and body dumps first).
 *
 * <p>Self-contained on purpose: the launcher runs on a plain class path without the framework,
 * and check-http's client is private to its bundle and asynchronous, while a one-shot tool is
 * simplest blocking. It reads a reply as check-http does (and as keepalived does): the header
 * ends at the first CRLF CRLF, the body is hashed as it travels, cut at Content-Length,
 * whatever the status code.
 */
@Command(name = "genhash", sortOptions = false, exitCodeOnInvalidInput = 1,
        description = "keepalived --genhash: print the MD5 digest of a web page's body, for HTTP_GET/SSL_GET 'digest'.",
        footer = { "", "Mandatory: -s, -p and -u. Exit status 1 for a bad command line, else 0 (as keepalived)." })
final class GenhashCommand implements Callable<Integer> {
    /** keepalived reads at most this much at a time (its buffer less the terminating NUL); -v dumps each read. */
    static final int READ_CHUNK = 4095;
    static final String DELIM_BEGIN = "-----------------------[";
    static final String DELIM_END = "]-----------------------\n";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Option(names = { "-S", "--use-ssl" }, description = "Use SSL connection to remote server.")
    boolean ssl;

    @Option(names = { "-I", "--use-sni" }, description = "Use SNI during SSL handshake (the virtualhost of -V).")
    boolean sni;

    @Option(names = { "-s", "--server" }, paramLabel = "IP", description = "The remote server address.")
    String server;

    @Option(names = { "-p", "--port" }, paramLabel = "PORT", description = "The remote server port.")
    String port;

    @Option(names = { "-u", "--url" }, paramLabel = "PATH", description = "The url (path) to get.")
    String url;

    @Option(names = { "-V", "--use-virtualhost" }, paramLabel = "VHOST", description = "The virtualhost, sent as Host.")
    String virtualhost;

    @Option(names = { "-P", "--protocol" }, paramLabel = "1.0|1.0c|1.1", description = "HTTP protocol: 1.0 (default), 1.0c (1.0 with 'Connection: close'), 1.1.")
    String protocol;

    @Option(names = { "-t", "--timeout" }, paramLabel = "SEC", description = "Timeout in seconds (default: none).")
    String timeout;

    @Option(names = { "-m", "--fwmark" }, paramLabel = "FWMARK", description = "FW mark on the socket (not available in Vigil: the JDK cannot set SO_MARK).")
    String fwmark;

    @Option(names = { "-v", "--verbose" }, description = "Verbose output: the header and body dumps, then the digest.")
    boolean verbose;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Display this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    GenhashCommand() {
        this(System.out, System.err);
    }

    GenhashCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Request request = parse();
        if (request == null) {
            // keepalived follows a refused command line with its usage, on standard error too
            if (spec != null) {
                spec.commandLine().usage(err);
            }
            return 1;
        }
        run(request);
        out.flush();
        err.flush();
        return 0;
    }

    record Request(InetSocketAddress to, String path, String virtualhost, String version, boolean close, int timeoutMs,
            boolean ssl, boolean sni) {
    }

    /** The command line checked as keepalived checks it; null (after its message) when it is wrong. */
    Request parse() {
        InetAddress address = null;
        if (server != null) {
            address = ipLiteral(server);
            if (address == null) {
                err.println("server should be an IP, not " + server);
                return null;
            }
        }
        int portNumber = -1;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                portNumber = 0;
            }
            if (portNumber <= 0 || portNumber > 65535) {
                err.println("invalid port number '" + port + "'");
                return null;
            }
        }
        String version = "HTTP/1.0";
        boolean close = false;
        if (protocol != null) {
            switch (protocol) {
                case "1.0" -> {
                }
                case "1.0c", "1.0C" -> close = true;
                case "1.1" -> {
                    version = "HTTP/1.1";
                    close = true;
                }
                default -> {
                    err.println("invalid HTTP protocol version '" + protocol + "'");
                    return null;
                }
            }
        }
        int timeoutMs = 0;
        if (timeout != null) {
            String t = timeout.strip();
            if (t.isEmpty() || !t.chars().allMatch(Character::isDigit)) {
                err.println("invalid timeout '" + timeout + "'");
                return null;
            }
            timeoutMs = (int) Math.min(Integer.MAX_VALUE, Long.parseLong(t) * 1000);
        }
        if (fwmark != null) {
            err.println("vigil genhash: -m (SO_MARK) is not available: the JDK cannot mark a socket");
            return null;
        }
        if (address == null || portNumber < 0 || url == null) {
            err.println("vigil genhash: -s IP, -p PORT and -u PATH are mandatory (bin/vigil genhash -h)");
            return null;
        }
        return new Request(new InetSocketAddress(address, portNumber), url, virtualhost, version, close, timeoutMs, ssl, sni);
    }

    /** An IPv4 or IPv6 literal, never a name to resolve. */
    static InetAddress ipLiteral(String s) {
        if (!IPV4.matcher(s).matches() && !(s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0))) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            return null;
        }
    }

    /** keepalived's request, byte for byte (check-http's RequestText sends the same). */
    static byte[] requestText(Request r) {
        String host = r.virtualhost() != null ? r.virtualhost() : hostPort(r.to());
        return ("GET " + r.path() + " " + r.version() + "\r\nUser-Agent: KeepAliveClient\r\n"
                + (r.close() ? "Connection: close\r\n" : "") + "Host: " + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        if (h.indexOf(':') >= 0) {
            h = "[" + compressed(a.getAddress().getAddress()) + "]";
        }
        return h + ":" + a.getPort();
    }

    /** RFC 5952 text, as inet_ntop writes it. */
    static String compressed(byte[] v6) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && v6[2 * j] == 0 && v6[2 * j + 1] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(((v6[2 * i] & 0xff) << 8) | (v6[2 * i + 1] & 0xff)));
        }
        return s.toString();
    }

    /** Prints what keepalived's genhash prints: the digest, or the reason it has none. */
    void run(Request r) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(r.to(), r.timeoutMs());
            } catch (SocketTimeoutException e) {
                out.println("Timeout connecting");
                return;
            } catch (ConnectException | NoRouteToHostException e) {
                out.println("Connection failed");
                return;
            } catch (IOException e) {
                out.println("Error connecting");
                return;
            }
            socket.setSoTimeout(r.timeoutMs());
            Socket channel = socket;
            if (r.ssl()) {
                try {
                    channel = handshake(socket, r);
                } catch (SocketTimeoutException e) {
                    out.println("Timeout connecting");
                    return;
                } catch (IOException e) {
                    out.println("SSL handshake/communication error connecting to");
                    return;
                }
            }
            try {
                OutputStream o = channel.getOutputStream();
                o.write(requestText(r));
                o.flush();
            } catch (IOException e) {
                out.println("Cannot send get request to");
                return;
            }
            if (read(channel.getInputStream(), r.ssl()) && verbose) {
                out.print("\nGlobal response time for [" + r.path() + "] = "
                        + (System.nanoTime() - started) / 1000 + " usecs\n");
            }
        } catch (IOException e) {
            out.println("Read error with");
        }
    }

    /** No certificate check, as keepalived; SNI only with -I and a virtualhost. */
    private static SSLSocket handshake(Socket plain, Request r) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            X509TrustManager all = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            context.init(null, new TrustManager[] { all }, null);
        } catch (java.security.GeneralSecurityException e) {
            throw new SSLException("no TLS in this JDK", e);
        }
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of());
        if (r.sni() && r.virtualhost() != null) {
            try {
                p.setServerNames(List.of(new SNIHostName(r.virtualhost())));
            } catch (IllegalArgumentException notAHostName) {
                // goes without a server name
            }
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** Reads and prints the reply's digest; false when there was none to print. */
    private boolean read(InputStream in, boolean ssl) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        boolean extracted = false;
        long contentLength = -1;
        long body = 0;
        byte[] buffer = new byte[READ_CHUNK];
        while (true) {
            int room = extracted ? READ_CHUNK : READ_CHUNK - header.size();
            if (room <= 0) {
                break; // keepalived's buffer is full of header: it reads no further and has no data
            }
            int n;
            try {
                n = in.read(buffer, 0, room);
            } catch (SocketTimeoutException e) {
                out.println(header.size() == 0 ? "Timeout WEB read" : ssl ? "Timeout SSL read" : "Timeout HTTP read");
                return false;
            } catch (SSLException e) {
                n = -1; // a TLS end without close_notify ends the reply, as for keepalived
            }
            if (n < 0) {
                break;
            }
            byte[] chunk = Arrays.copyOf(buffer, n);
            if (!extracted) {
                if (verbose) {
                    out.print(DELIM_BEGIN + "    HTTP Header Buffer    " + DELIM_END);
                }
                header.write(chunk, 0, n);
                byte[] all = header.toByteArray();
                int end = headerEnd(all);
                if (end < 0) {
                    continue;
                }
                extracted = true;
                contentLength = contentLength(new String(all, 0, end, StandardCharsets.ISO_8859_1));
                if (verbose) {
                    out.print(hexDump(all, 0, end));
                    out.print(DELIM_BEGIN + " HTTP Header Ascii Buffer " + DELIM_END);
                    out.print(new String(all, 0, end, StandardCharsets.ISO_8859_1) + "\n");
                }
                int rest = all.length - end;
                int hashed = (int) (contentLength < 0 ? rest : Math.min(rest, contentLength));
                if (rest > 0 && hashed > 0) {
                    md5.update(all, end, hashed);
                    if (verbose) {
                        out.print(DELIM_BEGIN + "        HTML Buffer        " + DELIM_END);
                        out.print(hexDump(all, end, hashed));
                    }
                }
                body = rest;
            } else {
                int hashed = (int) (contentLength < 0 ? n : Math.max(0, Math.min(n, contentLength - body)));
                if (hashed > 0) {
                    md5.update(chunk, 0, hashed);
                    if (verbose) {
                        out.print(hexDump(chunk, 0, hashed));
                    }
                }
                body += n;
            }
        }
        if (!extracted) {
            err.println("no data received from remote webserver");
            return false;
        }
        byte[] digest = md5.digest();
        if (verbose) {
            out.print("\n" + DELIM_BEGIN + "    HTML hash resulting    " + DELIM_END);
            out.print(hexDump(digest, 0, digest.length));
            out.print(DELIM_BEGIN + " HTML hash final resulting " + DELIM_END);
        }
        out.println(HexFormat.of().formatHex(digest));
        return true;
    }

    static int headerEnd(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** Content-Length's leading digits, or -1 without the header. */
    static long contentLength(String header) {
        for (String line : header.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                String v = line.substring(colon + 1).stripLeading();
                long n = 0;
                for (int i = 0; i < v.length() && Character.isDigit(v.charAt(i)) && n < Long.MAX_VALUE / 10 - 9; i++) {
                    n = n * 10 + (v.charAt(i) - '0');
                }
                return n;
            }
        }
        return -1;
    }

    /**
     * keepalived's hex dump: 16 bytes a line, a decimal offset of four digits, each byte as
     * " xx", " -" after the eighth, then three spaces and the printable characters ('.' for
     * others); a short last line is padded.
     */
    static String hexDump(byte[] b, int from, int count) {
        StringBuilder s = new StringBuilder();
        int padded = count % 16 == 0 ? count : count + 16 - count % 16;
        for (int i = 0; i < padded; i++) {
            if (i % 16 == 0) {
                s.append(String.format("%04d ", i & 0xffff));
            }
            s.append(i < count ? String.format("%3s", String.format("%02x", b[from + i] & 0xff)) : "   ");
            if ((i + 1) % 8 == 0) {
                if ((i + 1) % 16 != 0) {
                    s.append(" -");
                } else {
                    s.append("   ");
                    for (int j = i - 15; j <= i; j++) {
                        if (j < count) {
                            int c = b[from + j] & 0xff;
                            s.append(c >= 0x20 && c <= 0x7e ? (char) c : '.');
                        } else {
                            s.append(' ');
                        }
                    }
                    s.append('\n');
                }
            }
        }
        return s.toString();
    }
}
