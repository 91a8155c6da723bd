package dev.simnet.dns;

import dev.simnet.addr.Ipv4Address;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builders and decoders shared by the DNS tests. */
final class DnsTestSupport {
    private DnsTestSupport() {
    }

    static DnsContainer ctr(String name, String service, String id, List<DnsEndpoint> eps) {
        return new DnsContainer(name, id, id, service, eps, Map.of(), List.of());
    }

    static DnsEndpoint ep(String net, String addr, String... aliases) {
        return new DnsEndpoint(net, Ipv4Address.parse(addr), List.of(aliases));
    }

    static byte[] query(String name, int type) {
        return query(name, type, 0x1234, 0);
    }

    static byte[] query(String name, int type, int id, int edns) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
            m.getHeader().setID(id);
            if (edns > 0) {
                m.addRecord(new OPTRecord(edns, 0, 0), Section.ADDITIONAL);
            }
            return m.toWire();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Message parse(byte[] b) {
        try {
            return new Message(b);
        } catch (IOException e) {
            throw new AssertionError("unparseable answer", e);
        }
    }

    static List<String> addresses(Message m) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress().getHostAddress());
            }
        }
        return out;
    }

    /** Synchronous answer through {@link DnsHandler#handle} (fails if none came). */
    static byte[] ask(DnsHandler h, String asker, byte[] q, DnsProto proto) {
        byte[][] out = new byte[1][];
        h.handle(q, 0, q.length, asker, proto, 0, r -> out[0] = r);
        return out[0];
    }
}
