package dev.simnet.jqwik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.api.Topology;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/** The generated topologies are valid and shrink to a small, readable counterexample. */
class SimnetArbitrariesTest {

    @Provide
    Arbitrary<Topology> topologies() {
        return SimnetArbitraries.topologies();
    }

    @Property(tries = 200)
    void generatedTopologiesAreValidComposeProjects(@ForAll("topologies") Topology t) {
        for (Topology.ServiceSpec s : t.services()) {
            if (s.sharesNamespaceWith() != null) {
                Topology.ServiceSpec owner = t.service(s.sharesNamespaceWith());
                assertEquals(null, owner.sharesNamespaceWith(), "joins a namespace owner directly");
                assertTrue(t.services().indexOf(owner) < t.services().indexOf(s));
                assertEquals(1, s.replicas());
            }
            if (!s.ports().isEmpty()) {
                assertEquals(1, s.replicas());
            }
        }
        // every declared network is used
        for (Topology.NetworkSpec n : t.networks()) {
            assertTrue(t.services().stream().anyMatch(s -> s.networkNames().contains(n.name())), n.name());
        }
        assertTrue(t.toString().startsWith("name: topo\nservices:\n  s0:\n"), t.toString());
    }

    static final java.util.List<Topology> FAILED = new java.util.ArrayList<>();

    /** A property that fails for every topology; run only through the launcher below. */
    static class AlwaysFailing {
        @Provide
        Arbitrary<Topology> topologies() {
            return SimnetArbitraries.topologies();
        }

        @Property(seed = "42", tries = 10)
        void fails(@ForAll("topologies") Topology t) {
            FAILED.add(t);
            throw new AssertionError("always");
        }
    }

    @Example
    void aFailingPropertyShrinksToOneNginxOnTheDefaultNetwork() {
        FAILED.clear();
        java.util.List<Throwable> failures = new java.util.ArrayList<>();
        var req = org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(AlwaysFailing.class)).build();
        org.junit.platform.launcher.core.LauncherFactory.create().execute(req, new org.junit.platform.launcher.TestExecutionListener() {
            @Override
            public void executionFinished(org.junit.platform.launcher.TestIdentifier id,
                                          org.junit.platform.engine.TestExecutionResult r) {
                r.getThrowable().ifPresent(failures::add);
            }
        });
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(FAILED.size() > 1, "shrinking tried smaller topologies");
        Topology last = FAILED.get(FAILED.size() - 1);
        assertEquals("name: topo\nservices:\n  s0:\n    image: nginx\n", last.toYaml());
    }
}
