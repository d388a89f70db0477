package org.vigil.core.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.IpFamily;

/** A mutable builder for InstanceConfig with keepalived's defaults (VI_1, VRID 51, eth0, v2, 1 s). */
final class TestConfigs {
    String name = "VI_1";
    boolean initialMaster;
    String iface = "eth0";
    int vrid = 51;
    int priority = 100;
    int advertCs = 100;
    int version = 2;
    IpFamily family = IpFamily.IPV4;
    boolean preempt = true;
    long preemptDelayMs;
    AuthType authType = AuthType.NONE;
    String pass = "";
    List<VirtualAddress> vips = new ArrayList<>(List.of(vip("192.0.2.249", 24)));
    List<InetAddress> peers = new ArrayList<>();
    boolean lowerPrioNoAdvert;
    boolean higherPrioSendAdvert;

    static TestConfigs v2(int priority) {
        TestConfigs c = new TestConfigs();
        c.priority = priority;
        return c;
    }

    static TestConfigs v3(int priority, int advertCs) {
        TestConfigs c = new TestConfigs();
        c.priority = priority;
        c.version = 3;
        c.advertCs = advertCs;
        return c;
    }

    TestConfigs name(String n) {
        name = n;
        return this;
    }

    TestConfigs vrid(int v) {
        vrid = v;
        return this;
    }

    TestConfigs stateMaster() {
        initialMaster = true;
        return this;
    }

    TestConfigs nopreempt() {
        preempt = false;
        return this;
    }

    TestConfigs preemptDelayMs(long ms) {
        preemptDelayMs = ms;
        return this;
    }

    TestConfigs pass(String p) {
        authType = AuthType.PASS;
        pass = p;
        return this;
    }

    TestConfigs lowerPrioNoAdvert() {
        lowerPrioNoAdvert = true;
        return this;
    }

    org.vigil.api.auth.HmacSettings hmac;

    InstanceConfig build() {
        if (hmac != null) {
            return new InstanceConfig(name, initialMaster, iface, vrid, priority, advertCs, version, family, preempt,
                    preemptDelayMs, authType, AuthKey.of(pass), vips, List.of(), null, peers, null, false, 3,
                    lowerPrioNoAdvert, higherPrioSendAdvert, List.of(), null, null, null, List.of(), hmac, null);
        }
        return new InstanceConfig(name, initialMaster, iface, vrid, priority, advertCs, version, family, preempt,
                preemptDelayMs, authType, AuthKey.of(pass), vips, List.of(), null, peers, null, false, 3,
                lowerPrioNoAdvert, higherPrioSendAdvert);
    }

    static VirtualAddress vip(String address, int prefix) {
        return new VirtualAddress(ip(address), prefix, "eth0", null, null, null, false);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
