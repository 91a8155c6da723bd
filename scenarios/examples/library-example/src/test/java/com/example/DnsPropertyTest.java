package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.api.Simnet;
import dev.simnet.api.SimnetHandle;
import dev.simnet.api.Topology;
import dev.simnet.jqwik.SimnetArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A property over generated topologies: every service resolves itself from its own namespace. */
class DnsPropertyTest {
    @Provide
    Arbitrary<Topology> topologies() {
        return SimnetArbitraries.topologies(2, 3);
    }

    @Property(tries = 8)
    void everyServiceResolvesItself(@ForAll("topologies") Topology t) {
        try (SimnetHandle net = Simnet.of(t).start()) {
            for (Topology.ServiceSpec s : t.services()) {
                if (s.sharesNamespaceWith() == null) {
                    assertTrue(net.resolve(s.name(), s.name()).found(), s.name() + " in\n" + t);
                }
            }
        }
    }
}
