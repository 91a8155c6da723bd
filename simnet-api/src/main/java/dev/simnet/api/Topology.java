package dev.simnet.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A compose project described in code: networks and services, with replicas, aliases, published
 * ports and shared namespaces ({@code network_mode: service:X}). {@link #toYaml()} renders it as the
 * compose file simnet then parses exactly as it would parse one from disk, and {@link #toString()}
 * prints that YAML, so a failing property shows a readable topology.
 *
 * <pre>{@code
 * Topology t = Topology.builder()
 *         .network("front").internalNetwork("back")
 *         .service("web", s -> s.image("nginx").network("front", "www").network("back").publish(8080, 80))
 *         .service("db", s -> s.image("redis").network("back").replicas(2))
 *         .build();
 * }</pre>
 *
 * @param project  the compose project name
 * @param networks the top-level networks, in declaration order
 * @param services the services, in declaration order
 */
public record Topology(String project, List<NetworkSpec> networks, List<ServiceSpec> services) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    /** A topology; checks names and references. */
    public Topology {
        networks = List.copyOf(networks);
        services = List.copyOf(services);
        if (project == null || !Pattern.matches("[a-z0-9][a-z0-9_-]*", project)) {
            throw new IllegalArgumentException("project name must be lower-case letters, digits, '_' or '-', got " + project);
        }
        List<String> nets = new ArrayList<>();
        for (NetworkSpec n : networks) {
            if (nets.contains(n.name())) {
                throw new IllegalArgumentException("network " + n.name() + " declared twice");
            }
            nets.add(n.name());
        }
        List<String> names = new ArrayList<>();
        for (ServiceSpec s : services) {
            if (names.contains(s.name())) {
                throw new IllegalArgumentException("service " + s.name() + " declared twice");
            }
            for (Attachment a : s.networks()) {
                if (!nets.contains(a.network()) && !a.network().equals("default")) {
                    throw new IllegalArgumentException("service " + s.name() + " uses undeclared network " + a.network());
                }
            }
            names.add(s.name());
        }
        for (ServiceSpec s : services) {
            if (s.sharesNamespaceWith() != null && !names.contains(s.sharesNamespaceWith())) {
                throw new IllegalArgumentException("service " + s.name() + " shares the namespace of unknown service "
                        + s.sharesNamespaceWith());
            }
        }
    }

    /**
     * A top-level network.
     *
     * @param name     compose key
     * @param internal {@code internal: true}
     * @param subnet   an explicit {@code ipam.config} subnet, or null for Docker's pools
     */
    public record NetworkSpec(String name, boolean internal, String subnet) {
        /** Checks the name. */
        public NetworkSpec {
            checkName("network", name);
        }
    }

    /**
     * A service's attachment to a network.
     *
     * @param network compose key of the network ({@code default} for the project's default network)
     * @param aliases network-scoped DNS aliases
     */
    public record Attachment(String network, List<String> aliases) {
        /** Copies the aliases and checks them. */
        public Attachment {
            aliases = List.copyOf(aliases);
            for (String a : aliases) {
                checkName("alias", a);
            }
        }
    }

    /**
     * A published port ({@code "8080:80"}, {@code "5353:53/udp"}).
     *
     * @param hostPort      the port on the host
     * @param containerPort the port in the container
     * @param protocol      {@code tcp} or {@code udp}
     */
    public record PortMapping(int hostPort, int containerPort, String protocol) {
        /** Checks ranges. */
        public PortMapping {
            if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
                throw new IllegalArgumentException("ports must be in 1..65535");
            }
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new IllegalArgumentException("protocol must be tcp or udp, got " + protocol);
            }
        }
    }

    /**
     * A service.
     *
     * @param name                compose service name
     * @param image               the image ({@code nginx}, {@code redis}, {@code traefik/whoami}, {@code alpine}); decides the program model
     * @param networks            attachments; empty means the project's default network (unless the namespace is shared)
     * @param replicas            {@code deploy.replicas}
     * @param ports               published ports
     * @param expose              ports exposed without publishing (a TCP accept model listens there)
     * @param sharesNamespaceWith {@code network_mode: service:X}'s X, or null
     */
    public record ServiceSpec(String name, String image, List<Attachment> networks, int replicas, List<PortMapping> ports,
                              List<Integer> expose, String sharesNamespaceWith) {
        /** Copies lists and checks the service. */
        public ServiceSpec {
            checkName("service", name);
            networks = List.copyOf(networks);
            ports = List.copyOf(ports);
            expose = List.copyOf(expose);
            if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("service " + name + " needs an image");
            }
            if (replicas < 1) {
                throw new IllegalArgumentException("service " + name + ": replicas must be >= 1");
            }
            if (sharesNamespaceWith != null && (!networks.isEmpty() || !ports.isEmpty())) {
                throw new IllegalArgumentException("service " + name + " shares another service's namespace: it cannot "
                        + "have networks or published ports of its own (Docker rejects that)");
            }
        }

        /** The compose keys of the networks this service is attached to ({@code default} when none is listed). */
        public List<String> networkNames() {
            List<String> out = new ArrayList<>();
            if (sharesNamespaceWith != null) {
                return out;
            }
            for (Attachment a : networks) {
                out.add(a.network());
            }
            if (out.isEmpty()) {
                out.add("default");
            }
            return out;
        }
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name must match [a-zA-Z0-9][a-zA-Z0-9_.-]*, got " + name);
        }
    }

    /** The service called {@code name}. */
    public ServiceSpec service(String name) {
        for (ServiceSpec s : services) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no service " + name);
    }

    /** The service whose namespace {@code name} ends up in (following {@code network_mode: service:X} chains). */
    public ServiceSpec namespaceOwner(String name) {
        ServiceSpec s = service(name);
        int guard = 0;
        while (s.sharesNamespaceWith() != null && guard++ < services.size()) {
            s = service(s.sharesNamespaceWith());
        }
        return s;
    }

    /** True when some service uses the project's default network. */
    public boolean usesDefaultNetwork() {
        for (ServiceSpec s : services) {
            if (s.networkNames().contains("default")) {
                return true;
            }
        }
        return false;
    }

    /** The compose file for this topology. */
    public String toYaml() {
        StringBuilder y = new StringBuilder();
        y.append("name: ").append(project).append('\n');
        y.append("services:\n");
        for (ServiceSpec s : services) {
            y.append("  ").append(s.name()).append(":\n");
            y.append("    image: ").append(s.image()).append('\n');
            if (s.replicas() > 1) {
                y.append("    deploy:\n      replicas: ").append(s.replicas()).append('\n');
            }
            if (s.sharesNamespaceWith() != null) {
                y.append("    network_mode: \"service:").append(s.sharesNamespaceWith()).append("\"\n");
            }
            if (!s.networks().isEmpty()) {
                y.append("    networks:\n");
                for (Attachment a : s.networks()) {
                    if (a.aliases().isEmpty()) {
                        y.append("      ").append(a.network()).append(": {}\n");
                    } else {
                        y.append("      ").append(a.network()).append(":\n        aliases: [")
                                .append(String.join(", ", a.aliases())).append("]\n");
                    }
                }
            }
            if (!s.ports().isEmpty()) {
                y.append("    ports:\n");
                for (PortMapping p : s.ports()) {
                    y.append("      - \"").append(p.hostPort()).append(':').append(p.containerPort())
                            .append(p.protocol().equals("udp") ? "/udp" : "").append("\"\n");
                }
            }
            if (!s.expose().isEmpty()) {
                y.append("    expose: [");
                for (int i = 0; i < s.expose().size(); i++) {
                    y.append(i > 0 ? ", " : "").append('"').append(s.expose().get(i)).append('"');
                }
                y.append("]\n");
            }
        }
        if (!networks.isEmpty()) {
            y.append("networks:\n");
            for (NetworkSpec n : networks) {
                if (!n.internal() && n.subnet() == null) {
                    y.append("  ").append(n.name()).append(": {}\n");
                    continue;
                }
                y.append("  ").append(n.name()).append(":\n");
                if (n.internal()) {
                    y.append("    internal: true\n");
                }
                if (n.subnet() != null) {
                    y.append("    ipam:\n      config:\n        - subnet: ").append(n.subnet()).append('\n');
                }
            }
        }
        return y.toString();
    }

    /** The YAML of {@link #toYaml()}: a counterexample prints as a compose file. */
    @Override
    public String toString() {
        return toYaml();
    }

    /** A builder for a topology of project {@code topology}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Topology} step by step; {@link #backend}, {@link #seed} and {@link #start} hand it to {@link Simnet#of}. */
    public static final class Builder {
        private String project = "topology";
        private final Map<String, NetworkSpec> networks = new LinkedHashMap<>();
        private final List<ServiceSpec> services = new ArrayList<>();

        Builder() {
        }

        /** Sets the project name (default {@code topology}). */
        public Builder project(String name) {
            this.project = name;
            return this;
        }

        /** Declares a bridge network with Docker's default address pools. */
        public Builder network(String name) {
            networks.put(name, new NetworkSpec(name, false, null));
            return this;
        }

        /** Declares a bridge network with an explicit subnet ({@code 10.5.0.0/24}). */
        public Builder network(String name, String subnet) {
            networks.put(name, new NetworkSpec(name, false, subnet));
            return this;
        }

        /** Declares an {@code internal: true} network (no gateway route to the outside). */
        public Builder internalNetwork(String name) {
            networks.put(name, new NetworkSpec(name, true, null));
            return this;
        }

        /** Adds service {@code name} running {@code image} on the default network. */
        public Builder service(String name, String image) {
            return service(name, s -> s.image(image));
        }

        /** Adds service {@code name}, configured by {@code config}. */
        public Builder service(String name, Consumer<ServiceBuilder> config) {
            ServiceBuilder b = new ServiceBuilder(name);
            config.accept(b);
            services.add(b.build());
            return this;
        }

        /** The topology. */
        public Topology build() {
            return new Topology(project, List.copyOf(networks.values()), services);
        }

        /** {@link Simnet#of}{@code (build())} on {@code backend}. */
        public SimnetBuilder backend(Backend backend) {
            return Simnet.of(build()).backend(backend);
        }

        /** {@link Simnet#of}{@code (build())} with {@code seed}. */
        public SimnetBuilder seed(long seed) {
            return Simnet.of(build()).seed(seed);
        }

        /** Starts the topology on the simulator with the default seed. */
        public SimnetHandle start() {
            return Simnet.of(build()).start();
        }
    }

    /** Configures one service of a {@link Builder}. */
    public static final class ServiceBuilder {
        private final String name;
        private String image = "alpine";
        private final List<Attachment> networks = new ArrayList<>();
        private int replicas = 1;
        private final List<PortMapping> ports = new ArrayList<>();
        private final List<Integer> expose = new ArrayList<>();
        private String shares;

        ServiceBuilder(String name) {
            this.name = name;
        }

        /** The image (default {@code alpine}: no server program). */
        public ServiceBuilder image(String image) {
            this.image = image;
            return this;
        }

        /** Attaches to network {@code network} with optional DNS aliases. */
        public ServiceBuilder network(String network, String... aliases) {
            networks.add(new Attachment(network, List.of(aliases)));
            return this;
        }

        /** Runs {@code n} replicas. */
        public ServiceBuilder replicas(int n) {
            this.replicas = n;
            return this;
        }

        /** Publishes TCP {@code containerPort} on the host's {@code hostPort}. */
        public ServiceBuilder publish(int hostPort, int containerPort) {
            ports.add(new PortMapping(hostPort, containerPort, "tcp"));
            return this;
        }

        /** Publishes UDP {@code containerPort} on the host's {@code hostPort}. */
        public ServiceBuilder publishUdp(int hostPort, int containerPort) {
            ports.add(new PortMapping(hostPort, containerPort, "udp"));
            return this;
        }

        /** Exposes {@code port} (a TCP accept model listens on it). */
        public ServiceBuilder expose(int port) {
            expose.add(port);
            return this;
        }

        /** {@code network_mode: service:<service>}: joins that service's network namespace. */
        public ServiceBuilder sharesNamespaceWith(String service) {
            this.shares = service;
            return this;
        }

        ServiceSpec build() {
            return new ServiceSpec(name, image, networks, replicas, ports, expose, shares);
        }
    }
}
