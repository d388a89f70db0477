package org.vigil.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives packets from a channel, on a driver thread. Must not block. */
@ConsumerType
@FunctionalInterface
public interface PacketListener {
    void received(ReceivedPacket packet);
}
