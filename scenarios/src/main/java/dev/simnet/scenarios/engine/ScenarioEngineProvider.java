package dev.simnet.scenarios.engine;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates engines for one backend name ({@code sim}, {@code linux}, {@code tap}). Implementations
 * are found with {@link ServiceLoader} (a
 * {@code META-INF/services/dev.simnet.scenarios.engine.ScenarioEngineProvider} entry), so the CLI
 * picks up a backend as soon as its module is on the class path.
 */
public interface ScenarioEngineProvider {
    /** The backend name used with {@code --backend}. */
    String name();

    /** Null when the backend can run here, else why not (for example "needs root (CAP_NET_ADMIN)"). */
    default String unavailabilityCause() {
        return null;
    }

    /** A new engine; {@code seed} drives all of its randomness. */
    ScenarioEngine create(long seed);

    /**
     * Removes whatever earlier runs of this backend left behind ({@code simnet down --all}); returns
     * how many objects were removed. The simulator keeps no state and returns 0.
     */
    default int cleanupAll() {
        return 0;
    }

    /** The provider for {@code backend}, if one is on the class path. */
    static Optional<ScenarioEngineProvider> find(String backend) {
        for (ScenarioEngineProvider p : ServiceLoader.load(ScenarioEngineProvider.class)) {
            if (p.name().equals(backend)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
