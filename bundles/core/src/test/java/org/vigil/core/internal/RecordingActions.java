package org.vigil.core.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.InstanceState;

/** Records what a state machine does, with the virtual time of each call. */
final class RecordingActions implements InstanceActions {
    record Sent(long atMicros, int priority) {
    }

    record Transition(InstanceState from, InstanceState to, boolean stopping) {
    }

    record Line(String text, boolean detail) {
    }

    final Loop loop;
    final List<Sent> sent = new ArrayList<>();
    final List<Transition> transitions = new ArrayList<>();
    final List<Line> lines = new ArrayList<>();
    final Set<VirtualAddress> held = new LinkedHashSet<>();
    int acquireCalls;
    int releaseCalls;
    InetAddress local;
    boolean channelWorks = true;

    RecordingActions(Loop loop, InetAddress local) {
        this.loop = loop;
        this.local = local;
    }

    @Override
    public boolean sendAdvert(int priority) {
        if (!channelWorks) {
            return false;
        }
        sent.add(new Sent(loop.nowMicros(), priority));
        return true;
    }

    @Override
    public void acquire(Collection<VirtualAddress> addresses) {
        acquireCalls++;
        held.addAll(addresses);
    }

    @Override
    public void release(Collection<VirtualAddress> addresses) {
        releaseCalls++;
        held.removeAll(addresses);
    }

    @Override
    public List<VirtualAddress> held() {
        return new ArrayList<>(held);
    }

    @Override
    public InetAddress localAddress() {
        return local;
    }

    @Override
    public void transition(InstanceState from, InstanceState to, boolean stopping) {
        transitions.add(new Transition(from, to, stopping));
    }

    @Override
    public void log(String line, boolean detail) {
        lines.add(new Line(line, detail));
    }

    List<String> texts() {
        return lines.stream().map(Line::text).toList();
    }

    List<Long> sendTimes() {
        return sent.stream().map(Sent::atMicros).toList();
    }

    void clear() {
        sent.clear();
        transitions.clear();
        lines.clear();
    }
}
