package dev.simnet.scenarios.docker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the daemon keeps about a container beyond the {@link dev.simnet.topology.ContainerPlan}:
 * its sandbox (network namespace) id, endpoint ids, timestamps and run state.
 */
public final class ContainerInfo {
    final String name;
    final long createdNanos;
    final String sandboxId;
    final Map<String, String> endpointIds = new LinkedHashMap<>();
    boolean running = true;
    long startedNanos;
    long finishedNanos;
    int starts = 1;

    ContainerInfo(String name, long createdNanos, String sandboxId, long startedNanos) {
        this.name = name;
        this.createdNanos = createdNanos;
        this.sandboxId = sandboxId;
        this.startedNanos = startedNanos;
    }

    /** The container's name. */
    public String name() {
        return name;
    }

    /** Creation time, virtual ns since the epoch. */
    public long createdNanos() {
        return createdNanos;
    }

    /** Last start time, virtual ns since the epoch. */
    public long startedNanos() {
        return startedNanos;
    }

    /** 64-hex sandbox id; the namespace file is {@code /var/run/docker/netns/<first 12>}. */
    public String sandboxId() {
        return sandboxId;
    }

    /** {@code /var/run/docker/netns/<12 hex>}. */
    public String sandboxKey() {
        return "/var/run/docker/netns/" + sandboxId.substring(0, 12);
    }

    /** Endpoint id per network name. */
    public Map<String, String> endpointIds() {
        return endpointIds;
    }

    /** True while running. */
    public boolean running() {
        return running;
    }
}
