package dev.simnet.dns.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simnet.dns.AuthoritativeServer;
import dev.simnet.dns.DnsProto;
import dev.simnet.dns.DnsRecords;
import dev.simnet.dns.DnsNetwork;
import dev.simnet.dns.EmbeddedDnsServer;
import dev.simnet.dns.Forwarder;
import dev.simnet.dns.Upstream;
import dev.simnet.dns.stub.DigRenderer;
import dev.simnet.dns.stub.Exchange;
import dev.simnet.dns.stub.HostsFile;
import dev.simnet.dns.stub.NslookupRenderer;
import dev.simnet.dns.stub.ResolvConf;
import dev.simnet.dns.stub.StubResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/** Our dig/nslookup renderings compared with the real tools' output for the same servers and queries. */
class RenderersMatchRealToolsTest {
    static final InetAddress LO = InetAddress.getLoopbackAddress();
    static SocketDnsServer upstream;
    static SocketDnsServer embedded;
    static WallClockTimer timer;
    static SocketUpstreamTransport transport;
    static StubResolver stub;
    static SocketDnsServer deadEnd;
    static java.net.DatagramSocket blackHole;

    @BeforeAll
    static void start() throws IOException {
        timer = new WallClockTimer();
        transport = new SocketUpstreamTransport(2000);
        upstream = new SocketDnsServer(new AuthoritativeServer(List.of(AuthoritativeServer.Zone.parse("example.test", """
                $TTL 300
                @   IN SOA ns1 admin 1 7200 3600 1209600 300
                @   IN NS ns1
                @   IN MX 10 mail
                @   IN TXT "hello world"
                ns1 IN A 203.0.113.53
                mail IN A 203.0.113.25
                www IN A 203.0.113.80
                www IN AAAA 2001:db8::80
                alias IN CNAME www
                """))), LO, 0, "internet");
        DnsRecords r = new DnsRecords(List.of("127.0.0.1:" + upstream.port()));
        r.addNetwork(new DnsNetwork("proj_default", false));
        for (int i = 1; i <= 3; i++) {
            r.start(DigAgainstSocketServerTest.container("proj-web-" + i, "web", i + 1));
        }
        for (int i = 1; i <= 50; i++) {
            r.start(DigAgainstSocketServerTest.container("proj-big-" + i, "big", 100 + i));
        }
        embedded = new SocketDnsServer(new EmbeddedDnsServer(r, new Forwarder(transport, timer),
                new SplittableRandom(6)), LO, 0, "proj-web-1");
        blackHole = new java.net.DatagramSocket(new java.net.InetSocketAddress(LO, 0));
        DnsRecords r2 = new DnsRecords(List.of("127.0.0.1:" + blackHole.getLocalPort()));
        r2.addNetwork(new DnsNetwork("proj_default", false));
        r2.start(DigAgainstSocketServerTest.container("proj-web-1", "web", 2));
        deadEnd = new SocketDnsServer(new EmbeddedDnsServer(r2, new Forwarder(transport, timer, 200_000_000L, 64), new SplittableRandom(6)), LO, 0, "proj-web-1");
        stub = new StubResolver(ResolvConf.parse("nameserver 127.0.0.1\n"), HostsFile.parse(""), transport, timer,
                new SplittableRandom(3));
    }

    @AfterAll
    static void stop() {
        embedded.close();
        deadEnd.close();
        blackHole.close();
        upstream.close();
        transport.close();
        timer.close();
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    static String normalize(String s) {
        return s.replaceAll("id: \\d+", "id: N").replaceAll("Query time: \\d+ msec", "Query time: T msec")
                .replaceAll(";; WHEN: .*", ";; WHEN: W");
    }

    /** Lines sorted, for answers whose order is shuffled. */
    static List<String> sortedLines(String s) {
        List<String> l = new ArrayList<>(Arrays.asList(normalize(s).split("\n", -1)));
        l.sort(null);
        return l;
    }

    Exchange dig(String name, int type, boolean tcp, boolean ignoreTc, int edns) throws Exception {
        CompletableFuture<Exchange> f = new CompletableFuture<>();
        stub.dig(name, type, List.of(new Upstream("127.0.0.1", embedded.port())), 3, 5, tcp, ignoreTc, edns, f::complete);
        return f.get(20, TimeUnit.SECONDS);
    }

    String ours(String args, Exchange ex) {
        return DigRenderer.render(DigRenderer.DEFAULT_VERSION, args, true, ex, 0L, ZoneId.of("UTC"));
    }

    String real(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dig"));
        cmd.addAll(Arrays.asList(args));
        return run(cmd.toArray(new String[0]));
    }

    String port() {
        return Integer.toString(embedded.port());
    }

    @Test
    void digOutputsMatch() throws Exception {
        String p = port();
        assertEquals(normalize(real("@127.0.0.1", "-p", p, "proj-web-2")),
                normalize(ours("@127.0.0.1 -p " + p + " proj-web-2", dig("proj-web-2", Type.A, false, false, 1232))));
        assertEquals(normalize(real("@127.0.0.1", "-p", p, "www.example.test")),
                normalize(ours("@127.0.0.1 -p " + p + " www.example.test", dig("www.example.test", Type.A, false, false, 1232))));
        assertEquals(normalize(real("@127.0.0.1", "-p", p, "nope.example.test")),
                normalize(ours("@127.0.0.1 -p " + p + " nope.example.test", dig("nope.example.test", Type.A, false, false, 1232))));
        assertEquals(normalize(real("@127.0.0.1", "-p", p, "web", "AAAA")),
                normalize(ours("@127.0.0.1 -p " + p + " web AAAA", dig("web", Type.AAAA, false, false, 1232))));
        assertEquals(normalize(real("@127.0.0.1", "-p", p, "example.test", "MX")),
                normalize(ours("@127.0.0.1 -p " + p + " example.test MX", dig("example.test", Type.MX, false, false, 1232))));
        assertEquals(normalize(real("@127.0.0.1", "-p", p, "alias.example.test", "AAAA")),
                normalize(ours("@127.0.0.1 -p " + p + " alias.example.test AAAA", dig("alias.example.test", Type.AAAA, false, false, 1232))));
        assertEquals(normalize(real("@127.0.0.1", "-p", p, "-x", "172.18.0.3")),
                normalize(ours("@127.0.0.1 -p " + p + " -x 172.18.0.3",
                        dig(ReverseMap.fromAddress("172.18.0.3").toString(), Type.PTR, false, false, 1232))));
        assertEquals(sortedLines(real("@127.0.0.1", "-p", p, "web", "+tcp")),
                sortedLines(ours("@127.0.0.1 -p " + p + " web +tcp", dig("web", Type.A, true, false, 1232))));
        assertEquals(sortedLines(real("@127.0.0.1", "-p", p, "big", "+noedns")),
                sortedLines(ours("@127.0.0.1 -p " + p + " big +noedns", dig("big", Type.A, false, false, 0))));
        assertEquals(sortedLines(real("@127.0.0.1", "-p", p, "web", "+short")),
                sortedLines(DigRenderer.renderShort(dig("web", Type.A, false, false, 1232))));
    }

    Exchange digAt(int port, String name, int type, int tries, int timeoutSec, int edns) throws Exception {
        CompletableFuture<Exchange> f = new CompletableFuture<>();
        stub.dig(name, type, List.of(new Upstream("127.0.0.1", port)), tries, timeoutSec, false, false, edns, f::complete);
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void failuresMatch() throws Exception {
        String dead = Integer.toString(deadEnd.port());
        assertEquals(normalize(real("@127.0.0.1", "-p", dead, "www.example.test")),
                normalize(ours("@127.0.0.1 -p " + dead + " www.example.test",
                        digAt(deadEnd.port(), "www.example.test", Type.A, 3, 5, 1232))));
        String hole = Integer.toString(blackHole.getLocalPort());
        assertEquals(real("@127.0.0.1", "-p", hole, "+time=1", "+tries=2", "web"),
                ours("@127.0.0.1 -p " + hole + " +time=1 +tries=2 web", digAt(blackHole.getLocalPort(), "web", Type.A, 2, 1, 1232)));
        String realNs = run("nslookup", "-port=" + hole, "-timeout=1", "-retry=1", "web", "127.0.0.1");
        assertEquals(realNs, NslookupRenderer.render("web",
                List.of(digAt(blackHole.getLocalPort(), "web", Type.A, 1, 1, 0))).text());
        String realServfail = run("nslookup", "-port=" + dead, "www.example.test", "127.0.0.1");
        assertEquals(realServfail, NslookupRenderer.render("www.example.test",
                List.of(digAt(deadEnd.port(), "www.example.test", Type.A, 3, 5, 0),
                        digAt(deadEnd.port(), "www.example.test", Type.AAAA, 3, 5, 0))).text());
    }

    @Test
    void nslookupOutputsMatch() throws Exception {
        String p = port();
        for (String name : List.of("proj-web-2", "www.example.test", "alias.example.test", "nope.example.test")) {
            String real = run("nslookup", "-port=" + p, name, "127.0.0.1");
            List<Exchange> ex = List.of(dig(name, Type.A, false, false, 0), dig(name, Type.AAAA, false, false, 0));
            assertEquals(real, NslookupRenderer.render(name, ex).text(), name);
        }
        String realWeb = run("nslookup", "-port=" + p, "web", "127.0.0.1");
        List<Exchange> ex = List.of(dig("web", Type.A, false, false, 0), dig("web", Type.AAAA, false, false, 0));
        assertEquals(sortedLines(realWeb), sortedLines(NslookupRenderer.render("web", ex).text()));
        String realMx = run("nslookup", "-port=" + p, "-type=mx", "example.test", "127.0.0.1");
        assertEquals(realMx, NslookupRenderer.render("example.test", List.of(dig("example.test", Type.MX, false, false, 0))).text());
        String realTxt = run("nslookup", "-port=" + p, "-type=txt", "example.test", "127.0.0.1");
        assertEquals(realTxt, NslookupRenderer.render("example.test", List.of(dig("example.test", Type.TXT, false, false, 0))).text());
        String realSoa = run("nslookup", "-port=" + p, "-type=soa", "example.test", "127.0.0.1");
        assertEquals(realSoa, NslookupRenderer.render("example.test", List.of(dig("example.test", Type.SOA, false, false, 0))).text());
        String realPtr = run("nslookup", "-port=" + p, "172.18.0.3", "127.0.0.1");
        assertEquals(realPtr, NslookupRenderer.renderReverse(
                dig(ReverseMap.fromAddress("172.18.0.3").toString(), Type.PTR, false, false, 0)).text());
        assertEquals(DnsProto.UDP, dig("proj-web-1", Type.A, false, false, 0).proto());
    }
}
