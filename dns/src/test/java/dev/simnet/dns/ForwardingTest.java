package dev.simnet.dns;

import static dev.simnet.dns.DnsTestSupport.addresses;
import static dev.simnet.dns.DnsTestSupport.ctr;
import static dev.simnet.dns.DnsTestSupport.ep;
import static dev.simnet.dns.DnsTestSupport.parse;
import static dev.simnet.dns.DnsTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.dns.topology.SchedulerDnsTimer;
import dev.simnet.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class ForwardingTest {
    static final String ZONE = """
            $TTL 300
            @       IN SOA ns1.example.net. admin.example.net. 1 7200 3600 1209600 300
            @       IN NS  ns1.example.net.
            www     IN A   203.0.113.80
            """;

    final Scheduler sched = new Scheduler();
    final SimUpstreams net = new SimUpstreams(sched);
    final AuthoritativeServer auth = new AuthoritativeServer(List.of(AuthoritativeServer.Zone.parse("example.net", ZONE)));

    private static DnsHandler fixedRcode(int rcode) {
        return (q, off, len, asker, proto, max, sink) -> sink.reply(DnsWire.headerOnlyReply(q, off, rcode));
    }

    private EmbeddedDnsServer server(List<String> upstreams, boolean internal, List<String> dns, int maxPending) {
        DnsRecords r = new DnsRecords(upstreams);
        r.addNetwork(new DnsNetwork("n", internal));
        r.start(new DnsContainer("c1", "111111111111", "111111111111", "c", List.of(ep("n", "10.0.0.2")), java.util.Map.of(), dns));
        Forwarder f = new Forwarder(net, new SchedulerDnsTimer(sched), Forwarder.DEFAULT_TIMEOUT_NANOS, maxPending);
        return new EmbeddedDnsServer(r, f, new SplittableRandom(2));
    }

    private Message askAndRun(EmbeddedDnsServer s, String name) {
        byte[] q = query(name, Type.A, 0x4242, 0);
        List<byte[]> out = new ArrayList<>();
        s.handle(q, 0, q.length, "c1", DnsProto.UDP, 0, out::add);
        sched.runToQuiescence();
        assertEquals(1, out.size(), "exactly one answer");
        Message m = parse(out.get(0));
        assertEquals(0x4242, m.getHeader().getID(), "client id restored");
        return m;
    }

    @Test
    void servfailAndRefusedMoveOnAnythingElseIsPassedBack() {
        net.servers.put(Upstream.parse("198.51.100.1"), fixedRcode(Rcode.SERVFAIL));
        net.servers.put(Upstream.parse("198.51.100.2"), fixedRcode(Rcode.REFUSED));
        net.servers.put(Upstream.parse("198.51.100.3"), auth);
        EmbeddedDnsServer s = server(List.of("198.51.100.1", "198.51.100.2", "198.51.100.3"), false, List.of(), 16);
        Message m = askAndRun(s, "www.example.net");
        assertEquals(List.of("203.0.113.80"), addresses(m));
        Message nx = askAndRun(s, "nope.example.net");
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertEquals(6, net.log.size());
    }

    @Test
    void nxdomainFromTheFirstServerIsFinal() {
        net.servers.put(Upstream.parse("198.51.100.1"), auth);
        net.servers.put(Upstream.parse("198.51.100.2"), fixedRcode(Rcode.SERVFAIL));
        EmbeddedDnsServer s = server(List.of("198.51.100.1", "198.51.100.2"), false, List.of(), 16);
        assertEquals(Rcode.NXDOMAIN, askAndRun(s, "missing.example.net").getRcode());
        assertEquals(1, net.log.size());
    }

    @Test
    void timeoutIsFourSecondsPerServerThenServfail() {
        EmbeddedDnsServer s = server(List.of("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"), false, List.of(), 16);
        Message m = askAndRun(s, "www.example.net");
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        assertEquals(List.of("0ms 192.0.2.1 UDP", "4000ms 192.0.2.2 UDP", "8000ms 192.0.2.3 UDP"), net.log,
                "three servers at most, 4 s apart");
        assertEquals(12_000_000_000L, sched.now());
    }

    @Test
    void timedOutServerThenAnsweringServer() {
        net.servers.put(Upstream.parse("198.51.100.3"), auth);
        EmbeddedDnsServer s = server(List.of("192.0.2.1", "198.51.100.3"), false, List.of(), 16);
        assertEquals(List.of("203.0.113.80"), addresses(askAndRun(s, "www.example.net")));
        assertEquals(4_002_000_000L, sched.now());
    }

    @Test
    void internalNetworkDoesNotForwardUnlessDnsIsSet() {
        net.servers.put(Upstream.parse("198.51.100.3"), auth);
        EmbeddedDnsServer internal = server(List.of("198.51.100.3"), true, List.of(), 16);
        assertEquals(Rcode.SERVFAIL, askAndRun(internal, "www.example.net").getRcode());
        assertTrue(net.log.isEmpty());
        EmbeddedDnsServer withDns = server(List.of("192.0.2.9"), true, List.of("198.51.100.3"), 16);
        assertEquals(List.of("203.0.113.80"), addresses(askAndRun(withDns, "www.example.net")));
        assertEquals(List.of("0ms 198.51.100.3 UDP"), net.log);
    }

    @Test
    void queryStormIsBoundedAndCounted() {
        EmbeddedDnsServer s = server(List.of("192.0.2.1"), false, List.of(), 32);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            byte[] q = query("x" + i + ".example.net", Type.A, i, 0);
            s.handle(q, 0, q.length, "c1", DnsProto.UDP, 0, out::add);
        }
        assertEquals(32, net.log.size(), "only the bounded number went out");
        assertEquals(5000 - 32, s.stats().forwardOverflow.get());
        assertEquals(5000 - 32, out.size(), "the rest got REFUSED at once");
        for (byte[] b : out) {
            assertEquals(Rcode.REFUSED, b[3] & 0x0f);
        }
        sched.runToQuiescence();
        assertEquals(5000, out.size());
        byte[] q = query("after.example.net", Type.A);
        s.handle(q, 0, q.length, "c1", DnsProto.UDP, 0, out::add);
        assertEquals(5000 - 32, s.stats().forwardOverflow.get(), "table drained after the timeouts");
    }

    @Test
    void authoritativeServerRules() {
        String zone = """
                $TTL 300
                @       IN SOA ns1 admin 1 7200 3600 1209600 300
                @       IN NS  ns1
                @       IN MX  10 mail
                @       IN TXT "v=spf1 -all"
                ns1     IN A   203.0.113.53
                mail    IN A   203.0.113.25
                www     IN CNAME web
                web     IN A   203.0.113.80
                web     IN AAAA 2001:db8::80
                a.b     IN A   203.0.113.9
                """;
        AuthoritativeServer s = new AuthoritativeServer(List.of(AuthoritativeServer.Zone.parse("example.org", zone),
                AuthoritativeServer.Zone.parse("113.0.203.in-addr.arpa",
                        "$TTL 60\n@ IN SOA ns1.example.org. admin.example.org. 1 1 1 1 1\n80 IN PTR web.example.org.\n")));
        Message www = answer(s, "www.example.org", Type.A);
        assertEquals(2, www.getSection(org.xbill.DNS.Section.ANSWER).size(), "CNAME then A");
        assertEquals(List.of("203.0.113.80"), addresses(www));
        assertTrue(www.getHeader().getFlag(org.xbill.DNS.Flags.AA));
        Message nx = answer(s, "nope.example.org", Type.A);
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertEquals(Type.SOA, nx.getSection(org.xbill.DNS.Section.AUTHORITY).get(0).getType());
        Message nodata = answer(s, "mail.example.org", Type.AAAA);
        assertEquals(Rcode.NOERROR, nodata.getRcode());
        assertEquals(0, nodata.getSection(org.xbill.DNS.Section.ANSWER).size());
        assertEquals(Rcode.NOERROR, answer(s, "b.example.org", Type.A).getRcode(), "empty non-terminal");
        assertEquals(Rcode.REFUSED, answer(s, "www.example.com", Type.A).getRcode());
        assertEquals(1, answer(s, "example.org", Type.MX).getSection(org.xbill.DNS.Section.ANSWER).size());
        assertEquals(1, answer(s, "example.org", Type.TXT).getSection(org.xbill.DNS.Section.ANSWER).size());
        assertEquals(1, answer(s, "web.example.org", Type.AAAA).getSection(org.xbill.DNS.Section.ANSWER).size());
        assertEquals("web.example.org.", ((org.xbill.DNS.PTRRecord) answer(s, "80.113.0.203.in-addr.arpa", Type.PTR)
                .getSection(org.xbill.DNS.Section.ANSWER).get(0)).getTarget().toString());
        assertNull(s.answer(new byte[3], 0, 3, DnsProto.UDP, 0));
        assertNotNull(answer(s, "example.org", Type.SOA).getSection(org.xbill.DNS.Section.ANSWER).get(0));
    }

    private static Message answer(AuthoritativeServer s, String name, int type) {
        byte[] q = query(name, type);
        return parse(s.answer(q, 0, q.length, DnsProto.UDP, 0));
    }
}
