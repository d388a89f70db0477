package org.vigil.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives packets from a channel, on a driver thread. Must not block. The packet is a view the
 * driver reuses after the call: copy what is kept ({@link ReceivedPacket#copyFrom}).
 */
@ConsumerType
@FunctionalInterface
public interface PacketListener {
    void received(ReceivedPacket packet);
}
