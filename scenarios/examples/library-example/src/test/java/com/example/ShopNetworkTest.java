package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.api.ConntrackEntry;
import dev.simnet.api.ExecResult;
import dev.simnet.api.Impairment;
import dev.simnet.api.SimnetHandle;
import dev.simnet.api.TcpFlow;
import dev.simnet.junit.SimnetTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a user of simnet writes: checks that their compose project's network does what they believe. */
@SimnetTest(compose = "shop.yaml", seed = 42)
class ShopNetworkTest {

    @Test
    void theProxyReachesTheApiByItsAlias(SimnetHandle net) {
        ExecResult r = net.exec("proxy", "curl", "-s", "http://api.internal/");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("Hostname:"), r.stdout());
    }

    @Test
    void theDatabaseIsInvisibleFromTheFrontNetwork(SimnetHandle net) {
        assertEquals("NXDOMAIN", net.resolve("proxy", "db").rcode());
        assertTrue(net.resolve("api", "db").found());
    }

    @Test
    void theApiTalksToRedis(SimnetHandle net) {
        try (TcpFlow redis = net.connect("api", "db", 6379)) {
            redis.write("PING\r\n");
            assertEquals("+PONG\r\n", new String(redis.read(Duration.ofSeconds(1))));
        }
    }

    @Test
    void thePublishedPortIsDnatedToTheProxy(SimnetHandle net) {
        assertEquals(0, net.execOnHost("curl", "-s", "http://203.0.113.1:8080/").exitCode());
        String proxy = net.containers().stream().filter(c -> c.service().equals("proxy")).findFirst().orElseThrow()
                .endpoints().get(0).address();
        ConntrackEntry e = net.conntrack().stream().filter(ConntrackEntry::destinationNat).findFirst().orElseThrow();
        assertEquals(8080, e.original().destinationPort());
        assertEquals(proxy, e.reply().source());
    }

    @Test
    void aStoppedDatabaseDropsOutOfDns(SimnetHandle net) {
        net.stop("db");
        assertFalse(net.resolve("api", "db").found());
        net.start("db");
        assertTrue(net.resolve("api", "db").found());
    }

    @Test
    void latencyOnTheApiLinkShowsInPing(SimnetHandle net) {
        net.impair(Impairment.on("api", "front").withDelay(Duration.ofMillis(50)));
        ExecResult r = net.exec("proxy", "ping", "-c", "1", "api");
        // 50 ms each way on the api's link, plus the first packet's ARP exchange over the same link
        assertTrue(r.stdout().matches("(?s).*time=[1-9]\\d\\d ms.*"), r.stdout());
        net.advance(Duration.ofMinutes(5));
        assertNotEquals(Duration.ZERO, net.now());
    }
}
