package dev.simnet.dns;

import static dev.simnet.dns.DnsTestSupport.addresses;
import static dev.simnet.dns.DnsTestSupport.ask;
import static dev.simnet.dns.DnsTestSupport.ctr;
import static dev.simnet.dns.DnsTestSupport.ep;
import static dev.simnet.dns.DnsTestSupport.parse;
import static dev.simnet.dns.DnsTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class EmbeddedDnsServerTest {
    private static DnsRecords sample() {
        DnsRecords r = new DnsRecords(List.of());
        r.addNetwork(new DnsNetwork("p_front", false));
        r.addNetwork(new DnsNetwork("p_back", false));
        r.addNetwork(new DnsNetwork("p_other", false));
        r.start(ctr("p-web-1", "web", "aaaaaaaaaaa1", List.of(ep("p_front", "172.18.0.2", "www"), ep("p_back", "172.19.0.2"))));
        r.start(ctr("p-web-2", "web", "aaaaaaaaaaa2", List.of(ep("p_front", "172.18.0.3", "www"))));
        r.start(ctr("p-db-1", "db", "bbbbbbbbbbb1", List.of(ep("p_back", "172.19.0.3", "database"))));
        r.start(ctr("p-lone-1", "lone", "ccccccccccc1", List.of(ep("p_other", "172.20.0.2"))));
        r.start(new DnsContainer("p-app-1", "ddddddddddd1", "apphost", "app",
                List.of(ep("p_back", "172.19.0.4")), Map.of("sql", "p-db-1"), List.of()));
        return r;
    }

    private static EmbeddedDnsServer server(DnsRecords r) {
        return new EmbeddedDnsServer(r, null, new SplittableRandom(7));
    }

    private static Message a(EmbeddedDnsServer s, String asker, String name) {
        return parse(ask(s, asker, query(name, Type.A), DnsProto.UDP));
    }

    @Test
    void everyDockerNameResolvesWithTtl600AndReplyFlags() {
        EmbeddedDnsServer s = server(sample());
        for (String n : List.of("p-db-1", "db", "database", "bbbbbbbbbbb1", "p-db-1.p_back", "DB", "Database.p_back")) {
            Message m = a(s, "p-app-1", n);
            assertEquals(Rcode.NOERROR, m.getRcode(), n);
            assertEquals(List.of("172.19.0.3"), addresses(m), n);
            assertEquals(600, m.getSection(Section.ANSWER).get(0).getTTL());
            assertTrue(m.getHeader().getFlag(Flags.QR) && m.getHeader().getFlag(Flags.RA) && m.getHeader().getFlag(Flags.RD));
            assertFalse(m.getHeader().getFlag(Flags.AA));
            assertEquals(0x1234, m.getHeader().getID());
        }
        assertEquals(List.of("172.19.0.4"), addresses(a(s, "p-app-1", "apphost")));
        assertEquals(Rcode.SERVFAIL, a(s, "p-app-1", "db.P_BACK").getRcode(), "moby matches the network part exactly");
    }

    @Test
    void answerKeepsTheQuestionsCase() {
        Message m = a(server(sample()), "p-app-1", "DaTaBaSe");
        assertEquals("DaTaBaSe.", m.getSection(Section.ANSWER).get(0).getName().toString());
    }

    @Test
    void replicasGiveEveryAddressShuffledDeterministically() {
        EmbeddedDnsServer s1 = server(sample());
        EmbeddedDnsServer s2 = server(sample());
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            List<String> x = addresses(a(s1, "p-web-2", "web"));
            assertEquals(x, addresses(a(s2, "p-web-2", "web")), "same seed, same order");
            assertEquals(Set.of("172.18.0.2", "172.18.0.3"), new HashSet<>(x));
            assertEquals(2, x.size());
            orders.add(x);
        }
        assertEquals(2, orders.size(), "both orders show up");
    }

    @Test
    void onlyTheAskersNetworksAreSearched() {
        EmbeddedDnsServer s = server(sample());
        Message m = a(s, "p-lone-1", "db");
        assertEquals(Rcode.SERVFAIL, m.getRcode(), "unknown on p_other, no forwarder: SERVFAIL");
        assertEquals(List.of(), addresses(m));
        assertEquals(Rcode.SERVFAIL, a(s, "p-web-2", "p-db-1").getRcode());
        assertEquals(Rcode.SERVFAIL, a(s, "p-web-1", "p-lone-1.p_other").getRcode(), "name.network needs the asker on it");
    }

    @Test
    void firstNetworkInDockersEndpointOrderWins() {
        DnsRecords r = new DnsRecords(List.of());
        r.addNetwork(new DnsNetwork("n2", false));
        r.addNetwork(new DnsNetwork("n1", false));
        r.addNetwork(new DnsNetwork("a0", true));
        r.start(ctr("x-1", "x", "111111111111", List.of(ep("n1", "10.1.0.2", "shared"))));
        r.start(ctr("y-1", "y", "222222222222", List.of(ep("n2", "10.2.0.2", "shared"))));
        r.start(ctr("z-1", "z", "555555555555", List.of(ep("a0", "10.0.0.2", "shared"))));
        r.start(ctr("asker12", "a", "333333333333", List.of(ep("n1", "10.1.0.3"), ep("n2", "10.2.0.3"), ep("a0", "10.0.0.3"))));
        r.start(ctr("asker21", "b", "444444444444", List.of(ep("a0", "10.0.0.4"), ep("n2", "10.2.0.4"), ep("n1", "10.1.0.4"))));
        EmbeddedDnsServer s = server(r);
        assertEquals(List.of("10.1.0.2"), addresses(a(s, "asker12", "shared")), "n1 < n2 by name");
        assertEquals(List.of("10.1.0.2"), addresses(a(s, "asker21", "shared")), "attach order does not matter, internal a0 last");
        assertEquals(List.of("10.2.0.2"), addresses(a(s, "asker12", "shared.n2")));
        assertEquals(List.of("10.0.0.2"), addresses(a(s, "asker21", "shared.a0")));
        r.setEndpointOrder(DnsIndex.EndpointOrder.ATTACH);
        assertEquals(List.of("10.0.0.2"), addresses(a(s, "asker21", "shared")), "attach order on request");
        assertEquals(List.of("n1", "n2", "a0"), r.snapshot().asker("asker12").networks());
    }

    @Test
    void linkAliasesOnlyForTheirContainer() {
        EmbeddedDnsServer s = server(sample());
        assertEquals(List.of("172.19.0.3"), addresses(a(s, "p-app-1", "sql")));
        assertEquals(Rcode.SERVFAIL, a(s, "p-web-1", "sql").getRcode());
        assertEquals(Rcode.SERVFAIL, a(s, "p-app-1", "SQL").getRcode(), "link aliases match exactly in moby");
    }

    @Test
    void aaaaAndMxAreEmptyNoErrorOtherTypesAreForwarded() {
        EmbeddedDnsServer s = server(sample());
        for (int type : new int[] {Type.AAAA, Type.MX}) {
            Message m = parse(ask(s, "p-app-1", query("db", type), DnsProto.UDP));
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertEquals(0, m.getSection(Section.ANSWER).size());
            assertTrue(m.getHeader().getFlag(Flags.RA));
        }
        Message txt = parse(ask(s, "p-app-1", query("db", Type.TXT), DnsProto.UDP));
        assertEquals(Rcode.SERVFAIL, txt.getRcode(), "TXT is forwarded (no forwarder here)");
        assertFalse(txt.getHeader().getFlag(Flags.RA), "SetRcode replies leave RA clear");
        s.setEmptyAnswerForKnownNames(true);
        Message txt2 = parse(ask(s, "p-app-1", query("db", Type.TXT), DnsProto.UDP));
        assertEquals(Rcode.NOERROR, txt2.getRcode());
        assertEquals(0, txt2.getSection(Section.ANSWER).size());
    }

    @Test
    void smallAnswersAreUncompressedLikeMiekgTruncate() {
        byte[] w = ask(server(sample()), "p-web-1", query("WwW", Type.A), DnsProto.UDP);
        assertEquals(21 + 2 * (5 + 14), w.length, "owner name written out, not a pointer");
        for (int i = 21; i < w.length; i += 19) {
            assertEquals(3, w[i]);
            assertEquals('W', w[i + 1], "owner keeps the question's case");
        }
        Message ptr = parse(ask(server(sample()), "p-app-1", query("web", Type.PTR), DnsProto.UDP));
        assertEquals(Rcode.SERVFAIL, ptr.getRcode(), "PTR for a name that is not a reverse name");
    }

    @Test
    void ptrAnswersContainerDotNetwork() {
        EmbeddedDnsServer s = server(sample());
        Message m = parse(ask(s, "p-app-1", query("3.0.19.172.in-addr.arpa", Type.PTR), DnsProto.UDP));
        assertEquals(Rcode.NOERROR, m.getRcode());
        PTRRecord p = (PTRRecord) m.getSection(Section.ANSWER).get(0);
        assertEquals("p-db-1.p_back.", p.getTarget().toString());
        assertEquals(600, p.getTTL());
        Message other = parse(ask(s, "p-lone-1", query("3.0.19.172.in-addr.arpa", Type.PTR), DnsProto.UDP));
        assertEquals(Rcode.SERVFAIL, other.getRcode(), "not on p_back: forwarded (and no forwarder here)");
    }

    @Test
    void udpTruncatesAt512OrEdnsSizeAndTcpCarriesAll() {
        DnsRecords r = new DnsRecords(List.of());
        r.addNetwork(new DnsNetwork("big", false));
        List<DnsContainer> cs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            r.start(ctr("big-web-" + (i + 1), "web", String.format("%012x", i), List.of(ep("big", "10.9.0." + (i + 2)))));
        }
        EmbeddedDnsServer s = server(r);
        byte[] udp = ask(s, "big-web-1", query("web", Type.A), DnsProto.UDP);
        assertTrue(udp.length <= 512);
        Message mu = parse(udp);
        assertTrue(mu.getHeader().getFlag(Flags.TC));
        assertEquals(30, addresses(mu).size(), "(512-21)/16 records fit");
        Message me = parse(ask(s, "big-web-1", query("web", Type.A, 1, 1232), DnsProto.UDP));
        assertFalse(me.getHeader().getFlag(Flags.TC));
        assertEquals(60, addresses(me).size());
        Message mt = parse(ask(s, "big-web-1", query("web", Type.A), DnsProto.TCP));
        assertFalse(mt.getHeader().getFlag(Flags.TC));
        assertEquals(60, new HashSet<>(addresses(mt)).size());
        assertTrue(s.stats().truncated.get() >= 1);
    }

    @Test
    void fastPathAndDnsjavaPathAgree() {
        // a query with the RD bit clear and an odd name goes through dnsjava; same answer set
        for (String name : List.of("database", "DB.p_back", "www", "web")) {
            for (int edns : new int[] {0, 1232}) {
                byte[] q = query(name, Type.A, 99, edns);
                EmbeddedDnsServer fast = server(sample());
                EmbeddedDnsServer slow = server(sample());
                slow.setFastPath(false);
                byte[] f = fast.answerLocally(q, 0, q.length, "p-web-1".equals(name) ? "p-web-1" : "p-app-1", DnsProto.UDP, 0);
                byte[] d = slow.answerLocally(q, 0, q.length, "p-web-1".equals(name) ? "p-web-1" : "p-app-1", DnsProto.UDP, 0);
                if (f == null) {
                    assertNull(d, name);
                    continue;
                }
                assertArrayEquals(d, f, name + " edns " + edns);
            }
        }
    }

    @Test
    void recordChangesAreSeenAtomically() {
        DnsRecords r = sample();
        EmbeddedDnsServer s = server(r);
        DnsIndex before = r.snapshot();
        r.stop("p-db-1");
        assertEquals(Rcode.SERVFAIL, a(s, "p-app-1", "db").getRcode());
        assertNotNull(before.resolve(before.asker("p-app-1"), "db"), "old snapshot unchanged");
        r.start(ctr("p-db-1", "db", "bbbbbbbbbbb1", List.of(ep("p_back", "172.19.0.9"))));
        assertEquals(List.of("172.19.0.9"), addresses(a(s, "p-app-1", "db")));
        r.connect("p-lone-1", ep("p_back", "172.19.0.10"));
        assertEquals(List.of("172.19.0.9"), addresses(a(s, "p-lone-1", "db")));
        r.disconnect("p-lone-1", "p_back");
        assertEquals(Rcode.SERVFAIL, a(s, "p-lone-1", "db").getRcode());
    }

    @Test
    void unknownAskerIsRefused() {
        Message m = a(server(sample()), "nobody", "db");
        assertEquals(Rcode.REFUSED, m.getRcode());
    }

    @Test
    void sameSeedSameBytes() {
        byte[] x = ask(server(sample()), "p-web-1", query("www", Type.A), DnsProto.UDP);
        byte[] y = ask(server(sample()), "p-web-1", query("www", Type.A), DnsProto.UDP);
        assertArrayEquals(x, y);
        assertNotEquals(0, x.length);
        assertNull(server(sample()).answerLocally(new byte[5], 0, 5, "p-web-1", DnsProto.UDP, 0));
    }
}
