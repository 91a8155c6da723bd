package dev.simnet.dns;

import static dev.simnet.dns.DnsTestSupport.ctr;
import static dev.simnet.dns.DnsTestSupport.ep;
import static dev.simnet.dns.DnsTestSupport.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class MalformedQueryTest {
    private final EmbeddedDnsServer server;

    MalformedQueryTest() {
        DnsRecords r = new DnsRecords(List.of());
        r.addNetwork(new DnsNetwork("n", false));
        r.start(ctr("web-1", "web", "0123456789ab", List.of(ep("n", "10.0.0.2"))));
        server = new EmbeddedDnsServer(r, null, new SplittableRandom(3));
    }

    private byte[] ask(byte[] q) {
        List<byte[]> out = new ArrayList<>();
        server.handle(q, 0, q.length, "web-1", DnsProto.UDP, 0, out::add);
        assertTrue(out.size() <= 1);
        return out.isEmpty() ? null : out.get(0);
    }

    private static byte[] header(int id, int flags, int qd, int an, int ns, int ar, int... rest) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int v : new int[] {id, flags, qd, an, ns, ar}) {
            b.write(v >>> 8);
            b.write(v);
        }
        for (int x : rest) {
            b.write(x);
        }
        return b.toByteArray();
    }

    private static void assertRcode(byte[] reply, int id, int rcode) {
        assertEquals(id, DnsWire.u16(reply, 0));
        assertTrue((reply[2] & 0x80) != 0, "QR set");
        assertEquals(rcode, reply[3] & 0x0f);
    }

    @Test
    void shortMessagesAreDroppedAndCounted() {
        assertNull(ask(new byte[] {1, 2, 3}));
        assertNull(ask(new byte[0]));
        assertEquals(2, server.stats().droppedShort.get());
    }

    @Test
    void responsesAreDropped() {
        byte[] q = query("web", Type.A);
        q[2] |= (byte) 0x80;
        assertNull(ask(q));
        assertEquals(1, server.stats().droppedResponse.get());
    }

    @Test
    void otherOpcodesGetNotimp() {
        byte[] q = query("web", Type.A);
        q[2] = (byte) ((q[2] & 0x87) | (2 << 3)); // STATUS
        assertRcode(ask(q), 0x1234, Rcode.NOTIMP);
        assertEquals((2 << 3) | 0x80, ask(q)[2] & 0xf8, "opcode echoed");
    }

    @Test
    void wrongCountsTruncatedQuestionsLoopsAndLongNamesGetFormerr() {
        assertRcode(ask(header(7, 0x0100, 2, 0, 0, 0, 3, 'w', 'e', 'b', 0, 0, 1, 0, 1)), 7, Rcode.FORMERR);
        assertRcode(ask(header(8, 0x0100, 0, 0, 0, 0)), 8, Rcode.FORMERR);
        assertRcode(ask(header(9, 0x0100, 1, 0, 0, 0)), 9, Rcode.FORMERR);
        assertRcode(ask(header(10, 0x0100, 1, 0, 0, 0, 3, 'w', 'e')), 10, Rcode.FORMERR);
        assertRcode(ask(header(11, 0x0100, 1, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1)), 11, Rcode.FORMERR);
        assertRcode(ask(header(12, 0x0100, 1, 0, 0, 0, 0x40, 'x', 0, 0, 1, 0, 1)), 12, Rcode.FORMERR);
        assertRcode(ask(header(13, 0x0100, 1, 0, 0, 5, 3, 'w', 'e', 'b', 0, 0, 1, 0, 1)), 13, Rcode.FORMERR);
        ByteArrayOutputStream longName = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            longName.write(63);
            for (int j = 0; j < 63; j++) {
                longName.write('a');
            }
        }
        longName.write(0);
        byte[] body = longName.toByteArray();
        byte[] h = header(14, 0x0100, 1, 0, 0, 0);
        byte[] q = new byte[h.length + body.length + 4];
        System.arraycopy(h, 0, q, 0, h.length);
        System.arraycopy(body, 0, q, h.length, body.length);
        q[q.length - 3] = 1;
        q[q.length - 1] = 1;
        assertRcode(ask(q), 14, Rcode.FORMERR);
        assertEquals(8, server.stats().formerr.get());
    }

    @Test
    void randomGarbageNeverCrashesAndEveryReplyIsWellFormed() {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] base = query("web", Type.A, 0x0101, 1232);
        AuthoritativeServer auth = new AuthoritativeServer(List.of(AuthoritativeServer.Zone.parse("example.org",
                "@ 60 IN SOA ns admin 1 1 1 1 1\nweb 60 IN A 1.2.3.4\n")));
        for (int i = 0; i < 20_000; i++) {
            byte[] q;
            if (i % 3 == 0) {
                q = new byte[rnd.nextInt(0, 80)];
                rnd.nextBytes(q);
            } else {
                q = java.util.Arrays.copyOf(base, rnd.nextInt(0, base.length + 8));
                for (int k = rnd.nextInt(1, 4); k > 0 && q.length > 0; k--) {
                    q[rnd.nextInt(q.length)] ^= (byte) rnd.nextInt(1, 256);
                }
            }
            byte[] r = ask(q);
            if (r != null) {
                assertTrue(r.length >= 12 && r.length <= 512);
                assertEquals(DnsWire.u16(q, 0), DnsWire.u16(r, 0));
            }
            byte[] ar = auth.answer(q, 0, q.length, DnsProto.UDP, 0);
            if (ar != null) {
                assertTrue(ar.length >= 12 && ar.length <= 512);
            }
        }
        assertTrue(server.stats().dropped() > 0 && server.stats().formerr.get() > 0);
    }
}
