package org.vigil.itests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail on 127.0.0.1, host-side only: referenced from a Pax Exam {@code @Configuration} method,
 * so the probe inside the framework never loads it (GreenMail is not provisioned there).
 */
final class HostSideSmtp {
    private HostSideSmtp() {
    }

    /**
     * Starts a server and leaves a {@code Supplier<List<String>>} of the raw messages received in
     * the system properties under {@code key} (java.* types cross into the framework).
     *
     * @return the SMTP port
     */
    static int start(String key) {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop));
        Supplier<List<String>> received = () -> {
            List<String> out = new ArrayList<>();
            for (var m : greenMail.getReceivedMessages()) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                try {
                    m.writeTo(raw);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                out.add(raw.toString(StandardCharsets.UTF_8));
            }
            return out;
        };
        System.getProperties().put(key, received);
        return greenMail.getSmtp().getPort();
    }
}
