package dev.simnet.bench.dns;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.bench.BenchBase;
import dev.simnet.dns.DnsContainer;
import dev.simnet.dns.DnsEndpoint;
import dev.simnet.dns.DnsNetwork;
import dev.simnet.dns.DnsProto;
import dev.simnet.dns.DnsRecords;
import dev.simnet.dns.EmbeddedDnsServer;
import dev.simnet.dns.ReplySink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Queries answered per second by the embedded DNS core, wire bytes in to wire bytes out, no
 * socket I/O: a project with 3 networks and 40 containers; the asker looks up single-address
 * names (container names, round-robin over 16 of them), a 3-replica service name, and the same
 * single-address lookup through the dnsjava path (fast path off) for comparison. Target: at most
 * 1000 ns per simple A lookup on one core.
 */
public class ResolverBench extends BenchBase {
    EmbeddedDnsServer server;
    EmbeddedDnsServer dnsjavaOnly;
    byte[][] singleQueries;
    byte[] replicaQuery;
    byte[] ednsQuery;
    int next;
    byte[] last;
    final ReplySink sink = r -> last = r;

    @Setup
    public void setup() throws IOException {
        DnsRecords r = new DnsRecords(List.of("203.0.113.53"));
        String[] nets = {"shop_front", "shop_back", "shop_data"};
        List<DnsContainer> cs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String service = i < 3 ? "web" : "svc" + i;
            List<DnsEndpoint> eps = List.of(new DnsEndpoint(nets[i % 3], Ipv4Address.of(172, 18 + i % 3, 0, 2 + i), List.of("alias" + i)));
            cs.add(new DnsContainer("shop-" + service + "-" + (i + 1), String.format("%012x", 0xabcdef000L + i),
                    String.format("%012x", 0xabcdef000L + i), service, eps, Map.of(), List.of()));
        }
        cs.add(new DnsContainer("shop-client-1", "0000000000ff", "0000000000ff", "client",
                List.of(new DnsEndpoint("shop_front", Ipv4Address.of(172, 18, 1, 1), List.of()),
                        new DnsEndpoint("shop_back", Ipv4Address.of(172, 19, 1, 1), List.of()),
                        new DnsEndpoint("shop_data", Ipv4Address.of(172, 20, 1, 1), List.of())), Map.of(), List.of()));
        r.replaceAll(List.of(new DnsNetwork(nets[0], false), new DnsNetwork(nets[1], false), new DnsNetwork(nets[2], false)),
                cs, List.of("203.0.113.53"));
        server = new EmbeddedDnsServer(r, null, new SplittableRandom(1));
        dnsjavaOnly = new EmbeddedDnsServer(r, null, new SplittableRandom(1));
        dnsjavaOnly.setFastPath(false);
        singleQueries = new byte[16][];
        for (int i = 0; i < 16; i++) {
            singleQueries[i] = query("shop-svc" + (i + 3) + "-" + (i + 4), 0);
        }
        replicaQuery = query("web", 0);
        ednsQuery = query("alias17", 1232);
    }

    static byte[] query(String name, int edns) throws IOException {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
        m.getHeader().setID(0x5151);
        if (edns > 0) {
            m.addRecord(new OPTRecord(edns, 0, 0), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    /** A lookup of one container name (one address), fast path. */
    @Benchmark
    public byte[] simpleA() {
        byte[] q = singleQueries[next++ & 15];
        server.handle(q, 0, q.length, "shop-client-1", DnsProto.UDP, 0, sink);
        return last;
    }

    /** A lookup with an EDNS OPT record in the query. */
    @Benchmark
    public byte[] simpleAWithEdns() {
        server.handle(ednsQuery, 0, ednsQuery.length, "shop-client-1", DnsProto.UDP, 0, sink);
        return last;
    }

    /** Three replicas behind one name: all addresses, shuffled. */
    @Benchmark
    public byte[] replicasShuffled() {
        server.handle(replicaQuery, 0, replicaQuery.length, "shop-client-1", DnsProto.UDP, 0, sink);
        return last;
    }

    /** The same simple lookup through dnsjava's Message parsing and rendering (fast path off). */
    @Benchmark
    public byte[] simpleADnsjavaPath() {
        byte[] q = singleQueries[next++ & 15];
        dnsjavaOnly.handle(q, 0, q.length, "shop-client-1", DnsProto.UDP, 0, sink);
        return last;
    }
}
