package org.vigil.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.auth.AuthType;
import org.vigil.api.vrrp.IpFamily;

/**
 * vrrp_instance as written (null or empty when a keyword was absent) plus the effective values
 * after keepalived's defaults and fix-ups ({@link #family()}, {@link #effectiveVersion()},
 * {@link #effectivePriority()}, {@link #advertIntCentis()}, {@link #preempt()},
 * {@link #preemptDelayMillis()}, {@link #effectiveAuthType()}). Built by the parser; read-only to
 * everybody else.
 */
public final class VrrpInstance {

    /** keepalived's priority without a priority keyword. */
    public static final int DEFAULT_PRIORITY = 100;
    /** The address owner's priority (RFC 5798 section 5.2.4), keepalived's default for state MASTER. */
    public static final int OWNER_PRIORITY = 255;
    /** Default advert_int, centiseconds (1 s). */
    public static final int DEFAULT_ADVERT_INT_CS = 100;
    /** keepalived's default down_timer_adverts (the RFC's 3 intervals). */
    public static final int DEFAULT_DOWN_TIMER_ADVERTS = 3;

    final String name;
    final Origin origin;
    String state;
    String interfaceName;
    Origin interfaceOrigin;
    Integer virtualRouterId;
    Integer priority;
    BigDecimal advertInt;
    Origin advertIntOrigin;
    Integer version;
    boolean nopreempt;
    BigDecimal preemptDelay;
    AuthType authType;
    String authPass;
    Origin authOrigin;
    /** The auth_hmac block as written (null without one); {@link #authHmac()} after resolving. */
    AuthHmacParser.Block authHmacBlock;
    org.vigil.api.auth.HmacSettings authHmac;
    final List<VirtualIp> virtualIpaddress = new ArrayList<>();
    final List<VirtualIp> virtualIpaddressExcluded = new ArrayList<>();
    final List<String> virtualRoutes = new ArrayList<>();
    final List<String> virtualRules = new ArrayList<>();
    String unicastSrcIp;
    final List<String> unicastPeers = new ArrayList<>();
    String mcastSrcIp;
    String mcastDstIp;
    final Map<String, List<String>> tracks = new LinkedHashMap<>();
    final Map<String, NotifyScript> notifies = new LinkedHashMap<>();
    Boolean smtpAlert;
    final Map<String, Integer> garp = new LinkedHashMap<>();
    boolean useVmac;
    String vmacName;
    boolean nativeIpv6;
    boolean v3ChecksumAsV2;
    Integer downTimerAdverts;
    Boolean lowerPrioNoAdvert;
    Boolean higherPrioSendAdvert;
    boolean dontTrackPrimary;
    Boolean accept;
    Boolean strictMode;
    final List<ConfigNode> extra = new ArrayList<>();
    /** Where each track entry was written, keyed by "keyword entry", for diagnostics. */
    final Map<String, Origin> entryOrigins = new java.util.HashMap<>();

    IpFamily family = IpFamily.IPV4;
    int effectiveVersion = 2;
    int effectivePriority = DEFAULT_PRIORITY;
    int advertIntCentis = DEFAULT_ADVERT_INT_CS;
    boolean preempt = true;
    long preemptDelayMillis;
    AuthType effectiveAuthType = AuthType.NONE;

    VrrpInstance(String name, Origin origin) {
        this.name = name;
        this.origin = origin;
    }

    public String name() { return name; }
    public Origin origin() { return origin; }
    /** "MASTER", "BACKUP" or null. */
    public String state() { return state; }
    public String interfaceName() { return interfaceName; }
    public Integer virtualRouterId() { return virtualRouterId; }
    /** The configured priority, null when absent; see {@link #effectivePriority()}. */
    public Integer priority() { return priority; }
    /** The configured advert_int in seconds, null when absent; see {@link #advertIntCentis()}. */
    public BigDecimal advertInt() { return advertInt; }
    public Integer version() { return version; }
    public boolean nopreempt() { return nopreempt; }
    /** Seconds, null when absent. */
    public BigDecimal preemptDelay() { return preemptDelay; }
    /** The configured auth_type, null without an authentication block. */
    public AuthType authType() { return authType; }
    /** The resolved auth_hmac settings, null without a (valid) auth_hmac block. Holds secrets. */
    public org.vigil.api.auth.HmacSettings authHmac() { return authHmac; }
    public String authPass() { return authPass; }
    public List<VirtualIp> virtualIpaddress() { return Collections.unmodifiableList(virtualIpaddress); }
    public List<VirtualIp> virtualIpaddressExcluded() { return Collections.unmodifiableList(virtualIpaddressExcluded); }
    public List<String> virtualRoutes() { return Collections.unmodifiableList(virtualRoutes); }
    public List<String> virtualRules() { return Collections.unmodifiableList(virtualRules); }
    public String unicastSrcIp() { return unicastSrcIp; }
    /** unicast_peer entries as written ("192.0.2.12 min_ttl 250"). */
    public List<String> unicastPeers() { return Collections.unmodifiableList(unicastPeers); }
    public String mcastSrcIp() { return mcastSrcIp; }
    public String mcastDstIp() { return mcastDstIp; }
    /** Keyed by keyword (track_interface, track_script, track_file, track_process, track_bfd). */
    public Map<String, List<String>> tracks() { return Collections.unmodifiableMap(tracks); }
    public List<String> track(String keyword) { return tracks.getOrDefault(keyword, List.of()); }
    /** Keyed by keyword (notify_master, notify_backup, notify_fault, notify_stop, notify, ...). */
    public Map<String, NotifyScript> notifies() { return Collections.unmodifiableMap(notifies); }
    public Boolean smtpAlert() { return smtpAlert; }
    /** garp_master_delay, garp_master_repeat, garp_lower_prio_delay, ... as set on the instance. */
    public Map<String, Integer> garp() { return Collections.unmodifiableMap(garp); }
    public boolean useVmac() { return useVmac; }
    public String vmacName() { return vmacName; }
    public boolean nativeIpv6() { return nativeIpv6; }
    public boolean v3ChecksumAsV2() { return v3ChecksumAsV2; }
    public Integer downTimerAdverts() { return downTimerAdverts; }
    public Boolean lowerPrioNoAdvert() { return lowerPrioNoAdvert; }
    public Boolean higherPrioSendAdvert() { return higherPrioSendAdvert; }
    public boolean dontTrackPrimary() { return dontTrackPrimary; }
    /** TRUE for accept, FALSE for no_accept, null when neither was written. */
    public Boolean accept() { return accept; }
    public Boolean strictMode() { return strictMode; }
    /** Recognised keywords without a typed field (vrf, use_ipvlan, unicast_ttl, ...). */
    public List<ConfigNode> extra() { return Collections.unmodifiableList(extra); }

    public IpFamily family() { return family; }
    public int effectiveVersion() { return effectiveVersion; }
    public int effectivePriority() { return effectivePriority; }
    public int advertIntCentis() { return advertIntCentis; }
    public boolean preempt() { return preempt; }
    public long preemptDelayMillis() { return preemptDelayMillis; }
    public AuthType effectiveAuthType() { return effectiveAuthType; }

    /** Where a track entry ("track_script", "chk weight 10") was written; the instance's origin if unknown. */
    public Origin originOf(String keyword, String entry) {
        return entryOrigins.getOrDefault(keyword + " " + entry, origin);
    }

    @Override
    public String toString() {
        return "vrrp_instance " + name + " (" + origin + ")";
    }
}
