package dev.simnet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResolverRulesTest {
    @Test
    void rendersDockersNatRules() {
        ResolverRules r = new ResolverRules(49550, 44067);
        assertEquals("""
                -P PREROUTING ACCEPT
                -P INPUT ACCEPT
                -P OUTPUT ACCEPT
                -P POSTROUTING ACCEPT
                -N DOCKER_OUTPUT
                -N DOCKER_POSTROUTING
                -A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
                -A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
                -A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:44067
                -A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:49550
                -A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 44067 -j SNAT --to-source :53
                -A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 49550 -j SNAT --to-source :53
                """, r.iptablesNatS());
    }

    @Test
    void portsAreEphemeralDistinctAndSeeded() {
        for (long seed = 0; seed < 200; seed++) {
            ResolverRules a = ResolverRules.pick(new SplittableRandom(seed));
            ResolverRules b = ResolverRules.pick(new SplittableRandom(seed));
            assertEquals(a, b);
            assertNotEquals(a.udpPort(), a.tcpPort());
            assertTrue(a.udpPort() >= 32768 && a.udpPort() <= 60999 && a.tcpPort() >= 32768 && a.tcpPort() <= 60999);
        }
    }
}
