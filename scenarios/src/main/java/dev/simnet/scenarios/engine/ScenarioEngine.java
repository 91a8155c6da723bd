package dev.simnet.scenarios.engine;

import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.TopologyPlan;
import java.nio.file.Path;
import java.util.List;

/**
 * What the CLI and the scenario runner need from an execution backend (the simulator, the Linux
 * kernel backend, the TAP backend). The Docker control plane (addresses, names, MACs) is decided
 * before these calls, in {@link dev.simnet.scenarios.docker.DockerProject}; an engine only
 * realises it. Time is the engine's virtual clock ({@link #now()}); the simulator advances it only
 * in {@link #advance} and while running commands.
 *
 * <p>Lifecycle: {@link #build} once, then any sequence of {@link #exec}, {@link #advance},
 * {@link #stop}, {@link #start}, {@link #connect}, {@link #disconnect}, {@link #impair}; finally
 * {@link #close} (which must remove every kernel object a real backend created).
 */
public interface ScenarioEngine extends AutoCloseable {

    /** Creates namespaces, bridges, veths, addresses, routes, rules, DNS, and starts every container's program. */
    void build(TopologyPlan plan);

    /**
     * Runs {@code argv} (for example {@code ["curl", "-s", "nginx_b"]}) in {@code target} until it
     * exits, and returns what it printed. Commands the engine does not know exit 127 with
     * {@code "<cmd>: command not found"} on stderr, like a shell. On {@link ExecTarget.Kind#HOST},
     * {@code docker …} commands are answered by the runner itself and never reach the engine.
     */
    ExecResult exec(ExecTarget target, List<String> argv);

    /** Lets virtual time pass ({@code sleep: 5s}): timers fire, ARP entries age, conntrack expires. */
    void advance(long nanos);

    /** Current virtual time in nanoseconds since the scenario started. */
    long now();

    /** {@code docker stop}: the container's programs end, its endpoints are removed. */
    void stop(ContainerPlan container);

    /** {@code docker start}: endpoints re-created as given in {@code container} (new addresses/MACs may differ). */
    void start(ContainerPlan container);

    /** {@code docker network connect}: adds {@code endpoint} to the running container. */
    void connect(ContainerPlan container, EndpointPlan endpoint);

    /** {@code docker network disconnect}: removes {@code endpoint} from the running container. */
    void disconnect(ContainerPlan container, EndpointPlan endpoint);

    /** Sets (or clears) impairments on one link. */
    void impair(Impairment impairment);

    /** Starts writing packet captures into {@code dir} (one merged file and/or one per interface). */
    default void capture(Path dir) {
        throw new UnsupportedOperationException("packet capture is not supported by this backend");
    }

    /**
     * Runs {@code argv} like {@link #exec} while reporting its packet walk, one line per hop: DNS
     * query and answer, ARP, bridge decisions (learned or flooded), routing decisions, netfilter
     * rules that matched, NAT translations and conntrack states.
     */
    default ExecResult trace(ExecTarget target, List<String> argv, java.util.function.Consumer<String> hop) {
        throw new UnsupportedOperationException("packet tracing is not supported by this backend");
    }

    /**
     * The control plane's sandbox keys: {@code containerOfKey} maps the 12-hex key of
     * {@code /var/run/docker/netns/KEY} to the container owning that namespace, so a host
     * {@code nsenter --net=/var/run/docker/netns/KEY} can enter it. Engines that model the path
     * themselves ignore it.
     */
    default void sandboxKeys(java.util.function.Function<String, java.util.Optional<String>> containerOfKey) {
    }

    /** Tears everything down. Must not throw for a partially built engine. */
    @Override
    void close();
}
