package dev.simnet.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.Event;
import dev.simnet.sched.RandomStreams;
import dev.simnet.sched.Scheduler;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The established TCP path (segment in, ACK/data out, ring buffers, timers, notifications) and the
 * UDP receive path allocate nothing per packet. The two stacks are joined by a fixed-delay link
 * that itself allocates nothing (a FIFO ring and one event), so every byte counted is the stack's.
 */
class HostStackAllocationTest {
    static final long MS = 1_000_000L;

    /** Two stacks on a constant-delay link: a FIFO of (time, packet) and one self-rescheduling event. */
    static final class Pair {
        final Scheduler sched = new Scheduler();
        final PacketPool pool = new PacketPool(2048);
        final End a = new End(0x0a000001);
        final End b = new End(0x0a000002);
        final RandomStreams streams = new RandomStreams(3);

        Pair() {
            a.peer = b;
            b.peer = a;
            a.stack = new HostStack("a", sched, a, pool, streams.stream("host/a"), x -> x == a.addr);
            b.stack = new HostStack("b", sched, b, pool, streams.stream("host/b"), x -> x == b.addr);
        }

        final class End implements IpOutput, Event {
            final int addr;
            End peer;
            HostStack stack;
            PacketBuffer[] q = new PacketBuffer[4096];
            long[] t = new long[4096];
            int head;
            int count;
            boolean scheduled;

            End(int addr) {
                this.addr = addr;
            }

            @Override
            public int sendIpv4(PacketBuffer seg, int src, int dst, int protocol, int ttl, int tos, boolean df, long now) {
                int len = seg.length() + 20;
                int o = seg.push(20);
                byte[] d = seg.data();
                d[o] = 0x45;
                Inet.w16(d, o + 2, len);
                d[o + 8] = (byte) ttl;
                d[o + 9] = (byte) protocol;
                Inet.w32(d, o + 12, src);
                Inet.w32(d, o + 16, dst);
                seg.networkOffset = o;
                End to = peer;
                int i = (to.head + to.count) & (to.q.length - 1);
                to.q[i] = seg;
                to.t[i] = now + MS;
                to.count++;
                if (!to.scheduled) {
                    to.scheduled = true;
                    sched.schedule(now + MS, to);
                }
                return 0;
            }

            @Override
            public void fire(long now) {
                while (count > 0 && t[head] <= now) {
                    PacketBuffer p = q[head];
                    q[head] = null;
                    head = (head + 1) & (q.length - 1);
                    count--;
                    byte[] d = p.data();
                    int n = p.networkOffset;
                    int tot = Inet.u16(d, n + 2);
                    stack.receive(p, n + 20, tot - 20, Inet.i32(d, n + 12), Inet.i32(d, n + 16), d[n + 9] & 0xff, d[n + 8] & 0xff, now);
                }
                scheduled = count > 0;
                if (scheduled) {
                    sched.schedule(t[head], this);
                }
            }

            @Override
            public int sourceAddressFor(int dst) {
                return addr;
            }

            @Override
            public int mtuFor(int dst) {
                return 1500;
            }
        }
    }

    static com.sun.management.ThreadMXBean mx() {
        com.sun.management.ThreadMXBean mx;
        try {
            mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        } catch (ClassCastException e) {
            mx = null;
        }
        assumeTrue(mx != null && mx.isThreadAllocatedMemorySupported(), "this JVM cannot report per-thread allocation");
        mx.setThreadAllocatedMemoryEnabled(true);
        return mx;
    }

    @Test
    void establishedTcpTransferAllocatesNothingPerSegment() {
        com.sun.management.ThreadMXBean mx = mx();
        Pair net = new Pair();
        TcpBulkTransferTest.Sink sink = new TcpBulkTransferTest.Sink();
        net.b.stack.listen(5001, 16, s -> sink);
        TcpBulkTransferTest.Source src = new TcpBulkTransferTest.Source(1L << 40, 1);
        net.a.stack.tcp().connect(net.b.addr, 5001, src);
        net.sched.runFor(2000 * MS); // handshake, slow start, JIT warm-up
        List<PacketBuffer> spare = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            spare.add(net.pool.acquire());
        }
        spare.forEach(PacketBuffer::release);
        long pooled = net.pool.allocatedCount();
        long segs0 = net.a.stack.counters().tcpOutSegs() + net.b.stack.counters().tcpOutSegs();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        net.sched.runFor(1000 * MS);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        long segs = net.a.stack.counters().tcpOutSegs() + net.b.stack.counters().tcpOutSegs() - segs0;
        assertTrue(segs > 50_000, "the transfer was running: " + segs);
        assertEquals(pooled, net.pool.allocatedCount());
        // a few hundred bytes of slack for the measurement itself; nothing that scales with segments
        assertTrue(allocated < 2048, allocated + " bytes allocated for " + segs + " segments");
    }

    @Test
    void udpReceivePathAllocatesNothingPerDatagram() {
        com.sun.management.ThreadMXBean mx = mx();
        Pair net = new Pair();
        UdpSocket server = net.b.stack.udp().bind(0, 9);
        byte[] buf = new byte[2048];
        int[] got = {0};
        server.setListener(s -> {
            while (s.receive(buf, 0, buf.length) >= 0) {
                got[0]++;
            }
        });
        UdpSocket client = net.a.stack.udp().connect(net.b.addr, 9);
        byte[] payload = new byte[512];
        Event sender = new Event() {
            @Override
            public void fire(long now) {
                client.send(payload, 0, payload.length);
                net.sched.schedule(now + 10_000, this);
            }
        };
        net.sched.schedule(0, sender);
        net.sched.runFor(200 * MS);
        long tid = Thread.currentThread().getId();
        int before0 = got[0];
        long before = mx.getThreadAllocatedBytes(tid);
        net.sched.runFor(200 * MS);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        int n = got[0] - before0;
        assertEquals(20_000, n);
        assertTrue(allocated < 2048, allocated + " bytes allocated for " + n + " datagrams");
    }
}
