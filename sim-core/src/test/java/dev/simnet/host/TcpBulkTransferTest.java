package dev.simnet.host;

import static dev.simnet.host.TwoHosts.ms;
import static dev.simnet.host.TwoHosts.sec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bulk transfers through the two-host harness: byte-exact under loss, jitter and reordering, in bounded virtual time. */
class TcpBulkTransferTest {

    /** Sends {@code total} pseudo-random bytes (seeded) as fast as the send buffer takes them, hashing what it sent. */
    static final class Source implements TcpSocket.Listener {
        final long total;
        final SplittableRandom gen;
        final MessageDigest sha = sha256();
        final byte[] chunk = new byte[16384];
        long queued;
        int chunkLen;
        int chunkOff;

        Source(long total, long seed) {
            this.total = total;
            this.gen = new SplittableRandom(seed);
        }

        @Override
        public void onConnected(TcpSocket s) {
            pump(s);
        }

        @Override
        public void onWritable(TcpSocket s) {
            pump(s);
        }

        void pump(TcpSocket s) {
            while (true) {
                if (chunkOff == chunkLen) {
                    if (queued == total) {
                        s.shutdownOutput();
                        return;
                    }
                    chunkLen = (int) Math.min(chunk.length, total - queued);
                    for (int i = 0; i < chunkLen; i++) {
                        chunk[i] = (byte) gen.nextInt();
                    }
                    sha.update(chunk, 0, chunkLen);
                    queued += chunkLen;
                    chunkOff = 0;
                }
                int n = s.write(chunk, chunkOff, chunkLen - chunkOff);
                chunkOff += n;
                if (n == 0) {
                    return;
                }
            }
        }
    }

    /** Reads everything, hashing it; records the virtual time the FIN arrived. */
    static final class Sink implements TcpSocket.Listener {
        final MessageDigest sha = sha256();
        final byte[] buf = new byte[65536];
        long received;
        long finishedAt = -1;

        @Override
        public void onData(TcpSocket s) {
            int n;
            while ((n = s.read(buf, 0, buf.length)) > 0) {
                sha.update(buf, 0, n);
                received += n;
            }
        }

        @Override
        public void onPeerClosed(TcpSocket s) {
            onData(s);
            finishedAt = s.stack.now();
            s.close();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record Result(long bytes, long virtualNanos, byte[] sentHash, byte[] receivedHash, long retransmits, long fastRetransmits,
                  long timeouts, long dropped, long segments) {
    }

    /** Transfers {@code total} bytes A to B with loss probability {@code loss} and delay 20 ms ± 5 ms (uniform) each way. */
    static Result transfer(long seed, long total, double loss, long bound) {
        return transfer(seed, total, loss, ms(5), bound);
    }

    static Result transfer(long seed, long total, double loss, long jitter, long bound) {
        TwoHosts net = new TwoHosts(seed);
        net.record = false;
        long[] dropped = {0};
        long[] segments = {0};
        net.link = (from, ip, rng) -> {
            segments[0]++;
            if (rng.nextDouble() < loss) {
                dropped[0]++;
                return -1;
            }
            return ms(20) + (jitter == 0 ? 0 : rng.nextLong(-jitter, jitter + 1));
        };
        Sink sink = new Sink();
        net.b.stack.listen(5001, 16, s -> sink);
        Source src = new Source(total, seed * 31 + 7);
        TcpSocket c = net.a.stack.tcp().connect(net.b.addr, 5001, src);
        net.sched.runUntil(bound);
        if (sink.finishedAt > 0) {
            net.sched.runUntil(bound + sec(120)); // past TIME_WAIT: nothing may hold a buffer any more
            assertEquals(0, net.pool.outstanding(), "packet buffers leaked");
        }
        HostCounters ca = net.a.stack.counters();
        return new Result(sink.received, sink.finishedAt, src.sha.digest(), sink.sha.digest(), ca.tcpRetransSegs(),
                ca.tcpFastRetrans(), ca.tcpTimeouts(), dropped[0], segments[0]);
    }

    @Test
    void tenMegabytesByteExactAcrossFivePercentLossAndJitteredDelay() {
        long total = 10L * 1024 * 1024;
        Result r = transfer(42, total, 0.05, sec(1200));
        assertEquals(total, r.bytes(), "every byte arrived");
        assertArrayEquals(r.sentHash(), r.receivedHash(), "SHA-256 of received bytes equals what was sent");
        assertTrue(r.virtualNanos() > 0 && r.virtualNanos() < sec(600), "finished in bounded virtual time: " + r.virtualNanos());
        assertTrue(r.dropped() > 0 && r.retransmits() >= r.dropped() / 2, "losses were repaired: " + r);
        assertTrue(r.fastRetransmits() > 0, "fast retransmit did part of the repair");
        System.out.printf("10 MiB, 5%% loss, 20±5 ms: %.1f s virtual, %.0f kB/s, %d segments, %d dropped, %d retransmitted"
                        + " (%d fast retransmits, %d timeouts)%n", r.virtualNanos() / 1e9, total / (r.virtualNanos() / 1e9) / 1000,
                r.segments(), r.dropped(), r.retransmits(), r.fastRetransmits(), r.timeouts());
    }

    @Test
    void losslessTransferFillsThePipe() {
        long total = 4L * 1024 * 1024;
        Result r = transfer(43, total, 0.0, 0, sec(60));
        assertArrayEquals(r.sentHash(), r.receivedHash());
        assertEquals(0, r.retransmits(), "no loss, no reordering: no retransmission");
        // window-limited: 128 KiB receive buffer per ~40 ms RTT gives about 3 MB/s; 4 MiB takes well under 3 s
        assertTrue(r.virtualNanos() < sec(3), "took " + r.virtualNanos() / 1e9 + " s");
        System.out.printf("4 MiB lossless, 20 ms: %.2f s virtual%n", r.virtualNanos() / 1e9);
    }

    @Test
    void jitterReordersSegmentsButTheStreamStaysExact() {
        // 20 ms ± 5 ms per packet reorders back-to-back segments (as netem's jitter does): spurious fast
        // retransmits happen, the byte stream must not suffer
        Result r = transfer(44, 2L * 1024 * 1024, 0.0, ms(5), sec(60));
        assertEquals(2L * 1024 * 1024, r.bytes());
        assertArrayEquals(r.sentHash(), r.receivedHash());
        assertTrue(r.fastRetransmits() > 0, "reordering beyond three segments looks like loss");
    }

    @Test
    void sameSeedSameRunDifferentSeedDifferentLossPattern() {
        long total = 300_000;
        Result a = transfer(7, total, 0.05, sec(300));
        Result b = transfer(7, total, 0.05, sec(300));
        Result c = transfer(8, total, 0.05, sec(300));
        assertEquals(a.virtualNanos(), b.virtualNanos());
        assertEquals(a.segments(), b.segments());
        assertEquals(a.dropped(), b.dropped());
        assertArrayEquals(a.sentHash(), a.receivedHash());
        assertArrayEquals(c.sentHash(), c.receivedHash());
        assertNotEquals(a.dropped() + "/" + a.segments(), c.dropped() + "/" + c.segments());
        assertNotEquals(a.virtualNanos(), c.virtualNanos(), "another seed, another loss pattern and timing");
    }
}
