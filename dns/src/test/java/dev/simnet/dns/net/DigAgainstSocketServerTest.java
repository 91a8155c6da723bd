package dev.simnet.dns.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.dns.AuthoritativeServer;
import dev.simnet.dns.DnsContainer;
import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.DnsNetwork;
import dev.simnet.dns.DnsRecords;
import dev.simnet.dns.EmbeddedDnsServer;
import dev.simnet.dns.Forwarder;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real {@code dig} against the real-socket servers on 127.0.0.1. */
class DigAgainstSocketServerTest {
    static final InetAddress LO = InetAddress.getLoopbackAddress();
    static SocketDnsServer upstream;
    static SocketDnsServer embedded;
    static SocketDnsServer deadEnd;
    static DatagramSocket blackHole;
    static WallClockTimer timer;
    static SocketUpstreamTransport transport;

    @BeforeAll
    static void start() throws IOException {
        timer = new WallClockTimer();
        transport = new SocketUpstreamTransport(2000);
        upstream = new SocketDnsServer(new AuthoritativeServer(List.of(AuthoritativeServer.Zone.parse("example.test", """
                $TTL 300
                @   IN SOA ns1 admin 1 7200 3600 1209600 300
                @   IN NS ns1
                ns1 IN A 203.0.113.53
                www IN A 203.0.113.80
                """))), LO, 0, "internet");
        DnsRecords r = new DnsRecords(List.of("127.0.0.1:" + upstream.port()));
        r.addNetwork(new DnsNetwork("proj_default", false));
        for (int i = 1; i <= 3; i++) {
            r.start(container("proj-web-" + i, "web", i + 1));
        }
        for (int i = 1; i <= 50; i++) {
            r.start(container("proj-big-" + i, "big", 100 + i));
        }
        embedded = new SocketDnsServer(new EmbeddedDnsServer(r,
                new Forwarder(transport, timer), new SplittableRandom(6)), LO, 0, "proj-web-1");
        blackHole = new DatagramSocket(new InetSocketAddress(LO, 0)); // bound, never answers
        DnsRecords r2 = new DnsRecords(List.of("127.0.0.1:" + blackHole.getLocalPort()));
        r2.addNetwork(new DnsNetwork("proj_default", false));
        r2.start(container("proj-web-1", "web", 2));
        deadEnd = new SocketDnsServer(new EmbeddedDnsServer(r2,
                new Forwarder(transport, timer, 300_000_000L, 64), new SplittableRandom(6)),
                LO, 0, "proj-web-1");
    }

    static DnsContainer container(String name, String service, int host) {
        return new DnsContainer(name, String.format("%012x", host), String.format("%012x", host), service,
                List.of(new DnsEndpoint("proj_default", Ipv4Address.of(172, 18, host / 250, host % 250), List.of())),
                Map.of(), List.of());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {embedded, deadEnd, upstream, blackHole, transport, timer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    static String dig(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "+time=3", "+tries=1"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "dig finished");
        return out;
    }

    static Set<String> lines(String s) {
        Set<String> out = new HashSet<>();
        for (String l : s.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.trim());
            }
        }
        return out;
    }

    @Test
    void shortAnswerOverUdpAndTcp() throws Exception {
        Set<String> want = Set.of("172.18.0.2", "172.18.0.3", "172.18.0.4");
        assertEquals(want, lines(dig(embedded.port(), "web", "A", "+short")));
        assertEquals(want, lines(dig(embedded.port(), "web", "A", "+short", "+tcp")));
        assertEquals(Set.of("172.18.0.3"), lines(dig(embedded.port(), "PROJ-WEB-2.proj_default", "+short")));
    }

    @Test
    void largeAnswerTruncatesOverUdpAndIsCompleteOverTcp() throws Exception {
        String udp = dig(embedded.port(), "big", "A", "+ignore", "+noedns");
        assertTrue(udp.matches("(?s).*flags: qr tc rd ra;.*"), udp);
        String tcp = dig(embedded.port(), "big", "A", "+tcp", "+short");
        assertEquals(50, lines(tcp).size(), tcp);
        String full = dig(embedded.port(), "big", "A");
        assertTrue(full.contains("ANSWER: 50,"), "dig retries over TCP itself after TC: " + full);
    }

    @Test
    void ptrAndEmptyAaaa() throws Exception {
        assertEquals(Set.of("proj-web-2.proj_default."), lines(dig(embedded.port(), "-x", "172.18.0.3", "+short")));
        String aaaa = dig(embedded.port(), "web", "AAAA");
        assertTrue(aaaa.contains("status: NOERROR") && aaaa.contains("ANSWER: 0,"), aaaa);
    }

    @Test
    void forwardedAnswersAndNxdomain() throws Exception {
        assertEquals(Set.of("203.0.113.80"), lines(dig(embedded.port(), "www.example.test", "+short")));
        assertEquals(Set.of("203.0.113.80"), lines(dig(embedded.port(), "www.example.test", "+short", "+tcp")));
        String nx = dig(embedded.port(), "nope.example.test");
        assertTrue(nx.contains("status: NXDOMAIN") && nx.contains("example.test.\t\t300\tIN\tSOA"), nx);
    }

    @Test
    void servfailWhenTheUpstreamNeverAnswers() throws Exception {
        String out = dig(deadEnd.port(), "www.example.test");
        assertTrue(out.contains("status: SERVFAIL"), out);
        assertEquals(Set.of("172.18.0.2"), lines(dig(deadEnd.port(), "web", "+short")));
    }

    @Test
    void garbageOverUdpAndTcpDoesNotStopTheServer() throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] junk : new byte[][] {{1}, {0, 1, (byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0}, new byte[700]}) {
                s.send(new java.net.DatagramPacket(junk, junk.length, LO, embedded.port()));
            }
        }
        try (java.net.Socket t = new java.net.Socket(LO, embedded.port())) {
            t.getOutputStream().write(new byte[] {0, 40, 1, 2, 3}); // announces 40 bytes, sends 3, closes
        }
        try (java.net.Socket t = new java.net.Socket(LO, embedded.port())) {
            t.getOutputStream().write(new byte[] {0, 2, 1, 2}); // a 2-byte "message": dropped as too short
        }
        assertEquals(Set.of("172.18.0.2", "172.18.0.3", "172.18.0.4"), lines(dig(embedded.port(), "web", "+short")));
        assertEquals(Set.of("172.18.0.2", "172.18.0.3", "172.18.0.4"), lines(dig(embedded.port(), "web", "+short", "+tcp")));
    }

    @Test
    void separateUdpAndTcpPortsLikeDockersResolver() throws Exception {
        DnsRecords r = new DnsRecords(List.of());
        r.addNetwork(new DnsNetwork("proj_default", false));
        r.start(container("c-1", "c", 7));
        try (SocketDnsServer s = new SocketDnsServer(new EmbeddedDnsServer(r, null, new SplittableRandom(1)), LO, 0, 0,
                a -> "c-1")) {
            assertTrue(s.port() > 0 && s.tcpPort() > 0);
            assertEquals(Set.of("172.18.0.7"), lines(dig(s.port(), "c", "+short")));
            assertEquals(Set.of("172.18.0.7"), lines(dig(s.tcpPort(), "c", "+short", "+tcp")));
        }
    }

    @Test
    void refusedOutsideTheZoneFromTheAuthoritativeServer() throws Exception {
        String out = dig(upstream.port(), "www.example.com");
        assertTrue(out.contains("status: REFUSED"), out);
        String aa = dig(upstream.port(), "www.example.test");
        assertTrue(aa.contains("flags: qr aa rd;"), aa);
    }
}
