package dev.simnet.props;

import dev.simnet.addr.Ipv4Address;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of flows from a few containers to a few servers over few ports, so collisions are common. */
final class Flows {
    private Flows() {
    }

    static final int CONTAINERS = 172 << 24 | 18 << 16;

    /** Inside flows: tcp/udp/icmp from 172.18.0.2–.6, source ports from a small set that crosses the port classes. */
    static Arbitrary<Flow> inside() {
        Arbitrary<Integer> proto = Arbitraries.of(6, 17, 1);
        Arbitrary<Integer> host = Arbitraries.integers().between(2, 6);
        Arbitrary<Integer> sport = Arbitraries.of(80, 511, 600, 1023, 1024, 40000, 40001, 60999);
        Arbitrary<Integer> server = Arbitraries.integers().between(10, 12);
        Arbitrary<Integer> dport = Arbitraries.of(53, 80, 443);
        return Combinators.combine(proto, host, sport, server, dport).as((p, h, s, sv, d) ->
                new Flow(p, CONTAINERS | h, s, Ipv4Address.parseBits("203.0.113." + sv), p == 1 ? 0 : d));
    }
}
