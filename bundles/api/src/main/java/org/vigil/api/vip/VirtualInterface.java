package org.vigil.api.vip;

import java.util.Locale;
import java.util.Objects;

import org.vigil.api.vrrp.IpFamily;

/**
 * The interface an instance of keepalived's {@code use_vmac} or {@code use_ipvlan} runs on,
 * created on a parent (the configured interface) when the instance starts and removed when it
 * stops.
 *
 * @param kind macvlan (use_vmac: the virtual MAC of RFC 5798 section 7.3) or ipvlan (use_ipvlan:
 *        the parent's MAC)
 * @param name the interface's name: the one after the keyword, else keepalived's {@code vrrp.VRID}
 * @param parent the configured interface it is created on
 * @param vrid the instance's virtual router id (the last byte of the virtual MAC)
 * @param family the instance's family (the fifth byte of the virtual MAC)
 * @param transmitOnParent {@code vmac_xmit_base}: adverts are sent and received on the parent, the
 *        addresses still go on this interface
 * @param address use_ipvlan's address ("192.0.2.13/24"), put on the ipvlan interface; null otherwise
 * @param mode use_ipvlan's mode: "bridge" (the default), "private" or "vepa"; null for macvlan
 */
public record VirtualInterface(Kind kind, String name, String parent, int vrid, IpFamily family,
        boolean transmitOnParent, String address, String mode) {

    /** Linux's IFNAMSIZ less the terminating NUL. */
    public static final int MAX_NAME_LENGTH = 15;

    public enum Kind {
        MACVLAN, IPVLAN;

        /** The kernel's link kind (IFLA_INFO_KIND). */
        public String linkKind() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public VirtualInterface {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(family, "family");
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("virtual_router_id " + vrid + " not in 1..255");
        }
        if (name == null || name.isBlank()) {
            name = defaultName(vrid);
        }
        if (name.length() > MAX_NAME_LENGTH || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("interface name '" + name + "' is not valid (at most "
                    + MAX_NAME_LENGTH + " characters, no '/' or blanks)");
        }
        if (name.equals(parent)) {
            throw new IllegalArgumentException("interface " + name + " cannot be its own parent");
        }
        if (kind == Kind.IPVLAN) {
            mode = mode == null ? "bridge" : mode.toLowerCase(Locale.ROOT);
            if (!mode.equals("bridge") && !mode.equals("private") && !mode.equals("vepa")) {
                throw new IllegalArgumentException("ipvlan mode '" + mode + "' is none of bridge, private, vepa");
            }
        } else {
            mode = null;
            address = null;
        }
    }

    /** keepalived's name for a VRID's interface when none is given. */
    public static String defaultName(int vrid) {
        return "vrrp." + vrid;
    }

    /** A macvlan with the virtual MAC (use_vmac [NAME], vmac_xmit_base). */
    public static VirtualInterface vmac(String parent, int vrid, IpFamily family, String name, boolean transmitOnParent) {
        return new VirtualInterface(Kind.MACVLAN, name, parent, vrid, family, transmitOnParent, null, null);
    }

    /** The interface adverts go out on and come in from. */
    public String advertInterface() {
        return transmitOnParent ? parent : name;
    }

    /**
     * The virtual router MAC (RFC 5798 section 7.3): 00-00-5E-00-01-{VRID} for IPv4,
     * 00-00-5E-00-02-{VRID} for IPv6; null for ipvlan, which keeps the parent's.
     */
    public byte[] mac() {
        if (kind != Kind.MACVLAN) {
            return null;
        }
        return new byte[] { 0x00, 0x00, 0x5e, 0x00, (byte) (family == IpFamily.IPV4 ? 0x01 : 0x02), (byte) vrid };
    }

    /** "macvlan vrrp.51 on lan0" */
    @Override
    public String toString() {
        return kind.linkKind() + " " + name + " on " + parent;
    }
}
