package org.vigil.check.smtp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One SMTP dialogue with one server, on asynchronous sockets: connect, the 220 banner, HELO and
 * its 250, QUIT and its reply. It completes with null on success or keepalived's failure line
 * ("SMTP_CHECK Bad greeting banner from server [192.0.2.21]:25"). Multi-line replies
 * ({@code 250-...}) are read to their last line, so a server with a long banner passes.
 */
final class SmtpDialogue {
    /** keepalived's SMTP reply buffer; a longer line is wrapped, as keepalived does, not an error. */
    static final int LINE_MAX = 512;
    private static final int NONE = Integer.MIN_VALUE;

    private final SmtpSettings.Target target;
    private final Duration timeout;
    private final String helo;
    private final AsynchronousChannelGroup group;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    private final ByteBuffer in = ByteBuffer.allocate(LINE_MAX);
    private final StringBuilder line = new StringBuilder();
    private AsynchronousSocketChannel channel;
    private ScheduledFuture<?> timer;
    private volatile boolean connected;

    /** @param timeout when the dialogue gives up with keepalived's timeout line */
    SmtpDialogue(SmtpSettings.Target target, Duration timeout, String helo, AsynchronousChannelGroup group,
            ScheduledExecutorService scheduler) {
        this.target = target;
        this.timeout = timeout;
        this.helo = helo;
        this.group = group;
        this.scheduler = scheduler;
    }

    CompletableFuture<String> start() {
        try {
            AsynchronousSocketChannel ch = AsynchronousSocketChannel.open(group);
            synchronized (this) {
                channel = ch;
            }
            if (target.bindTo() != null) {
                ch.bind(target.bindTo());
            }
            timer = scheduler.schedule(() -> fail(connected ? "Read timeout from server" : "Connection timeout to server"),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            ch.connect(target.connectTo(), null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void v, Void a) {
                    connected = true;
                    readReply(code -> expect(code, 220, "Bad greeting banner from server", () -> send("HELO " + helo,
                            () -> readReply(c -> expect(c, 250, "Bad HELO response from server", () -> send("QUIT",
                                    () -> readReply(any -> succeed())))))));
                }

                @Override
                public void failed(Throwable e, Void a) {
                    fail("Error connecting to server");
                }
            });
        } catch (IOException | RuntimeException e) {
            fail("Error connecting to server");
        }
        return outcome;
    }

    /** Ends the dialogue: on completion, on cancellation, when the attempt ends early. */
    void close() {
        outcome.cancel(false);
        release();
    }

    private synchronized void release() {
        if (timer != null) {
            timer.cancel(false);
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    private void expect(int code, int wanted, String error, Runnable next) {
        if (code == wanted) {
            next.run();
        } else {
            fail(error);
        }
    }

    private void succeed() {
        outcome.complete(null);
        release();
    }

    private void fail(String what) {
        outcome.complete("SMTP_CHECK " + what + " " + target.text());
        release();
    }

    private void send(String command, Runnable next) {
        ByteBuffer out = ByteBuffer.wrap((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        write(out, next);
    }

    private void write(ByteBuffer out, Runnable next) {
        if (outcome.isDone()) {
            return;
        }
        try {
            channel.write(out, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void a) {
                    if (out.hasRemaining()) {
                        write(out, next);
                    } else {
                        next.run();
                    }
                }

                @Override
                public void failed(Throwable e, Void a) {
                    fail("Write failure to server");
                }
            });
        } catch (RuntimeException e) {
            fail("Write failure to server");
        }
    }

    /** Reads one reply to its last line and hands on its code (-1 when the line has none). */
    private void readReply(IntConsumer onCode) {
        line.setLength(0);
        read(onCode);
    }

    private void read(IntConsumer onCode) {
        if (outcome.isDone()) {
            return;
        }
        // a reply already buffered (several lines in one segment) needs no read
        int buffered = in.position() > 0 ? takeLines() : NONE;
        if (buffered != NONE) {
            onCode.accept(buffered);
            return;
        }
        try {
            channel.read(in, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void a) {
                    if (n < 0) {
                        fail("Read failure from server");
                        return;
                    }
                    int code = takeLines();
                    if (code == NONE) {
                        read(onCode);
                    } else {
                        onCode.accept(code);
                    }
                }

                @Override
                public void failed(Throwable e, Void a) {
                    fail("Read failure from server");
                }
            });
        } catch (RuntimeException e) {
            fail("Read failure from server");
        }
    }

    /** Consumes buffered bytes up to a reply's last line: its code (-1 when it has none), or NONE when incomplete. */
    private synchronized int takeLines() {
        in.flip();
        try {
            while (in.hasRemaining()) {
                char c = (char) (in.get() & 0xff);
                if (c == '\n') {
                    String l = line.toString();
                    line.setLength(0);
                    if (l.length() >= 4 && code(l) >= 0 && l.charAt(3) == '-') {
                        continue; // a continuation line: the reply goes on
                    }
                    return code(l);
                }
                if (line.length() >= LINE_MAX) {
                    line.setLength(0);
                }
                line.append(c);
            }
            return NONE;
        } finally {
            in.compact();
        }
    }

    /** The three-digit code a reply line starts with, or -1. */
    static int code(String line) {
        if (line.length() < 3) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(line.substring(0, 3));
    }
}
