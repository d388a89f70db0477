package org.vigil.checker.internal;

import java.util.List;

import org.vigil.api.check.CheckEvent;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/** Where the engine sends what it decided; called on the loop, so implementations only hand over. */
interface EngineOutput {

    void event(CheckEvent event);

    /** A virtual server's services as the kernel should hold them now (a group: one per entry). */
    void pool(String vsKey, List<VirtualService> services);

    /** A virtual server is gone. */
    void removed(String vsKey, List<ServiceKey> keys);

    /** A worker stays inside {@code type}'s attempt() although interrupted: it is lost to the other checks. */
    default void workerStuck(String type) {
    }

    /** A line for lvs_notify_fifo ({@code RS [rs] [vs] UP}, {@code VS [vs] DOWN}), without its newline. */
    default void fifo(String path, String line) {
    }

    /**
     * A script of the configuration to run for a transition: {@code what} is notify_up, notify_down, quorum_up or
     * quorum_down, {@code commandLine} the keyword's value as keepalived.conf gives it (never blank), {@code user}
     * who runs it (null for none), then global_defs script_user (null for none) and
     * enable_script_security, which keepalived applies to every script.
     */
    default void script(String what, String commandLine, org.vigil.script.RunAs user, org.vigil.script.RunAs scriptUser,
            boolean scriptSecurity) {
    }

    EngineOutput NONE = new EngineOutput() {
        @Override
        public void event(CheckEvent event) {
        }

        @Override
        public void pool(String vsKey, List<VirtualService> services) {
        }

        @Override
        public void removed(String vsKey, List<ServiceKey> keys) {
        }
    };
}
