package org.vigil.checker.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckerPids;

/** Virtual servers for tests, built as the component builds them: from their configuration's attributes. */
final class TestVirtualServers {
    private TestVirtualServers() {
    }

    /** An address service with keepalived's defaults, from its key ("192.0.2.249:tcp:80"). */
    static VsSettings defaults(String key) {
        int portColon = key.lastIndexOf(':');
        int protoColon = key.lastIndexOf(':', portColon - 1);
        String address = key.substring(0, protoColon).replace("[", "").replace("]", "");
        Map<String, List<String>> props = new HashMap<>();
        props.put(CheckerPids.VIRTUAL_SERVER_KEY, List.of(key));
        props.put(CheckerPids.ADDRESS, List.of(address));
        props.put(CheckerPids.PORT, List.of(key.substring(portColon + 1)));
        props.put("protocol", List.of(key.substring(protoColon + 1, portColon)));
        return VirtualServerComponent.settings(new CheckProperties(props).as(VirtualServerComponent.Config.class));
    }
}
