package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.api.Simnet;
import dev.simnet.api.StepsReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A compose file's x-simnet steps, run from a test exactly as 'simnet run' runs them. */
class ScenarioStepsTest {
    @Test
    void theArticlesWalkthroughHolds() {
        StepsReport r = Simnet.load(Path.of("../article-default/compose.yaml")).runSteps().requirePassed();
        assertTrue(r.expectations() > 0);
    }
}
