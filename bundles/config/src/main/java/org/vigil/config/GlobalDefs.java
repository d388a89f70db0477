package org.vigil.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * global_defs. Unset values are null (keepalived then uses its defaults: router_id and
 * smtp_helo_name the host name, smtp_server port 25, smtp_connect_timeout 30 s). Every other
 * recognised keyword (vrrp_garp_*, vrrp_strict, ...) is kept in {@code other} as keyword to its
 * words joined by spaces (empty string for a bare flag).
 */
public record GlobalDefs(String routerId, List<String> notificationEmail, String notificationEmailFrom,
        String smtpServer, Integer smtpPort, String smtpHeloName, Integer smtpConnectTimeoutSeconds,
        Boolean smtpAlert, Boolean smtpAlertVrrp, boolean noEmailFaults, boolean enableScriptSecurity,
        String scriptUser, Integer vrrpVersion, Map<String, String> other, Origin origin) {

    /** keepalived's default SMTP port. */
    public static final int DEFAULT_SMTP_PORT = 25;
    /** keepalived's default smtp_connect_timeout, seconds. */
    public static final int DEFAULT_SMTP_CONNECT_TIMEOUT_SECONDS = 30;

    public static final GlobalDefs EMPTY = new GlobalDefs(null, List.of(), null, null, null, null, null, null, null,
            false, false, null, null, Map.of(), null);

    public GlobalDefs {
        notificationEmail = List.copyOf(notificationEmail);
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    /** A flag in {@code other} that is present and not switched off (off|false|no). */
    public boolean flag(String keyword) {
        String value = other.get(keyword);
        return value != null && Booleans.parse(value) != Boolean.FALSE;
    }
}
