package org.vigil.config;

import java.util.List;
import java.util.Optional;

/**
 * The typed content of a keepalived.conf. {@code unsupported} keeps top-level blocks Vigil reads
 * but does not act on yet (virtual_server, static_routes, ...), so tools can still show them.
 */
public record KeepalivedModel(GlobalDefs global, List<VrrpScript> scripts, List<VrrpSyncGroup> syncGroups,
        List<VrrpInstance> instances, List<ConfigNode> unsupported) {

    public KeepalivedModel {
        global = global == null ? GlobalDefs.EMPTY : global;
        scripts = List.copyOf(scripts);
        syncGroups = List.copyOf(syncGroups);
        instances = List.copyOf(instances);
        unsupported = List.copyOf(unsupported);
    }

    public static final KeepalivedModel EMPTY = new KeepalivedModel(GlobalDefs.EMPTY, List.of(), List.of(), List.of(),
            List.of());

    public Optional<VrrpInstance> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<VrrpScript> script(String name) {
        return scripts.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
