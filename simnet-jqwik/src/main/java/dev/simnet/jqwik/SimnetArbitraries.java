package dev.simnet.jqwik;

import dev.simnet.api.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Arbitraries of compose topologies and flows for jqwik properties.
 *
 * <pre>{@code
 * @Provide Arbitrary<Topology> topologies() { return SimnetArbitraries.topologies(); }
 *
 * @Property(tries = 20)
 * void everyServiceResolvesOnItsNetworks(@ForAll("topologies") Topology t) {
 *     try (SimnetHandle net = Simnet.of(t).start()) { … }
 * }
 * }</pre>
 *
 * <p>Services are called {@code s0}, {@code s1}…, networks {@code n0}, {@code n1}…, aliases
 * {@code alias0}…; images are {@code nginx} (HTTP on 80), {@code redis} (6379),
 * {@code traefik/whoami} (80) and {@code alpine} (no server). A service publishes its image's port
 * on host port {@code 8000 + index}. Generated values are always valid compose projects: a service
 * joining another's namespace ({@code network_mode: service:X}) only names an earlier service, has
 * no networks or ports of its own, runs one replica and no server clashing with the namespace's;
 * services that publish a port run one replica. Shrinking goes towards fewer services and networks,
 * one replica, no aliases, no published ports, no shared namespaces, {@code nginx}, and the default network.
 */
public final class SimnetArbitraries {
    /** The images generated, in shrinking order (the first is the simplest). */
    public static final List<String> IMAGES = List.of("nginx", "redis", "traefik/whoami", "alpine");
    /** First host port used for published ports. */
    public static final int FIRST_HOST_PORT = 8000;

    private SimnetArbitraries() {
    }

    /** Topologies of up to 3 networks and 4 services. */
    public static Arbitrary<Topology> topologies() {
        return topologies(3, 4);
    }

    /** Topologies of up to {@code maxNetworks} networks (1–8) and {@code maxServices} services (1–10). */
    public static Arbitrary<Topology> topologies(int maxNetworks, int maxServices) {
        if (maxNetworks < 1 || maxNetworks > 8 || maxServices < 1 || maxServices > 10) {
            throw new IllegalArgumentException("maxNetworks must be 1..8 and maxServices 1..10");
        }
        Arbitrary<ServiceGene> service = Combinators.combine(
                Arbitraries.integers().between(0, IMAGES.size() - 1),
                Arbitraries.integers().between(0, (1 << maxNetworks) - 1),
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(1, 3),
                Arbitraries.of(false, true),
                Arbitraries.integers().between(0, maxServices)).as(ServiceGene::new);
        Arbitrary<List<Boolean>> internal = Arbitraries.of(false, true).list().ofSize(maxNetworks);
        return Combinators.combine(service.list().ofMinSize(1).ofMaxSize(maxServices), internal)
                .as(SimnetArbitraries::topology);
    }

    /**
     * A service's genes; {@link #topology} turns them into a valid service.
     *
     * @param image    index into {@link #IMAGES}
     * @param netMask  networks as bits; 0 is the default network
     * @param aliases  0 or 1 network alias
     * @param replicas replicas
     * @param publish  publish the image's port
     * @param shares   0: own namespace; k: join service k-1's (when it is earlier)
     */
    private record ServiceGene(int image, int netMask, int aliases, int replicas, boolean publish, int shares) {
    }

    /** The port the image's server listens on, or 0. */
    public static int serverPort(String image) {
        switch (image) {
            case "nginx": case "traefik/whoami": return 80;
            case "redis": return 6379;
            default: return 0;
        }
    }

    /**
     * True when a connection to {@code service}'s address on TCP {@code port} finds a listener: a program
     * of any service in the same network namespace ({@code network_mode: service:X} shares it) listens
     * there ({@link #listens(Topology.ServiceSpec, int)}).
     */
    public static boolean listens(Topology t, Topology.ServiceSpec service, int port) {
        String root = namespaceRoot(t, service);
        for (Topology.ServiceSpec s : t.services()) {
            if (namespaceRoot(t, s).equals(root) && listens(s, port)) {
                return true;
            }
        }
        return false;
    }

    private static String namespaceRoot(Topology t, Topology.ServiceSpec s) {
        Topology.ServiceSpec cur = s;
        for (int hops = 0; cur.sharesNamespaceWith() != null && hops < 64; hops++) {
            cur = t.service(cur.sharesNamespaceWith());
        }
        return cur.name();
    }

    /**
     * True when {@code service}'s own program accepts TCP connections on {@code port} in simnet's image
     * models: the image's server port ({@link #serverPort}); for an image without a model (such as
     * {@code alpine}) simnet's accept model listens on the published and exposed container ports.
     * Programs of services sharing its namespace are not counted: see {@link #listens(Topology, Topology.ServiceSpec, int)}.
     */
    public static boolean listens(Topology.ServiceSpec service, int port) {
        int server = serverPort(service.image());
        if (server != 0) {
            return server == port;
        }
        return service.expose().contains(port) || service.ports().stream().anyMatch(p -> p.containerPort() == port
                && p.protocol().equals("tcp"));
    }

    private static Topology topology(List<ServiceGene> genes, List<Boolean> internal) {
        Topology.Builder b = Topology.builder().project("topo");
        Set<Integer> usedNets = new LinkedHashSet<>();
        String[] owner = new String[genes.size()];
        Map<String, Set<Integer>> nsPorts = new LinkedHashMap<>();
        List<java.util.function.Consumer<Topology.ServiceBuilder>> configs = new ArrayList<>();
        for (int i = 0; i < genes.size(); i++) {
            ServiceGene g = genes.get(i);
            String name = "s" + i;
            String image = IMAGES.get(g.image());
            int sharesIdx = g.shares() - 1;
            if (sharesIdx >= 0 && sharesIdx < i) {
                String root = owner[sharesIdx];
                owner[i] = root;
                Set<Integer> ports = nsPorts.get(root);
                int port = serverPort(image);
                if (port != 0 && !ports.add(port)) {
                    image = "alpine";
                }
                String img = image;
                configs.add(s -> s.image(img).sharesNamespaceWith(root));
                continue;
            }
            owner[i] = name;
            Set<Integer> ports = new LinkedHashSet<>();
            if (serverPort(image) != 0) {
                ports.add(serverPort(image));
            }
            nsPorts.put(name, ports);
            List<Integer> nets = new ArrayList<>();
            for (int n = 0; n < internal.size(); n++) {
                if ((g.netMask() & (1 << n)) != 0) {
                    nets.add(n);
                    usedNets.add(n);
                }
            }
            String img = image;
            int idx = i;
            configs.add(s -> {
                s.image(img).replicas(g.publish() ? 1 : g.replicas());
                for (int k = 0; k < nets.size(); k++) {
                    if (k == 0 && g.aliases() > 0) {
                        s.network("n" + nets.get(k), "alias" + idx);
                    } else {
                        s.network("n" + nets.get(k));
                    }
                }
                if (g.publish()) {
                    s.publish(FIRST_HOST_PORT + idx, serverPort(img) != 0 ? serverPort(img) : 80);
                }
            });
        }
        for (int n : new java.util.TreeSet<>(usedNets)) {
            if (internal.get(n)) {
                b.internalNetwork("n" + n);
            } else {
                b.network("n" + n);
            }
        }
        for (int i = 0; i < genes.size(); i++) {
            b.service("s" + i, configs.get(i));
        }
        return b.build();
    }

    /**
     * Flows between the services of {@code t} (which needs at least two services): from any service
     * to any other service's name or alias, to the port its image serves (80 for images without a
     * server), over TCP.
     */
    public static Arbitrary<Flow> flows(Topology t) {
        if (t.services().size() < 2) {
            throw new IllegalArgumentException("flows need a topology with at least two services");
        }
        List<Flow> all = new ArrayList<>();
        for (Topology.ServiceSpec from : t.services()) {
            for (Topology.ServiceSpec to : t.services()) {
                if (from == to) {
                    continue;
                }
                int port = serverPort(to.image()) != 0 ? serverPort(to.image()) : 80;
                all.add(new Flow(from.name(), to.name(), to.name(), port, "tcp"));
                for (Topology.Attachment a : to.networks()) {
                    for (String alias : a.aliases()) {
                        all.add(new Flow(from.name(), alias, to.name(), port, "tcp"));
                    }
                }
            }
        }
        return Arbitraries.of(all);
    }

    /** Topologies of at least two services, each with one of its flows. */
    public static Arbitrary<FlowCase> flowCases() {
        return topologies().filter(t -> t.services().size() >= 2)
                .flatMap(t -> flows(t).map(f -> new FlowCase(t, f)));
    }

    /**
     * A topology and a flow in it; prints as the flow followed by the compose file.
     *
     * @param topology the topology
     * @param flow     the flow
     */
    public record FlowCase(Topology topology, Flow flow) {
        @Override
        public String toString() {
            return "flow " + flow + " in\n" + topology.toYaml();
        }
    }
}
