package dev.simnet.dns.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.dns.DnsContainer;
import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.DnsHandler;
import dev.simnet.dns.DnsNetwork;
import dev.simnet.dns.DnsProto;
import dev.simnet.dns.DnsRecords;
import dev.simnet.dns.DnsWire;
import dev.simnet.dns.EmbeddedDnsServer;
import dev.simnet.dns.SimUpstreams;
import dev.simnet.dns.Upstream;
import dev.simnet.dns.topology.SchedulerDnsTimer;
import dev.simnet.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class StubResolverTest {
    final Scheduler sched = new Scheduler();
    final SimUpstreams net = new SimUpstreams(sched);

    EmbeddedDnsServer embedded(int replicas) {
        DnsRecords r = new DnsRecords(List.of());
        r.addNetwork(new DnsNetwork("p_default", false));
        for (int i = 1; i <= replicas; i++) {
            r.start(new DnsContainer("p-web-" + i, String.format("%012d", i), String.format("%012d", i), "web",
                    List.of(new DnsEndpoint("p_default", Ipv4Address.of(172, 18, 0, 1 + i), List.of())), Map.of(), List.of()));
        }
        EmbeddedDnsServer s = new EmbeddedDnsServer(r, null, new SplittableRandom(1));
        // the simulated transport does not know the asker; wrap to ask as the first container
        return s;
    }

    static DnsHandler as(EmbeddedDnsServer s, String asker) {
        return (q, off, len, who, proto, max, sink) -> s.handle(q, off, len, asker, proto, max, sink);
    }

    StubResolver stub(String resolvConf, String hosts) {
        return new StubResolver(ResolvConf.parse(resolvConf), HostsFile.parse(hosts), net, new SchedulerDnsTimer(sched),
                new SplittableRandom(9));
    }

    StubResolver.Result lookup(StubResolver s, String name, int type) {
        List<StubResolver.Result> out = new ArrayList<>();
        s.lookup(name, type, out::add);
        sched.runToQuiescence();
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void parsesResolvConf() {
        ResolvConf c = ResolvConf.parse("""
                # comment
                nameserver 127.0.0.11
                nameserver 10.0.0.2
                nameserver 10.0.0.3
                nameserver 10.0.0.4
                search a.example b.example
                options ndots:0 timeout:2 attempts:3 rotate edns0
                """);
        assertEquals(List.of("127.0.0.11", "10.0.0.2", "10.0.0.3"), c.nameservers());
        assertEquals(List.of("a.example", "b.example"), c.search());
        assertEquals(0, c.ndots());
        assertEquals(2, c.timeoutSec());
        assertEquals(3, c.attempts());
        assertTrue(c.rotate() && c.edns0());
        ResolvConf d = ResolvConf.parse("");
        assertEquals(List.of("127.0.0.1"), d.nameservers());
        assertEquals(1, d.ndots());
        assertEquals(5, d.timeoutSec());
        assertEquals(2, d.attempts());
    }

    @Test
    void hostsFileComesFirst() {
        net.servers.put(Upstream.parse("127.0.0.11"), as(embedded(1), "p-web-1"));
        StubResolver s = stub("nameserver 127.0.0.11\noptions ndots:0\n", "127.0.0.1\tlocalhost\n10.1.1.1\tweb extra\n");
        StubResolver.Result r = lookup(s, "WEB", Type.A);
        assertEquals(StubResolver.Status.HOSTS, r.status());
        assertEquals(List.of("10.1.1.1"), r.addresses());
        assertTrue(net.log.isEmpty());
        StubResolver.Result d = lookup(s, "p-web-1", Type.A);
        assertEquals(List.of("172.18.0.2"), d.addresses());
        assertEquals(StubResolver.Status.OK, d.status());
    }

    @Test
    void searchOrderFollowsNdots() {
        StubResolver s0 = stub("nameserver 127.0.0.11\nsearch corp.example\noptions ndots:0\n", "");
        assertEquals(List.of("web.", "web.corp.example."), s0.candidates("web"));
        StubResolver s1 = stub("nameserver 127.0.0.11\nsearch corp.example lab.example\n", "");
        assertEquals(List.of("web.corp.example.", "web.lab.example.", "web."), s1.candidates("web"));
        assertEquals(List.of("a.b.", "a.b.corp.example.", "a.b.lab.example."), s1.candidates("a.b"));
        assertEquals(List.of("abs."), s1.candidates("abs."));
    }

    @Test
    void glibcTimeoutsAndAttempts() {
        StubResolver s = stub("nameserver 192.0.2.1\n", "");
        StubResolver.Result r = lookup(s, "x", Type.A);
        assertEquals(StubResolver.Status.TIMEOUT, r.status());
        assertEquals(List.of("0ms 192.0.2.1 UDP", "5000ms 192.0.2.1 UDP"), net.log, "2 attempts of 5 s");
        assertEquals(10_000_000_000L, sched.now());
        assertEquals(5, StubResolver.glibcTimeoutSeconds(5, 0, 3));
        assertEquals(3, StubResolver.glibcTimeoutSeconds(5, 1, 3));
        assertEquals(6, StubResolver.glibcTimeoutSeconds(5, 2, 3));
    }

    @Test
    void deadFirstServerThenSecondAnswers() {
        net.servers.put(Upstream.parse("127.0.0.12"), as(embedded(1), "p-web-1"));
        StubResolver s = stub("nameserver 192.0.2.1\nnameserver 127.0.0.12\n", "");
        StubResolver.Result r = lookup(s, "web.", Type.A);
        assertEquals(List.of("172.18.0.2"), r.addresses());
        assertEquals(List.of("0ms 192.0.2.1 UDP", "5000ms 127.0.0.12 UDP"), net.log);
        assertEquals(5_002_000_000L, sched.now());
    }

    @Test
    void servfailMovesToTheNextServer() {
        net.servers.put(Upstream.parse("10.0.0.1"), (q, off, len, who, proto, max, sink) ->
                sink.reply(DnsWire.headerOnlyReply(q, off, Rcode.SERVFAIL)));
        net.servers.put(Upstream.parse("10.0.0.2"), as(embedded(1), "p-web-1"));
        StubResolver s = stub("nameserver 10.0.0.1\nnameserver 10.0.0.2\n", "");
        assertEquals(List.of("172.18.0.2"), lookup(s, "web.", Type.A).addresses());
    }

    @Test
    void truncatedAnswerIsRetriedOverTcp() {
        net.servers.put(Upstream.parse("127.0.0.11"), as(embedded(60), "p-web-1"));
        StubResolver s = stub("nameserver 127.0.0.11\noptions ndots:0\n", "");
        StubResolver.Result r = lookup(s, "web", Type.A);
        assertEquals(60, r.addresses().size());
        assertEquals(DnsProto.TCP, r.exchange().proto());
        assertTrue(r.exchange().tcpRetry());
        assertEquals(List.of("0ms 127.0.0.11 UDP", "2ms 127.0.0.11 TCP"), net.log);
    }

    @Test
    void endToEndInVirtualTimeWithForwardingAndDigOutput() {
        dev.simnet.dns.AuthoritativeServer internet = new dev.simnet.dns.AuthoritativeServer(List.of(
                dev.simnet.dns.AuthoritativeServer.Zone.parse("example.net",
                        "$TTL 300\n@ IN SOA ns1 admin 1 7200 3600 1209600 300\nwww IN A 203.0.113.80\n")));
        net.servers.put(Upstream.parse("203.0.113.53"), internet);
        DnsRecords r = new DnsRecords(List.of("203.0.113.53"));
        r.addNetwork(new DnsNetwork("p_default", false));
        r.start(new DnsContainer("p-web-1", "000000000001", "000000000001", "web",
                List.of(new DnsEndpoint("p_default", Ipv4Address.of(172, 18, 0, 2), List.of())), Map.of(), List.of()));
        EmbeddedDnsServer embedded = new EmbeddedDnsServer(r, new dev.simnet.dns.Forwarder(net, new SchedulerDnsTimer(sched)), new SplittableRandom(5));
        net.servers.put(Upstream.parse("127.0.0.11"), as(embedded, "p-web-1"));
        StubResolver s = stub("nameserver 127.0.0.11\noptions ndots:0\n", "");
        List<List<StubResolver.Result>> both = new ArrayList<>();
        s.lookupBoth("www.example.net", both::add);
        sched.runToQuiescence();
        assertEquals(List.of("203.0.113.80"), both.get(0).get(0).addresses());
        assertEquals(StubResolver.Status.NODATA, both.get(0).get(1).status());
        assertEquals(4_000_000L, sched.now(), "stub->embedded 1 ms, embedded->internet 1 ms, and back");
        List<Exchange> ex = new ArrayList<>();
        s.dig("www.example.net", Type.A, List.of(), 3, 5, false, false, 1232, ex::add);
        sched.runToQuiescence();
        String out = DigRenderer.render(DigRenderer.DEFAULT_VERSION, "www.example.net", false, ex.get(0),
                1_764_400_000_000L, java.time.ZoneId.of("UTC"));
        assertTrue(out.contains(";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"), out);
        assertTrue(out.contains("www.example.net.\t300\tIN\tA\t203.0.113.80\n"), out);
        assertTrue(out.contains(";; Query time: 4 msec\n;; SERVER: 127.0.0.11#53(127.0.0.11) (UDP)\n"), out);
        assertTrue(out.contains(";; WHEN: Sat Nov 29 07:06:40 UTC 2025\n"), out);
    }

    @Test
    void nxdomainAndNodata() {
        net.servers.put(Upstream.parse("127.0.0.11"), as(embedded(1), "p-web-1"));
        StubResolver s = stub("nameserver 127.0.0.11\noptions ndots:0\n", "");
        assertEquals(StubResolver.Status.NODATA, lookup(s, "web", Type.AAAA).status());
        assertEquals(StubResolver.Status.SERVFAIL, lookup(s, "nope", Type.A).status(), "embedded DNS without upstream");
    }
}
