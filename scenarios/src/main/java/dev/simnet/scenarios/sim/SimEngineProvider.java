package dev.simnet.scenarios.sim;

import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.scenarios.engine.ScenarioEngineProvider;

/** The {@code sim} backend: the packet-level simulator, available everywhere. */
public final class SimEngineProvider implements ScenarioEngineProvider {
    @Override
    public String name() {
        return "sim";
    }

    @Override
    public ScenarioEngine create(long seed) {
        return new SimEngine(seed);
    }
}
