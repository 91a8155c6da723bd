package dev.simnet.api;

import java.nio.file.Path;

/**
 * Entry point: where a topology comes from. Each method returns a {@link SimnetBuilder} on which
 * a backend and a seed are chosen before {@link SimnetBuilder#start()}.
 *
 * <pre>{@code
 * try (SimnetHandle net = Simnet.load(Path.of("compose.yaml")).seed(42).start()) {
 *     ExecResult r = net.exec("web", "curl", "-s", "api");
 *     assertEquals(0, r.exitCode());
 * }
 * }</pre>
 */
public final class Simnet {
    private Simnet() {
    }

    /** A compose file on disk (its {@code x-simnet} block or {@code FILE.simnet.yaml} supplies seed and initial impairments). */
    public static SimnetBuilder load(Path composeFile) {
        return new SimnetBuilder(composeFile, null, null);
    }

    /** A compose file given as text; relative bind mounts resolve against the working directory. */
    public static SimnetBuilder fromYaml(String composeYaml) {
        return new SimnetBuilder(null, composeYaml, null);
    }

    /** A topology built in code (rendered with {@link Topology#toYaml()}, then parsed like any compose file). */
    public static SimnetBuilder of(Topology topology) {
        return new SimnetBuilder(null, topology.toYaml(), topology.project());
    }

    /**
     * Why {@code backend} cannot run on this machine (for example "needs root (CAP_NET_ADMIN)", or
     * that its module is not on the class path); empty when it can.
     */
    public static java.util.Optional<String> unavailabilityCause(Backend backend) {
        return java.util.Optional.ofNullable(SimnetBuilder.unavailabilityCause(backend));
    }

    /** A builder for a topology in code; its {@code backend}, {@code seed} and {@code start} lead here. */
    public static Topology.Builder topology() {
        return Topology.builder();
    }
}
