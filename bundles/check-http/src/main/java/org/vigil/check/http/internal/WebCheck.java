package org.vigil.check.http.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/**
 * One HTTP_GET or SSL_GET block of one real server.
 *
 * <p>keepalived checks one url per round, in turn, and calls the server good only once every url
 * has passed in a row; after a failure it keeps asking the failed url, and once that one passes,
 * asks all of them again. The checker's contract is simpler (one attempt, one verdict; one
 * success brings a down server up), so this keeps keepalived's verdicts with one change of pace:
 * while all is well an attempt asks the next url in turn; the first attempt and every attempt
 * after a failure ask the failed url and then all the others, one after another within the same
 * attempt and the same connect_timeout, and succeed only when all passed.
 */
final class WebCheck implements HealthCheck {
    /** The most body bytes kept for a regex; keepalived streams through its whole body, we stop here. */
    static final int REGEX_BODY_LIMIT = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(WebCheck.class);

    private final IoLoop loop;
    private final CheckSpec spec;
    private final WebCheckSettings settings;
    private final String rs;
    private final byte[][] requests;

    // guarded by this
    private int cursor;
    private int failedUrl = -1;
    private boolean hasRun;
    private boolean believedDown;
    private final long[] reportedMismatch;
    private Exchange current;

    WebCheck(IoLoop loop, CheckSpec spec, WebCheckSettings settings) {
        this.loop = loop;
        this.spec = spec;
        this.settings = settings;
        this.rs = spec.realServerText();
        List<UrlTest> urls = settings.urls();
        this.requests = new byte[urls.size()][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = RequestText.get(urls.get(i).path(), settings.protocol(), virtualhost(urls.get(i)), spec.connectTo());
        }
        this.reportedMismatch = new long[urls.size()];
    }

    /** A url's own virtualhost, else the block's. (keepalived would fall back to the real and virtual server's too.) */
    String virtualhost(UrlTest url) {
        return url.virtualhost() != null ? url.virtualhost() : settings.virtualhost();
    }

    /**
     * The attempt's own deadline, a little before the checker's (connect_timeout), so that the
     * line names the step that hung ("Timeout connecting", "Timeout WEB read") instead of the
     * checker's generic timeout.
     */
    static long budgetNanos(Duration connectTimeout) {
        long t = connectTimeout.toNanos();
        return t - Math.min(t / 20, Duration.ofMillis(50).toNanos());
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + budgetNanos(spec.connectTimeout());
        List<Integer> plan = new ArrayList<>();
        boolean down;
        synchronized (this) {
            if (!hasRun || failedUrl >= 0) {
                int first = Math.max(failedUrl, 0);
                plan.add(first);
                for (int i = 0; i < settings.urls().size(); i++) {
                    if (i != first) {
                        plan.add(i);
                    }
                }
            } else {
                plan.add(cursor);
            }
            // the last attempt failed and the checker counts afresh: that failure was its down
            // verdict, and the server stays down (for these lines) until an attempt succeeds
            if (failedUrl >= 0 && context.attemptNumber() == 1) {
                believedDown = true;
            }
            down = believedDown;
        }
        result.whenComplete((r, t) -> {
            if (result.isCancelled()) {
                abortCurrent();
            }
        });
        step(context, plan, 0, plan.size() > 1, deadline, down, result);
        return result;
    }

    private void step(CheckContext context, List<Integer> plan, int at, boolean fullPass, long deadline, boolean down,
            CompletableFuture<CheckResult> result) {
        int index = plan.get(at);
        UrlTest url = settings.urls().get(index);
        ResponseReader reader = new ResponseReader(url.regex() != null ? REGEX_BODY_LIMIT : 0);
        String sni = settings.ssl() && settings.enableSni() ? virtualhost(url) : null;
        Exchange exchange = Exchange.start(loop, spec.connectTo(), spec.bindTo(), settings.ssl(), sni, requests[index],
                reader, deadline);
        synchronized (this) {
            current = exchange;
        }
        if (result.isDone()) {
            exchange.abort();
            return;
        }
        exchange.outcome().whenCompleteAsync((outcome, error) -> {
            if (outcome == null || result.isDone()) {
                return; // aborted
            }
            try {
                Reason failure = outcome.failure() != null ? outcome.failure() : evaluate(index, url, outcome.reply());
                if (failure != null) {
                    synchronized (this) {
                        failedUrl = index;
                        cursor = index;
                        hasRun = true;
                    }
                    result.complete(CheckResult.failure(failure.line(rs)));
                    return;
                }
                if (down) {
                    LOG.info("{} success to {} url({})", passed(url), rs, url.path());
                }
                if (at + 1 < plan.size()) {
                    step(context, plan, at + 1, fullPass, deadline, down, result);
                    return;
                }
                synchronized (this) {
                    failedUrl = -1;
                    believedDown = false;
                    hasRun = true;
                    cursor = fullPass ? 0 : (cursor + 1) % settings.urls().size();
                }
                result.complete(CheckResult.success("Remote Web server " + rs + " succeed on service."));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, context.executor());
    }

    private void abortCurrent() {
        Exchange e;
        synchronized (this) {
            e = current;
        }
        if (e != null) {
            e.abort();
        }
    }

    /** keepalived's order: status code, then MD5 digest, then regex; null when all passed. */
    Reason evaluate(int index, UrlTest url, ResponseReader reply) {
        if (!url.statusCodes().accepts(reply.status())) {
            return Reason.STATUS_CODE;
        }
        reportLengthMismatch(index, url, reply);
        if (url.digest() != null && !Arrays.equals(url.digest(), reply.digest())) {
            return Reason.DIGEST;
        }
        if (url.regex() != null && matches(url, reply.keptBody()) == url.regexNoMatch()) {
            return Reason.REGEX;
        }
        return null;
    }

    static boolean matches(UrlTest url, String body) {
        Matcher m = url.regex().matcher(body);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        m.region(Math.min(url.regexMinOffset(), body.length()), body.length());
        return m.find() && (url.regexMaxOffset() < 0 || m.start() <= url.regexMaxOffset());
    }

    /** keepalived logs a short body once per distinct shortfall. */
    private void reportLengthMismatch(int index, UrlTest url, ResponseReader reply) {
        long difference = reply.contentLength() < 0 ? 0 : reply.contentLength() - reply.bodyBytes();
        boolean report;
        synchronized (this) {
            report = difference != 0 && reportedMismatch[index] != difference;
            reportedMismatch[index] = difference;
        }
        if (report) {
            String vhost = url.virtualhost() != null ? url.virtualhost() : "";
            LOG.info("http_check for RS {} VS {} url {}{}: content_length ({}) does not match received bytes ({})", rs,
                    spec.virtualServerText(), vhost, url.path(), reply.contentLength(), reply.bodyBytes());
        }
    }

    /** The name of the last test a url passed, as keepalived words its success line. */
    private static String passed(UrlTest url) {
        return url.regex() != null ? "Regex match" : url.digest() != null ? "MD5 digest" : "HTTP status code";
    }

    @Override
    public void close() {
        abortCurrent();
    }
}
