package dev.simnet.scenarios.diff;

import dev.simnet.linux.LinuxBackend;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.Assumptions;

/**
 * Random compose topologies (1–2 networks, one of them possibly {@code internal}; 1–3 services with
 * 1–2 replicas, aliases, several networks, published ports, and possibly a {@code network_mode:
 * service:X} sidecar) behave on the simulator exactly as on the kernel. Few, small tries: every try
 * builds real namespaces.
 */
class DifferentialPropertiesTest {

    /** One generated service. */
    record Svc(String name, List<Integer> nets, int replicas, boolean alias, boolean publish, boolean whoami) {
    }

    /** One generated project. */
    record Topo(int networks, boolean internalSecond, List<Svc> services, boolean sidecar, long seed) {
        String yaml() {
            StringBuilder sb = new StringBuilder("services:\n");
            int port = 8080;
            for (Svc s : services) {
                sb.append("  ").append(s.name()).append(":\n    image: ").append(s.whoami() ? "traefik/whoami" : "nginx").append('\n');
                if (s.replicas() > 1) {
                    sb.append("    deploy:\n      replicas: ").append(s.replicas()).append('\n');
                }
                if (s.publish() && s.replicas() == 1) {
                    sb.append("    ports:\n      - \"").append(port++).append(":80\"\n");
                }
                sb.append("    networks:\n");
                for (int n : s.nets()) {
                    sb.append("      net").append(n).append(":\n");
                    if (s.alias()) {
                        sb.append("        aliases: [").append(s.name()).append("-alias").append(n).append("]\n");
                    }
                }
            }
            if (sidecar) {
                sb.append("  sidecar:\n    image: busybox\n    network_mode: \"service:").append(services.get(0).name()).append("\"\n");
            }
            sb.append("networks:\n");
            for (int n = 0; n < networks; n++) {
                sb.append("  net").append(n).append(":\n");
                if (n == 1 && internalSecond) {
                    sb.append("    internal: true\n");
                }
            }
            return sb.toString();
        }
    }

    @BeforeProperty
    void needsTheKernel() {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF, seed = "20261129")
    void randomTopologyBehavesOnTheSimulatorAsOnTheKernel(@ForAll("topologies") Topo t) {
        DifferentialTest.assertSame(DifferentialTest.planOf(t.yaml(), t.seed()), "generated project\n" + t.yaml());
    }

    @Provide
    Arbitrary<Topo> topologies() {
        return Arbitraries.integers().between(1, 2).flatMap(nets -> {
            Arbitrary<Svc> svc = Combinators.combine(
                    Arbitraries.integers().between(0, nets - 1).set().ofMinSize(1).ofMaxSize(nets).map(s -> new ArrayList<>(new java.util.TreeSet<>(s))),
                    Arbitraries.integers().between(1, 2), Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                    .as((ns, r, alias, pub, who) -> new Svc("s", List.copyOf(ns), r, alias, pub, who));
            Arbitrary<List<Svc>> svcs = svc.list().ofMinSize(1).ofMaxSize(3).map(l -> {
                List<Svc> named = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    Svc s = l.get(i);
                    named.add(new Svc("svc" + i, s.nets(), s.replicas(), s.alias(), s.publish(), s.whoami()));
                }
                return named;
            });
            return Combinators.combine(svcs, Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.longs().between(1, 1_000_000))
                    .as((l, internal, sidecar, seed) -> new Topo(nets, internal && nets > 1, l, sidecar, seed));
        });
    }
}
