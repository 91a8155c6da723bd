package dev.simnet.dns;

import dev.simnet.sched.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** An {@link UpstreamTransport} in virtual time: servers by address, 1 ms each way; unknown servers never answer. */
public final class SimUpstreams implements UpstreamTransport {
    final Scheduler sched;
    public final Map<Upstream, DnsHandler> servers = new HashMap<>();
    public final List<String> log = new ArrayList<>();

    public SimUpstreams(Scheduler sched) {
        this.sched = sched;
    }

    @Override
    public void exchange(Upstream server, DnsProto proto, byte[] query, Consumer<byte[]> onReply) {
        log.add(sched.now() / 1_000_000 + "ms " + server + " " + proto);
        DnsHandler h = servers.get(server);
        if (h == null) {
            return;
        }
        sched.scheduleIn(1_000_000, now -> h.handle(query, 0, query.length, "upstream-client", proto, 0,
                reply -> sched.scheduleIn(1_000_000, t -> onReply.accept(reply))));
    }
}
