package org.vigil.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.vigil.api.auth.AuthType;
import org.vigil.api.vrrp.IpFamily;

/**
 * The checks that need the whole configuration, and keepalived's defaults and fix-ups that turn
 * what was written into effective values. Messages follow keepalived 2.2.7's wording.
 */
final class Resolver {

    /** RFC 5798 section 5.2.7: the v3 interval field is 12 bits of centiseconds. */
    static final int MAX_V3_ADVERT_INT_CS = 4095;
    /** RFC 3768 section 5.3.7: the v2 interval field is 8 bits of seconds. */
    static final int MAX_V2_ADVERT_INT_S = 255;
    /** keepalived accepts advert_int in [0.01, 255] seconds and ignores anything else. */
    private static final BigDecimal MIN_ADVERT_INT = new BigDecimal("0.01");
    private static final BigDecimal MAX_ADVERT_INT = BigDecimal.valueOf(MAX_V2_ADVERT_INT_S);

    private final List<Diagnostic> diagnostics;

    Resolver(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    KeepalivedModel resolve(KeepalivedModel model) {
        List<VrrpInstance> instances = new ArrayList<>();
        Map<String, VrrpInstance> byName = new HashMap<>();
        for (VrrpInstance vi : model.instances()) {
            if (byName.containsKey(vi.name())) {
                diagnostics.add(Diagnostic.error(vi.origin(), "vrrp instance " + vi.name() + " already defined"));
                continue;
            }
            byName.put(vi.name(), vi);
            instances.add(vi);
        }
        for (VrrpInstance vi : instances) {
            effectiveValues(vi, model.global());
        }
        vridClashes(instances);
        Set<String> scripts = new HashSet<>();
        model.scripts().forEach(s -> scripts.add(s.name()));
        for (VrrpInstance vi : instances) {
            for (String entry : vi.track("track_script")) {
                trackScript(vi.name(), vi.originOf("track_script", entry), entry, scripts);
            }
        }
        for (VrrpInstance vi : instances) {
            for (String kind : List.of("track_process", "track_file")) {
                for (String entry : vi.track(kind)) {
                    trackBlock(vi.name(), vi.originOf(kind, entry), kind, entry, model.trackers());
                }
            }
        }
        for (VrrpSyncGroup g : model.syncGroups()) {
            for (String entry : g.tracks().getOrDefault("track_script", List.of())) {
                trackScript(g.name(), g.origin(), entry, scripts);
            }
            for (String kind : List.of("track_process", "track_file")) {
                for (String entry : g.tracks().getOrDefault(kind, List.of())) {
                    trackBlock(g.name(), g.origin(), kind, entry, model.trackers());
                }
            }
            long present = 0;
            for (String member : g.group()) {
                if (byName.containsKey(member)) {
                    present++;
                } else {
                    diagnostics.add(Diagnostic.warning(g.origin(), "Virtual router " + member
                            + " specified in sync group " + g.name() + " doesn't exist - ignoring"));
                }
            }
            if (present == 1) {
                diagnostics.add(Diagnostic.warning(g.origin(), "Sync group " + g.name()
                        + " has only 1 virtual router(s) - this probably isn't what you want"));
            }
        }
        return new KeepalivedModel(model.global(), model.scripts(), model.syncGroups(), instances,
                model.virtualServerGroups(), model.virtualServers(), model.staticAddresses(), model.unsupported(),
                model.network(), model.trackers(), model.daemon());
    }

    private void effectiveValues(VrrpInstance vi, GlobalDefs global) {
        String ctx = "(" + vi.name() + ") ";
        if (vi.interfaceName == null && vi.unicastPeers.isEmpty()) {
            // keepalived allows no interface only for unicast, where routing picks it.
            diagnostics.add(Diagnostic.error(vi.origin(), ctx + "Unknown interface!"));
        }
        if (vi.virtualRouterId == null) {
            diagnostics.add(Diagnostic.error(vi.origin(), ctx + "the virtual router id must be set"));
        }

        if (vi.virtualIpaddress.isEmpty()
                && vi.extra.stream().noneMatch(n -> n.keyword().equals("no_virtual_ipaddress"))) {
            diagnostics.add(Diagnostic.warning(vi.origin(), ctx + "No VIP specified; at least one is sensible"));
        }
        vi.family = family(vi);
        for (VirtualIp vip : vi.virtualIpaddress) {
            if (vip.family() != vi.family) {
                diagnostics.add(Diagnostic.error(vip.origin(), "(" + vi.name()
                        + "): address family must match VRRP instance [" + vip.text().split(" ")[0] + "] - ignoring"));
            }
        }

        int version = vi.version != null ? vi.version : global.vrrpVersion() != null ? global.vrrpVersion() : 2;
        // keepalived runs every IPv6 instance as VRRPv3: RFC 3768 is IPv4 only.
        vi.effectiveVersion = vi.family == IpFamily.IPV6 ? 3 : version;

        vi.effectiveAuthType = vi.authType == null ? AuthType.NONE : vi.authType;
        if (vi.authType != null && vi.effectiveVersion == 3) {
            // RFC 5798 removed authentication; keepalived drops it silently, we say so.
            diagnostics.add(Diagnostic.warning(vi.authOrigin, ctx + "authentication is not supported with VRRPv3 - ignoring"));
            vi.effectiveAuthType = AuthType.NONE;
        }

        if (vi.effectiveAuthType == AuthType.AH && "MASTER".equals(vi.state)) {
            // keepalived does not start an AH instance as master: it starts it as backup
            diagnostics.add(Diagnostic.corrected(vi.origin(), ctx + "Initial state master is incompatible with AH"
                    + " authentication - clearing"));
            vi.state = "BACKUP";
        }
        boolean master = "MASTER".equals(vi.state);
        vi.effectivePriority = vi.priority != null ? vi.priority
                : master ? VrrpInstance.OWNER_PRIORITY : VrrpInstance.DEFAULT_PRIORITY;

        vi.preempt = !vi.nopreempt;
        if (vi.nopreempt && vi.effectivePriority == VrrpInstance.OWNER_PRIORITY) {
            diagnostics.add(Diagnostic.warning(vi.origin(), ctx + "nopreempt is incompatible with priority 255. resetting nopreempt"));
            vi.preempt = true;
        } else if (vi.nopreempt && master) {
            diagnostics.add(Diagnostic.warning(vi.origin(), ctx + "Warning - nopreempt will not work with initial state MASTER - clearing"));
            vi.preempt = true;
        }
        vi.preemptDelayMillis = 0;
        if (vi.preemptDelay != null && vi.preemptDelay.signum() > 0) {
            if (master) {
                diagnostics.add(Diagnostic.warning(vi.origin(), ctx + "Warning - preempt delay will not work with initial state MASTER - clearing"));
            } else {
                vi.preemptDelayMillis = vi.preemptDelay.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
            }
        }

        vi.advertIntCentis = advertIntCentis(vi, ctx);
        if (vi.authHmacBlock != null) {
            vi.authHmac = vi.authHmacBlock.resolve(vi.advertIntCentis, ctx, diagnostics);
            if (vi.authHmac != null && vi.authType != null && vi.effectiveAuthType != AuthType.NONE) {
                // keepalived: the two are mutually exclusive and the legacy block is dropped
                diagnostics.add(Diagnostic.warning(vi.authOrigin, ctx
                        + "auth_hmac and authentication are mutually exclusive - ignoring authentication"));
                vi.effectiveAuthType = AuthType.NONE;
            }
        }

    }

    private int advertIntCentis(VrrpInstance vi, String ctx) {
        BigDecimal seconds = vi.advertInt;
        if (seconds == null) {
            return VrrpInstance.DEFAULT_ADVERT_INT_CS;
        }
        Origin at = vi.advertIntOrigin;
        if (seconds.compareTo(MIN_ADVERT_INT) < 0 || seconds.compareTo(MAX_ADVERT_INT) > 0) {
            diagnostics.add(Diagnostic.warning(at, "number '" + seconds.toPlainString()
                    + "' outside range [0.010000, 255.000000]; " + ctx + "Advert interval ("
                    + seconds.toPlainString() + ") not valid! Must be > 0 - ignoring"));
            return VrrpInstance.DEFAULT_ADVERT_INT_CS;
        }
        if (vi.effectiveVersion == 3) {
            int cs = Math.max(1, seconds.movePointRight(2).setScale(0, RoundingMode.HALF_UP).intValueExact());
            if (cs > MAX_V3_ADVERT_INT_CS) {
                diagnostics.add(Diagnostic.warning(at, String.format(Locale.ROOT,
                        "%sVRRPv3 advertisement interval %.2fs is out of range. Must be less than 40.96s. Setting to 40.95s",
                        ctx, seconds)));
                return MAX_V3_ADVERT_INT_CS;
            }
            return cs;
        }
        BigDecimal whole = seconds.setScale(0, RoundingMode.HALF_UP);
        if (whole.compareTo(seconds) != 0) {
            diagnostics.add(Diagnostic.warning(at, String.format(Locale.ROOT,
                    "%sVRRPv2 advertisement interval %fs must be an integer. rounding", ctx, seconds)));
        }
        return Math.max(1, whole.intValueExact()) * 100;
    }

    private static IpFamily family(VrrpInstance vi) {
        if (!vi.virtualIpaddress.isEmpty()) {
            return vi.virtualIpaddress.get(0).family();
        }
        for (String candidate : new String[] {vi.unicastSrcIp, firstWord(vi.unicastPeers), vi.mcastDstIp}) {
            if (candidate != null && IpLiterals.parse(candidate) != null) {
                return IpFamily.of(IpLiterals.parse(candidate));
            }
        }
        if (!vi.virtualIpaddressExcluded.isEmpty() && vi.virtualIpaddressExcluded.stream()
                .allMatch(v -> v.family() == IpFamily.IPV6)) {
            return IpFamily.IPV6;
        }
        return vi.nativeIpv6 ? IpFamily.IPV6 : IpFamily.IPV4;
    }

    private static String firstWord(List<String> entries) {
        return entries.isEmpty() ? null : entries.get(0).split(" ")[0];
    }

    private void vridClashes(List<VrrpInstance> instances) {
        for (int i = 0; i < instances.size(); i++) {
            VrrpInstance a = instances.get(i);
            for (int j = 0; j < i; j++) {
                VrrpInstance b = instances.get(j);
                if (a.virtualRouterId == null || !a.virtualRouterId.equals(b.virtualRouterId)
                        || a.family != b.family || !Objects.equals(a.interfaceName, b.interfaceName)
                        || !sameChannel(a, b)) {
                    continue;
                }
                diagnostics.add(Diagnostic.error(a.origin(), b.name() + " and " + a.name() + " both use VRID "
                        + a.virtualRouterId + " with " + (a.family == IpFamily.IPV4 ? "IPv4" : "IPv6")
                        + " on interface " + a.interfaceName));
            }
        }
    }

    /**
     * Whether two instances would hear each other's adverts: keepalived allows a duplicate VRID
     * with different multicast groups, or unicast with disjoint peers.
     */
    private static boolean sameChannel(VrrpInstance a, VrrpInstance b) {
        boolean aUnicast = !a.unicastPeers.isEmpty();
        boolean bUnicast = !b.unicastPeers.isEmpty();
        if (aUnicast != bUnicast) {
            return false;
        }
        if (aUnicast) {
            Set<String> peers = new HashSet<>();
            a.unicastPeers.forEach(p -> peers.add(p.split(" ")[0]));
            return b.unicastPeers.stream().anyMatch(p -> peers.contains(p.split(" ")[0]));
        }
        return Objects.equals(a.mcastDstIp, b.mcastDstIp);
    }

    /** keepalived's words for a track_process or track_file naming no block. */
    private void trackBlock(String owner, Origin origin, String kind, String entry, TrackBlocks trackers) {
        String name = entry.trim().split("\\s+")[0];
        boolean known = kind.equals("track_process") ? trackers.process(name).isPresent()
                : trackers.file(name).isPresent() || name.startsWith("/");
        if (!known) {
            diagnostics.add(Diagnostic.warning(origin, "(" + owner + ") " + (kind.equals("track_process")
                    ? "track process " : "track file ") + name + " not found, ignoring..."));
        }
    }

    private void trackScript(String owner, Origin origin, String entry, Set<String> scripts) {
        String name = entry.split(" ")[0];
        if (!scripts.contains(name)) {
            diagnostics.add(Diagnostic.warning(origin, "(" + owner + ") track script " + name + " not found, ignoring..."));
        }
    }
}
