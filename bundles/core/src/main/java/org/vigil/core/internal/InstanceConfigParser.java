package org.vigil.core.internal;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.HmacMode;
import org.vigil.api.auth.HmacSettings;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.api.vrrp.IpFamily;

/**
 * Reading untyped configuration properties, for the PIDs not yet read through a Config annotation
 * (sync group, global_defs, track process). Instances are read by {@link InstanceConfigs}.
 */
final class InstanceConfigParser {
    private InstanceConfigParser() {
    }

    /** One virtual_ipaddress entry ({@link VirtualAddress#parse}). */
    static VirtualAddress virtualAddress(String entry, String defaultDevice) {
        return VirtualAddress.parse(entry, defaultDevice);
    }

    /** An IP literal only: a host name here would mean a DNS lookup on the election path. */
    static InetAddress literal(String text) {
        String s = text.trim();
        if (!s.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    static List<String> strings(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String[] array) {
            out.addAll(List.of(array));
        } else if (v instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        } else {
            out.add(String.valueOf(v));
        }
        return out;
    }

    static String string(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    static int integer(Map<String, ?> p, String key, int dflt) {
        Object v = p.get(key);
        return v == null ? dflt : v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
    }

    static long longValue(Map<String, ?> p, String key, long dflt) {
        Object v = p.get(key);
        return v == null ? dflt : v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v).trim());
    }

    static boolean bool(Map<String, ?> p, String key, boolean dflt) {
        Object v = p.get(key);
        return v == null ? dflt : v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v).trim());
    }
}
