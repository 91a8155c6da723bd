package dev.simnet.scenarios.engine.tap;

import dev.simnet.linux.LinuxBackend;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;
import dev.simnet.tap.TapBackend;

/** Registers {@code --backend tap} ({@link TapScenarioEngine}) with the CLI through ServiceLoader. */
public final class TapEngineProvider implements ScenarioEngineProvider {
    @Override
    public String name() {
        return "tap";
    }

    @Override
    public String unavailabilityCause() {
        return TapBackend.unavailabilityCause();
    }

    @Override
    public ScenarioEngine create(long seed) {
        TapBackend.ensureAvailability();
        if (System.getProperty("java.net.preferIPv4Stack") == null) {
            System.setProperty("java.net.preferIPv4Stack", "true");
        }
        return new TapScenarioEngine(seed);
    }

    /** {@code simnet down --all}: the Linux backend's sweep (TAP runs use the same state files). */
    @Override
    public int cleanupAll() {
        LinuxBackend.SweepReport r = LinuxBackend.sweepStale();
        return r.namespaces() + r.etcDirs() + r.processes();
    }
}
