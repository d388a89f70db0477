package org.vigil.examples.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/**
 * One attempt: connect, send PING (after AUTH when a password is set) in RESP, read the replies,
 * pass on "+PONG". Asynchronous channels, so no thread waits on the server; the checker cancels
 * the stage at connect_timeout, and the channel is closed however the attempt ends.
 */
final class RedisCheck implements HealthCheck {
    private static final int MAX_REPLY = 512;

    private final CheckSpec spec;
    private final byte[] request;
    private final int replies;

    RedisCheck(CheckSpec spec, String password) {
        this.spec = spec;
        StringBuilder b = new StringBuilder();
        if (!password.isEmpty()) {
            b.append(command("AUTH", password));
        }
        b.append(command("PING"));
        this.request = b.toString().getBytes(StandardCharsets.UTF_8);
        this.replies = password.isEmpty() ? 1 : 2;
    }

    /** A RESP array of bulk strings: safe for any password, unlike an inline command. */
    private static String command(String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return b.toString();
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
            if (spec.bindTo() != null) {
                channel.bind(new InetSocketAddress(spec.bindTo(), 0));
            }
        } catch (IOException e) {
            result.complete(failed("connection to"));
            return result;
        }
        // cancelled at connect_timeout, or done: either way the socket goes
        result.whenComplete((r, e) -> close(channel));
        channel.connect(spec.connectTo(), null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void a) {
                channel.write(ByteBuffer.wrap(request), null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer n, Void b) {
                        read(channel, ByteBuffer.allocate(MAX_REPLY), result);
                    }

                    @Override
                    public void failed(Throwable e, Void b) {
                        result.complete(RedisCheck.this.failed("write to"));
                    }
                });
            }

            @Override
            public void failed(Throwable e, Void a) {
                result.complete(RedisCheck.this.failed("connection to"));
            }
        });
        return result;
    }

    private void read(AsynchronousSocketChannel channel, ByteBuffer buffer, CompletableFuture<CheckResult> result) {
        channel.read(buffer, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void a) {
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                String[] lines = text.split("\r\n", -1);
                // complete lines are all but the last piece
                if (lines.length - 1 >= replies) {
                    String last = lines[replies - 1];
                    if (replies == 2 && !lines[0].startsWith("+OK")) {
                        result.complete(CheckResult.failure("REDIS_CHECK AUTH to " + spec.realServerText() + " refused."));
                    } else if (last.equals("+PONG")) {
                        result.complete(CheckResult.success("REDIS_CHECK PING to " + spec.realServerText()
                                + " answered PONG."));
                    } else {
                        result.complete(CheckResult.failure("REDIS_CHECK PING to " + spec.realServerText()
                                + " answered '" + printable(last) + "'."));
                    }
                } else if (n < 0 || !buffer.hasRemaining()) {
                    result.complete(RedisCheck.this.failed("read from"));
                } else {
                    read(channel, buffer, result);
                }
            }

            @Override
            public void failed(Throwable e, Void a) {
                result.complete(RedisCheck.this.failed("read from"));
            }
        });
    }

    private CheckResult failed(String what) {
        return CheckResult.failure("REDIS_CHECK " + what + " " + spec.realServerText() + " failed.");
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }
}
