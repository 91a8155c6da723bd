package dev.simnet.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A running topology. Every method works in the backend's time: on the simulator, virtual time
 * passes only inside these calls (a command runs until it exits, a read until data arrives), so
 * results are the same for the same seed. Not thread-safe: use one handle from one thread.
 * {@link #close()} releases everything the backend created (namespaces, devices, rules, files).
 */
public interface SimnetHandle extends AutoCloseable {

    // ------------------------------------------------------------------------------ commands

    /**
     * Runs {@code argv} in {@code target} until it exits, like {@code docker compose exec}: the
     * simulated tools ({@code ping}, {@code curl}, {@code dig}, {@code nslookup}, {@code nc},
     * {@code ip}, {@code ss}, {@code conntrack}, {@code cat /etc/resolv.conf}…) print what the real
     * ones print; on the host, {@code docker …} commands are answered from the simulated daemon.
     *
     * @throws SimnetException when the target names no service or container of the project
     */
    ExecResult exec(Target target, String... argv);

    /** Runs {@code argv} in the first replica of {@code service}. */
    default ExecResult exec(String service, String... argv) {
        return exec(Target.service(service), argv);
    }

    /** Runs {@code argv} on the Docker host ({@code lsns -t net}, {@code docker network ls}, {@code curl localhost:8080}, {@code nft list ruleset}). */
    default ExecResult execOnHost(String... argv) {
        return exec(Target.host(), argv);
    }

    /** Runs {@code argv} in the simulated internet behind the host's uplink. */
    default ExecResult execOnInternet(String... argv) {
        return exec(Target.internet(), argv);
    }

    // ------------------------------------------------------------------------------ names

    /** Resolves {@code name} as a program in {@code target} would ({@code getaddrinfo}: hosts file, then resolv.conf's servers, search list). */
    Resolution resolve(Target target, String name);

    /** Resolves {@code name} as a program in the first replica of {@code service} would. */
    default Resolution resolve(String service, String name) {
        return resolve(Target.service(service), name);
    }

    // ------------------------------------------------------------------------------ flows

    /**
     * Opens a TCP connection from {@code from} to {@code host} (a name resolved as {@code from}
     * would, or an address) and {@code port}; waits for the handshake. On the kernel backends the
     * flow is a real socket created in {@code from}'s network namespace and its timeouts are wall time
     * (on {@link Backend#TAP} the Docker host is simulated: no flows from {@link Target#host()}).
     *
     * @throws FlowException when the connection fails (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, EAI_NONAME)
     */
    TcpFlow connect(Target from, String host, int port);

    /** {@link #connect(Target, String, int)} from the first replica of {@code fromService}. */
    default TcpFlow connect(String fromService, String host, int port) {
        return connect(Target.service(fromService), host, port);
    }

    /** Opens a connected UDP socket from {@code from} to {@code host} and {@code port} (a real socket on the kernel backends). */
    UdpFlow udp(Target from, String host, int port);

    /** {@link #udp(Target, String, int)} from the first replica of {@code fromService}. */
    default UdpFlow udp(String fromService, String host, int port) {
        return udp(Target.service(fromService), host, port);
    }

    // ------------------------------------------------------------------------------ time

    /** Lets {@code duration} of (virtual) time pass: timers fire, ARP entries age, conntrack entries expire. */
    void advance(Duration duration);

    /** Time since the topology started (virtual time on the simulator). */
    Duration now();

    // ------------------------------------------------------------------------------ state

    /** A typed snapshot of {@code target}'s network namespace now. */
    NamespaceState state(Target target);

    /** The IPv4 addresses in the namespace of {@code service}'s first replica. */
    default List<Address> addresses(String service) {
        return state(Target.service(service)).addresses();
    }

    /** The routes of {@code service}'s first replica. */
    default List<Route> routes(String service) {
        return state(Target.service(service)).routes();
    }

    /** The ARP entries of {@code service}'s first replica. */
    default List<Neighbour> neighbours(String service) {
        return state(Target.service(service)).neighbours();
    }

    /** The forwarding databases of the host's bridges. */
    default List<FdbEntry> bridgeFdb() {
        return state(Target.host()).fdb();
    }

    /** The host's connection-tracking table (NAT of published ports and masquerade live here). */
    default List<ConntrackEntry> conntrack() {
        return state(Target.host()).conntrack();
    }

    /** The host's netfilter rule counters (Docker's rule set). */
    default List<RuleCounter> ruleCounters() {
        return state(Target.host()).rules();
    }

    /** The project's containers as the simulated daemon sees them now, in start order. */
    List<Container> containers();

    /** The project's networks, docker0's {@code bridge} first. */
    List<Network> networks();

    // ------------------------------------------------------------------------------ capture

    /**
     * Starts writing packet captures into {@code dir} (one merged pcap of every interface plus one
     * per interface on the simulator) and returns {@code dir}.
     */
    Path capture(Path dir);

    /** Where captures are written, if capture was started. */
    Optional<Path> captureDirectory();

    // ------------------------------------------------------------------------------ topology changes

    /** {@code docker stop} of every replica of {@code service}: programs end, endpoints go, addresses are freed. */
    void stop(String service);

    /** {@code docker start} of every replica of {@code service}: new endpoints (addresses lowest-free, new MACs). */
    void start(String service);

    /** {@code docker network connect} of {@code service}'s first replica to {@code network} (compose key or Docker name). */
    void connect(String service, String network, String... aliases);

    /** {@code docker network disconnect} of {@code service}'s first replica from {@code network}. */
    void disconnect(String service, String network);

    /** Sets an impairment on a link, replacing the link's previous one. */
    void impair(Impairment impairment);

    /** Removes every impairment from {@code service}'s endpoint on {@code network} (null: its first endpoint). */
    void clearImpairment(String service, String network);

    // ------------------------------------------------------------------------------ facts

    /** The backend running this topology. */
    Backend backend();

    /** The seed in use. */
    long seed();

    /** The compose project name. */
    String project();

    /**
     * What happened so far, one entry per operation: each command with its output and exit code,
     * each topology change, time advanced. Test extensions print it when a test fails.
     */
    List<String> transcript();

    /** Releases everything; further calls fail with {@link IllegalStateException}. Calling it twice is harmless. */
    @Override
    void close();
}
