package dev.simnet.ip;

import dev.simnet.device.Frames;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IPv4 reassembly ({@code net/ipv4/ip_fragment.c}): fragments are collected per (source,
 * destination, id, protocol); a complete datagram is returned as a new buffer; overlapping
 * fragments discard the whole queue (as Linux has done since 2018); a queue not completed within
 * {@code ipfrag_time} (30 s) expires and, if its first fragment arrived, the caller is told so it can
 * send ICMP time exceeded (fragment reassembly time exceeded).
 */
public final class Reassembler {
    /** What happens on a timeout. */
    public interface Expiry {
        /** The queue expired; {@code firstFragment} (borrowed, starting at its IPv4 header) is non-null if offset 0 arrived. */
        void expired(PacketBuffer firstFragment, long now);
    }

    /** Linux's ipfrag_time: 30 s. */
    public static final long IPFRAG_TIME_NS = 30_000_000_000L;

    private final Scheduler scheduler;
    private final PacketPool pool;
    private final Expiry expiry;
    private final Map<Key, Queue> queues = new LinkedHashMap<>();
    private long timeoutNs = IPFRAG_TIME_NS;

    /** Datagrams reassembled (ReasmOKs). */
    public long reassembled;
    /** Reassembly failures (ReasmFails): timeouts and overlaps. */
    public long failed;

    /** A reassembler. */
    public Reassembler(Scheduler scheduler, PacketPool pool, Expiry expiry) {
        this.scheduler = scheduler;
        this.pool = pool;
        this.expiry = expiry;
    }

    /** Changes ipfrag_time. */
    public void setTimeoutNs(long timeoutNs) {
        this.timeoutNs = timeoutNs;
    }

    /** Queues in progress. */
    public int pending() {
        return queues.size();
    }

    private record Key(int src, int dst, int id, int proto) {
    }

    private final class Queue implements Event {
        final Key key;
        final byte[] payload = new byte[65536];
        final boolean[] have = new boolean[65536 / 8 + 1];
        int totalPayload = -1;
        int received;
        PacketBuffer first;
        long timerId;

        Queue(Key key) {
            this.key = key;
        }

        @Override
        public void fire(long now) {
            if (queues.remove(key) == this) {
                failed++;
                if (first != null) {
                    expiry.expired(first, now);
                    first.release();
                    first = null;
                }
            }
        }

        void discard() {
            scheduler.cancel(timerId);
            queues.remove(key);
            failed++;
            if (first != null) {
                first.release();
                first = null;
            }
        }
    }

    /**
     * Adds one fragment (buffer starting at its IPv4 header, {@code networkOffset} set). Consumes it.
     *
     * @return the whole datagram (a new buffer, starting at its IPv4 header) when complete, else null
     */
    public PacketBuffer add(PacketBuffer p, long now) {
        byte[] b = p.data();
        int ip = p.start();
        int hlen = Frames.ipHeaderLength(b, ip);
        int tot = Frames.u16(b, ip + Frames.IP_LEN);
        int frag = Frames.u16(b, ip + Frames.IP_FRAG);
        int off = (frag & Frames.IP_OFFMASK) << 3;
        boolean more = (frag & Frames.IP_MF) != 0;
        int len = tot - hlen;
        Key k = new Key(Frames.u32(b, ip + Frames.IP_SRC), Frames.u32(b, ip + Frames.IP_DST),
                Frames.u16(b, ip + Frames.IP_ID), b[ip + Frames.IP_PROTO] & 0xff);
        Queue q = queues.get(k);
        if (q == null) {
            q = new Queue(k);
            queues.put(k, q);
            q.timerId = scheduler.schedule(now + timeoutNs, q);
        }
        if (off + len > 65535 - hlen || (more && (len & 7) != 0) || len <= 0 && more) {
            q.discard();
            p.release();
            return null;
        }
        if (!more) {
            if (q.totalPayload >= 0 && q.totalPayload != off + len) {
                q.discard();
                p.release();
                return null;
            }
            q.totalPayload = off + len;
        }
        for (int u = off >> 3; u < (off + len + 7) >> 3; u++) {
            if (q.have[u]) {
                q.discard();
                p.release();
                return null;
            }
        }
        for (int u = off >> 3; u < (off + len + 7) >> 3; u++) {
            q.have[u] = true;
        }
        System.arraycopy(b, ip + hlen, q.payload, off, len);
        q.received += len;
        if (off == 0) {
            q.first = p;
        } else {
            p.release();
        }
        if (q.totalPayload < 0 || q.received < q.totalPayload || q.first == null) {
            return null;
        }
        scheduler.cancel(q.timerId);
        queues.remove(k);
        PacketBuffer first = q.first;
        int fh = Frames.ipHeaderLength(first.data(), first.start());
        PacketBuffer out = pool.acquire();
        out.setLength(fh + q.totalPayload);
        byte[] o = out.data();
        int s = out.start();
        System.arraycopy(first.data(), first.start(), o, s, fh);
        System.arraycopy(q.payload, 0, o, s + fh, q.totalPayload);
        Frames.put16(o, s + Frames.IP_LEN, fh + q.totalPayload);
        Frames.put16(o, s + Frames.IP_FRAG, Frames.u16(o, s + Frames.IP_FRAG) & Frames.IP_DF);
        Frames.setIpChecksum(o, s);
        out.networkOffset = s;
        out.ingressIfindex = first.ingressIfindex;
        out.mark = first.mark;
        first.release();
        reassembled++;
        return out;
    }
}
