package org.vigil.config;

import java.util.List;
import java.util.Optional;

/**
 * The typed content of a keepalived.conf. {@code unsupported} keeps top-level blocks Vigil reads
 * but does not act on yet (static_routes, ...), so tools can still show them.
 * {@code staticAddresses} are the static_ipaddress entries, {@code network} the static_routes,
 * static_rules and garp_group blocks, {@code trackers} the vrrp_track_process and track_file blocks, {@code daemon} the top-level net_namespace, instance
 * and use_pid_dir.
 */
public record KeepalivedModel(GlobalDefs global, List<VrrpScript> scripts, List<VrrpSyncGroup> syncGroups,
        List<VrrpInstance> instances, List<VirtualServerGroup> virtualServerGroups,
        List<VirtualServer> virtualServers, List<VirtualIp> staticAddresses, List<ConfigNode> unsupported,
        NetworkBlocks network, TrackBlocks trackers, DaemonOptions daemon) {

    public KeepalivedModel {
        trackers = trackers == null ? TrackBlocks.EMPTY : trackers;
        daemon = daemon == null ? DaemonOptions.NONE : daemon;
        global = global == null ? GlobalDefs.EMPTY : global;
        scripts = List.copyOf(scripts);
        syncGroups = List.copyOf(syncGroups);
        instances = List.copyOf(instances);
        virtualServerGroups = List.copyOf(virtualServerGroups);
        virtualServers = List.copyOf(virtualServers);
        staticAddresses = List.copyOf(staticAddresses);
        unsupported = List.copyOf(unsupported);
        network = network == null ? NetworkBlocks.EMPTY : network;
    }

    /** A model without daemon options. */
    public KeepalivedModel(GlobalDefs global, List<VrrpScript> scripts, List<VrrpSyncGroup> syncGroups,
            List<VrrpInstance> instances, List<VirtualServerGroup> virtualServerGroups,
            List<VirtualServer> virtualServers, List<VirtualIp> staticAddresses, List<ConfigNode> unsupported,
            NetworkBlocks network, TrackBlocks trackers) {
        this(global, scripts, syncGroups, instances, virtualServerGroups, virtualServers, staticAddresses, unsupported,
                network, trackers, DaemonOptions.NONE);
    }

    /** A model without tracker blocks. */
    public KeepalivedModel(GlobalDefs global, List<VrrpScript> scripts, List<VrrpSyncGroup> syncGroups,
            List<VrrpInstance> instances, List<VirtualServerGroup> virtualServerGroups,
            List<VirtualServer> virtualServers, List<VirtualIp> staticAddresses, List<ConfigNode> unsupported,
            NetworkBlocks network) {
        this(global, scripts, syncGroups, instances, virtualServerGroups, virtualServers, staticAddresses, unsupported,
                network, TrackBlocks.EMPTY);
    }

    /** A model without static routes, rules and garp groups. */
    public KeepalivedModel(GlobalDefs global, List<VrrpScript> scripts, List<VrrpSyncGroup> syncGroups,
            List<VrrpInstance> instances, List<VirtualServerGroup> virtualServerGroups,
            List<VirtualServer> virtualServers, List<VirtualIp> staticAddresses, List<ConfigNode> unsupported) {
        this(global, scripts, syncGroups, instances, virtualServerGroups, virtualServers, staticAddresses, unsupported,
                NetworkBlocks.EMPTY);
    }

    /** A model without load balancing (the VRRP side only). */
    public KeepalivedModel(GlobalDefs global, List<VrrpScript> scripts, List<VrrpSyncGroup> syncGroups,
            List<VrrpInstance> instances, List<ConfigNode> unsupported) {
        this(global, scripts, syncGroups, instances, List.of(), List.of(), List.of(), unsupported);
    }

    public static final KeepalivedModel EMPTY = new KeepalivedModel(GlobalDefs.EMPTY, List.of(), List.of(), List.of(),
            List.of());

    public Optional<VrrpInstance> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<VrrpScript> script(String name) {
        return scripts.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The virtual server with this key ({@link VirtualServer#key()}). */
    public Optional<VirtualServer> virtualServer(String key) {
        return virtualServers.stream().filter(v -> v.key().equals(key)).findFirst();
    }
}
