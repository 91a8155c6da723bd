package dev.simnet.props.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simnet.dns.AuthoritativeServer;
import dev.simnet.dns.DnsProto;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** Every record type the servers hand out survives the trip to wire bytes and back unchanged. */
class DnsEncodingPropertiesTest {
    static final Name ORIGIN = Name.fromConstantString("zone.test.");

    @Provide
    Arbitrary<Record> records() {
        Arbitrary<Name> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1)
                .ofMaxLength(20).filter(s -> !s.startsWith("-") && !s.endsWith("-"))
                .map(s -> Name.fromConstantString(s + ".zone.test."));
        Arbitrary<Long> ttl = Arbitraries.longs().between(0, 2_147_483_647L);
        Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<Record> a = Combinators.combine(label, ttl, v4).as((n, t, b) -> new ARecord(n, DClass.IN, t, inet(b)));
        Arbitrary<Record> aaaa = Combinators.combine(label, ttl, v6).as((n, t, b) -> new AAAARecord(n, DClass.IN, t, inet(b)));
        Arbitrary<Record> cname = Combinators.combine(label, ttl, label).as((n, t, x) -> new CNAMERecord(n, DClass.IN, t, x));
        Arbitrary<Record> ns = Combinators.combine(label, ttl, label).as((n, t, x) -> new NSRecord(n, DClass.IN, t, x));
        Arbitrary<Record> ptr = Combinators.combine(label, ttl, label).as((n, t, x) -> new PTRRecord(n, DClass.IN, t, x));
        Arbitrary<Record> mx = Combinators.combine(label, ttl, Arbitraries.integers().between(0, 65535), label)
                .as((n, t, p, x) -> new MXRecord(n, DClass.IN, t, p, x));
        Arbitrary<Record> txt = Combinators.combine(label, ttl,
                Arbitraries.strings().ascii().ofMaxLength(200).filter(x -> x.indexOf(0x5c) < 0).list().ofMinSize(1).ofMaxSize(3))
                .as((n, t, s) -> new TXTRecord(n, DClass.IN, t, s));
        return Arbitraries.oneOf(a, aaaa, cname, ns, ptr, mx, txt);
    }

    static InetAddress inet(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 300)
    void recordsRoundTripThroughTheAuthoritativeServer(@ForAll("records") Record rec) throws IOException {
        SOARecord soa = new SOARecord(ORIGIN, DClass.IN, 300, Name.fromConstantString("ns.zone.test."),
                Name.fromConstantString("admin.zone.test."), 1, 7200, 3600, 1209600, 300);
        List<Record> recs = new ArrayList<>(List.of(soa, rec));
        AuthoritativeServer s = new AuthoritativeServer(List.of(new AuthoritativeServer.Zone(ORIGIN, recs)));
        byte[] q = Message.newQuery(Record.newRecord(rec.getName(), rec.getType(), DClass.IN)).toWire();
        byte[] a = s.answer(q, 0, q.length, DnsProto.TCP, 0);
        Message m = new Message(a);
        assertEquals(List.of(rec), m.getSection(Section.ANSWER));
        assertEquals(rec.getTTL(), m.getSection(Section.ANSWER).get(0).getTTL());
        Message again = new Message(m.toWire());
        assertEquals(m.getSection(Section.ANSWER), again.getSection(Section.ANSWER));
        SOARecord soaBack = (SOARecord) new Message(s.answer(
                Message.newQuery(Record.newRecord(ORIGIN, org.xbill.DNS.Type.SOA, DClass.IN)).toWire(), 0,
                Message.newQuery(Record.newRecord(ORIGIN, org.xbill.DNS.Type.SOA, DClass.IN)).toWire().length,
                DnsProto.UDP, 0)).getSection(Section.ANSWER).get(0);
        assertEquals(soa, soaBack);
    }
}
