package org.vigil.api.check;

import java.util.Objects;

/**
 * A change in a virtual server's pool, as notifiers hear it (mail, notify scripts, the fifo,
 * JMX). Texts are keepalived's: real server {@code [192.0.2.21]:tcp:80}, virtual server the same
 * form, {@code FWM 10} or {@code [group]:80}.
 *
 * @param kind          what happened
 * @param virtualServer the virtual server
 * @param realServer    the real server, or "" for a virtual server event
 * @param weight        the real server's weight now (0 when down with inhibit_on_failure), or -1
 * @param line          the line the checker logged for it, in keepalived's words
 * @param checkType     the check that decided a real server event ("TCP_CHECK": the failed one
 *                      when down, the first when up), "" for a virtual server event or none
 * @param smtpAlert     whether keepalived's smtp_alert asks for a mail about it (the real
 *                      server's setting for its events, the virtual server's for quorum)
 */
public record CheckEvent(Kind kind, String virtualServer, String realServer, int weight, String line,
        String checkType, boolean smtpAlert) {

    public enum Kind {
        /** A real server entered the pool (or was enabled). */
        REAL_SERVER_UP,
        /** A real server left the pool (or was disabled: inhibit_on_failure). */
        REAL_SERVER_DOWN,
        /** The virtual server's live weight reached quorum + hysteresis. */
        QUORUM_GAINED,
        /** The live weight fell below quorum - hysteresis. */
        QUORUM_LOST
    }

    public CheckEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(virtualServer, "virtualServer");
        Objects.requireNonNull(realServer, "realServer");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(checkType, "checkType");
    }

    /** An event that names no check and asks for no mail. */
    public CheckEvent(Kind kind, String virtualServer, String realServer, int weight, String line) {
        this(kind, virtualServer, realServer, weight, line, "", false);
    }
}
