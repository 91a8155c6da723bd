package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.simnet.api.SimnetHandle;
import dev.simnet.junit.SimnetTest;
import org.junit.jupiter.api.Test;

@SimnetTest(compose = "shop.yaml", seed = 42)
class ShopTest {
    @Test
    void proxyReachesTheApiButNotTheDatabase(SimnetHandle net) {
        assertEquals(0, net.exec("proxy", "curl", "-s", "http://api/").exitCode());
        assertEquals("NXDOMAIN", net.resolve("proxy", "db").rcode());
    }
}
