package org.vigil.notify.mail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.TransitionEvent.Kind;

class MailFormatTest {

    @Test
    void dataIsKeepalivedsByteForByte() {
        byte[] data = MailFormat.message(ZonedDateTime.of(2026, 11, 24, 18, 5, 9, 0, ZoneOffset.ofHours(1)),
                "keepalived@lb1", List.of("a@x.org", "B <b@x.org>", "c@x.org"),
                MailFormat.subject("lb1", Kind.INSTANCE, "VI_1", MailFormat.Event.DELETED),
                MailFormat.body(Kind.INSTANCE, MailFormat.Event.DELETED));
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo(
                "Date: Tue, 24 Nov 2026 18:05:09 +0100\r\n"
                + "From: keepalived@lb1\r\n"
                + "Subject: [lb1] VRRP Instance VI_1 - Deleted\r\n"
                + "X-Mailer: Keepalived\r\n"
                + "To: a@x.org,\r\n B <b@x.org>,\r\n c@x.org\r\n"
                + "\r\n"
                + "=> VRRP Deleted at reload <=\r\n"
                + "\r\n");
    }

    @Test
    void groupSubjectsAndBodies() {
        assertThat(MailFormat.subject("r", Kind.GROUP, "G", MailFormat.Event.STOP))
                .isEqualTo("[r] VRRP Group G - Stopping");
        assertThat(MailFormat.body(Kind.GROUP, MailFormat.Event.STOP))
                .isEqualTo("=> All VRRP group instances are now stopping <=");
        assertThat(MailFormat.body(Kind.GROUP, MailFormat.Event.FAULT))
                .isEqualTo("=> All VRRP group instances are now in FAULT state <=");
    }

    @Test
    void envelopeUsesOnlyTheAngleBracketPart() {
        assertThat(MailFormat.envelopeAddress("\"Ops, Team\" <ops@x.org>")).isEqualTo("ops@x.org");
        assertThat(MailFormat.envelopeAddress(" ops@x.org ")).isEqualTo("ops@x.org");
    }
}
