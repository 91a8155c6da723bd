package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.api.Route;
import dev.simnet.api.Simnet;
import dev.simnet.api.SimnetHandle;
import org.junit.jupiter.api.Test;

/** The ten-line example of docs/library.md: a topology in code, no compose file. */
class TopologyInCodeTest {
    @Test
    void webIsReachableFromClient() {
        try (SimnetHandle net = Simnet.topology()
                .service("web", s -> s.image("nginx"))
                .service("client", s -> s.image("alpine"))
                .seed(42).start()) {
            assertEquals(0, net.exec("client", "curl", "-s", "web").exitCode());
            assertTrue(net.routes("client").stream().anyMatch(Route::isDefault));
        }
    }
}
