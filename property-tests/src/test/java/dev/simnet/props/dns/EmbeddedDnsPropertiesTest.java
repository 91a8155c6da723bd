package dev.simnet.props.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.dns.DnsContainer;
import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.DnsProto;
import dev.simnet.dns.DnsRecords;
import dev.simnet.dns.EmbeddedDnsServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Docker's embedded DNS rules, checked against a separately written reference model over random topologies. */
class EmbeddedDnsPropertiesTest {
    static final String[] SERVICE_NAMES = {"web", "db", "api", "cache"};
    static final String[] ALIAS_POOL = {"db", "web", "shared", "x.y"};

    @Provide
    Arbitrary<Topo> topologies() {
        Arbitrary<Topo.Service> service = Combinators.combine(
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(0, 3).list().ofMinSize(1).ofMaxSize(3).uniqueElements(),
                Arbitraries.of(ALIAS_POOL).list().ofMaxSize(2).uniqueElements(),
                Arbitraries.of("", "", "box", "web"),
                Arbitraries.of("", "", "sql", "db"),
                Arbitraries.integers().between(0, 3)
        ).as((replicas, nets, aliases, hostname, linkAlias, linkTarget) ->
                new Topo.Service("?", replicas, nets, aliases, hostname, linkAlias, SERVICE_NAMES[linkTarget]));
        return Combinators.combine(Arbitraries.of(true, false).list().ofSize(4), service.list().ofMinSize(1).ofMaxSize(4))
                .as((internal, specs) -> {
                    List<Topo.Service> named = new ArrayList<>();
                    for (int i = 0; i < specs.size(); i++) {
                        Topo.Service s = specs.get(i);
                        named.add(new Topo.Service(SERVICE_NAMES[i], s.replicas(), s.networks(), s.aliases(), s.hostname(),
                                s.linkAlias(), s.linkTarget()));
                    }
                    return new Topo(internal, named);
                });
    }

    static byte[] query(String name, int type, int id) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
            m.getHeader().setID(id);
            return m.toWire();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Message ask(EmbeddedDnsServer s, String asker, byte[] q) {
        List<byte[]> out = new ArrayList<>();
        s.handle(q, 0, q.length, asker, DnsProto.UDP, 0, out::add);
        assertEquals(1, out.size(), "one answer");
        try {
            return new Message(out.get(0));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static EmbeddedDnsServer server(Topo t, long seed) {
        DnsRecords r = new DnsRecords(List.of());
        r.replaceAll(t.dnsNetworks(), t.containers(), List.of());
        return new EmbeddedDnsServer(r, null, new SplittableRandom(seed));
    }

    static Set<Integer> addresses(Message m) {
        Set<Integer> s = new HashSet<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            byte[] b = ((ARecord) r).getAddress().getAddress();
            s.add(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }
        return s;
    }

    @Property(tries = 150)
    void everyContainerGetsTheReferenceAnswerForEveryName(@ForAll("topologies") Topo topo) {
        EmbeddedDnsServer s = server(topo, 1);
        List<DnsContainer> all = topo.containers();
        for (DnsContainer asker : all) {
            for (String name : topo.probeNames()) {
                Set<Integer> want = DockerDnsReference.resolve(all, topo.internalNetworks(), asker, name);
                Message m = ask(s, asker.name(), query(name, Type.A, 7));
                if (want == null) {
                    assertEquals(Rcode.SERVFAIL, m.getRcode(), () -> asker.name() + " asks " + name + ": not a container name");
                } else {
                    assertEquals(Rcode.NOERROR, m.getRcode(), () -> asker.name() + " asks " + name);
                    assertEquals(want, addresses(m), () -> asker.name() + " asks " + name);
                    assertEquals(want.size(), m.getSection(Section.ANSWER).size(), "no duplicates");
                }
            }
        }
    }

    @Property(tries = 150)
    void aNameNeverResolvesAcrossNetworksTheAskerIsNotOn(@ForAll("topologies") Topo topo) {
        EmbeddedDnsServer s = server(topo, 2);
        List<DnsContainer> all = topo.containers();
        for (DnsContainer asker : all) {
            Set<String> mine = new HashSet<>();
            asker.endpoints().forEach(ep -> mine.add(ep.network()));
            Set<Integer> reachable = new HashSet<>();
            for (DnsContainer c : all) {
                for (DnsEndpoint ep : c.endpoints()) {
                    if (mine.contains(ep.network())) {
                        reachable.add(ep.address().bits());
                    }
                }
            }
            for (String name : topo.probeNames()) {
                Message m = ask(s, asker.name(), query(name, Type.A, 9));
                for (int a : addresses(m)) {
                    assertTrue(reachable.contains(a), () -> asker.name() + " got " + a + " for " + name);
                }
            }
        }
    }

    @Property(tries = 100)
    void fastPathAndDnsjavaPathGiveTheSameBytes(@ForAll("topologies") Topo topo) {
        EmbeddedDnsServer fast = server(topo, 3);
        EmbeddedDnsServer slow = server(topo, 3);
        slow.setFastPath(false);
        for (DnsContainer asker : topo.containers()) {
            for (String name : topo.probeNames()) {
                byte[] q = query(name, Type.A, 11);
                byte[] a = fast.answerLocally(q, 0, q.length, asker.name(), DnsProto.UDP, 0);
                byte[] b = slow.answerLocally(q, 0, q.length, asker.name(), DnsProto.UDP, 0);
                assertArrayEquals(b, a, () -> asker.name() + " asks " + name);
            }
        }
    }

    @Property(tries = 100)
    void knownNamesGiveEmptyNoerrorForAaaaAndPtrNamesTheContainer(@ForAll("topologies") Topo topo) {
        EmbeddedDnsServer s = server(topo, 4);
        List<DnsContainer> all = topo.containers();
        for (DnsContainer asker : all) {
            for (DnsContainer target : all) {
                boolean visible = DockerDnsReference.resolve(all, topo.internalNetworks(), asker, target.name()) != null;
                Message aaaa = ask(s, asker.name(), query(target.name(), Type.AAAA, 5));
                assertEquals(visible ? Rcode.NOERROR : Rcode.SERVFAIL, aaaa.getRcode());
                assertEquals(0, aaaa.getSection(Section.ANSWER).size());
                for (DnsEndpoint ep : target.endpoints()) {
                    boolean shared = asker.endpoints().stream().anyMatch(e -> e.network().equals(ep.network()));
                    byte[] b = new byte[4];
                    int bits = ep.address().bits();
                    String rev = (bits & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + ((bits >>> 16) & 0xff) + "."
                            + (bits >>> 24) + ".in-addr.arpa";
                    Message ptr = ask(s, asker.name(), query(rev, Type.PTR, 6));
                    if (shared) {
                        assertEquals(Rcode.NOERROR, ptr.getRcode());
                        assertEquals(target.name() + "." + ep.network() + ".",
                                ptr.getSection(Section.ANSWER).get(0).rdataToString());
                        assertEquals(600, ptr.getSection(Section.ANSWER).get(0).getTTL());
                    } else {
                        assertEquals(Rcode.SERVFAIL, ptr.getRcode(), "not on that network: forwarded");
                    }
                    assertEquals(4, b.length);
                }
            }
        }
    }
}
