package dev.simnet.neigh;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.device.AbstractDevice;
import dev.simnet.device.Frames;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;
import dev.simnet.trace.TraceSink;
import dev.simnet.wire.Bytes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ARP neighbour table of one interface ({@code net/core/neighbour.c}, {@code net/ipv4/arp.c}):
 * entries keyed by IPv4 address with Linux's state machine and timers — INCOMPLETE with broadcast
 * requests every second and FAILED after 3, REACHABLE for a reachable time drawn in 15–45 s, then
 * STALE, DELAY for 5 s on use, PROBE with 3 unicast requests a second apart, then FAILED. Packets
 * wait in a per-entry queue (bounded by {@code unres_qlen_bytes}, oldest dropped) while resolution is
 * pending, and get an ICMP host unreachable through {@link Host#resolutionFailed} when it fails.
 * Lookups go through an open-addressing int table, so resolved output allocates nothing.
 */
public final class NeighTable {
    /** What the table needs from its namespace. */
    public interface Host {
        /** The source address for an ARP request for {@code target} ({@code inet_select_addr}), or 0. */
        int selectSource(AbstractDevice dev, int target);

        /** True when {@code addr} is a local address of the namespace. */
        boolean isLocalAddress(int addr);

        /** A queued packet (starting at its IPv4 header) whose next hop could not be resolved. */
        void resolutionFailed(PacketBuffer ipPacket, long now);
    }

    private final AbstractDevice dev;
    private final Scheduler scheduler;
    private final PacketPool pool;
    private final Host host;
    private final SplittableRandom rnd;
    private final NeighParms parms = new NeighParms();
    private long reachableNs;
    private long lastRand;
    private TraceSink trace;

    private int[] keys = new int[16];
    private Entry[] vals = new Entry[16];
    private int count;
    private long nextSeq;

    /** ARP requests sent. */
    public long requestsSent;
    /** ARP replies sent. */
    public long repliesSent;
    /** Packets dropped from full or failed queues. */
    public long queueDrops;

    /** A table for {@code dev}; {@code rnd} draws the reachable time. */
    public NeighTable(AbstractDevice dev, Scheduler scheduler, PacketPool pool, Host host, SplittableRandom rnd) {
        this.dev = dev;
        this.scheduler = scheduler;
        this.pool = pool;
        this.host = host;
        this.rnd = rnd;
        this.reachableNs = randReachable();
        this.lastRand = scheduler.now();
    }

    /** The interface. */
    public AbstractDevice device() {
        return dev;
    }

    /** Parameters (mutable, like the sysctls). */
    public NeighParms parms() {
        return parms;
    }

    /** The current randomised reachable time. */
    public long reachableNs() {
        return reachableNs;
    }

    /** Installs a trace sink. */
    public void setTrace(TraceSink trace) {
        this.trace = trace;
    }

    private long randReachable() {
        long base = parms.baseReachableNs;
        return base == 0 ? 0 : (base >> 1) + (long) (rnd.nextDouble() * base);
    }

    private long reachable(long now) {
        if (now - lastRand >= parms.rerandomizeNs) {
            lastRand = now;
            reachableNs = randReachable();
        }
        return reachableNs;
    }

    // ---- table ----
    private static int slot(int ip, int mask) {
        return (ip * 0x9E3779B9 >>> 16) & mask;
    }

    /** The entry for {@code ip}, or null. */
    public Entry lookup(int ip) {
        int mask = keys.length - 1;
        int i = slot(ip, mask);
        while (true) {
            int k = keys[i];
            if (k == ip && vals[i] != null) {
                return vals[i];
            }
            if (vals[i] == null) {
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    private Entry create(int ip) {
        if ((count + 1) * 2 > keys.length) {
            int[] ok = keys;
            Entry[] ov = vals;
            keys = new int[ok.length * 2];
            vals = new Entry[ok.length * 2];
            count = 0;
            for (int i = 0; i < ok.length; i++) {
                if (ov[i] != null) {
                    put(ov[i]);
                }
            }
        }
        Entry e = new Entry(ip, nextSeq++);
        put(e);
        return e;
    }

    private void put(Entry e) {
        int mask = keys.length - 1;
        int i = slot(e.ip, mask);
        while (vals[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = e.ip;
        vals[i] = e;
        count++;
    }

    /** Removes an entry ({@code ip neigh del}). */
    public void delete(int ip) {
        Entry e = lookup(ip);
        if (e == null) {
            return;
        }
        e.cancelTimer();
        e.dropQueue(false, 0);
        List<Entry> rest = new ArrayList<>();
        for (Entry x : vals) {
            if (x != null && x != e) {
                rest.add(x);
            }
        }
        keys = new int[keys.length];
        vals = new Entry[vals.length];
        count = 0;
        for (Entry x : rest) {
            put(x);
        }
    }

    /** Entries, newest first (as a fresh hash bucket lists them). */
    public List<Entry> entries() {
        List<Entry> l = new ArrayList<>(count);
        for (Entry e : vals) {
            if (e != null) {
                l.add(e);
            }
        }
        l.sort((a, b) -> Long.compare(b.seq, a.seq));
        return l;
    }

    // ---- output ----

    /**
     * Sends an IPv4 packet (buffer starting at its IPv4 header) to next hop {@code nexthop} on this
     * interface: at once with the cached MAC, or queued while ARP resolves ({@code neigh_resolve_output}).
     */
    public void output(PacketBuffer p, int nexthop, long now) {
        Entry e = lookup(nexthop);
        if (e == null) {
            e = create(nexthop);
        }
        e.used = now;
        switch (e.state) {
            case REACHABLE, PERMANENT, DELAY, PROBE -> send(p, e.mac, now);
            case STALE -> {
                e.state = NeighState.DELAY;
                e.updated = now;
                e.armTimer(now + parms.delayProbeNs);
                if (trace != null) {
                    trace.trace(now, dev.namespaceName(), "arp", dev.name() + ": " + ipText(nexthop) + " STALE -> DELAY");
                }
                send(p, e.mac, now);
            }
            case NONE, FAILED -> {
                if (parms.mcastProbes + parms.appProbes == 0) {
                    e.state = NeighState.FAILED;
                    queueDrops++;
                    p.release();
                    return;
                }
                e.probes = parms.ucastProbes;
                e.state = NeighState.INCOMPLETE;
                e.updated = now;
                e.armTimer(now + Math.max(parms.retransNs, 10_000_000L));
                e.enqueue(p);
                if (trace != null) {
                    trace.trace(now, dev.namespaceName(), "arp", dev.name() + ": " + ipText(nexthop)
                            + " unknown: INCOMPLETE, packet queued, who-has broadcast");
                }
                e.probe(now);
            }
            case INCOMPLETE -> e.enqueue(p);
            default -> throw new IllegalStateException();
        }
    }

    private void send(PacketBuffer p, long dstMac, long now) {
        int s = p.push(Frames.ETH_HLEN);
        Frames.writeEth(p.data(), s, dstMac, dev.mac(), Frames.ETH_P_IP);
        dev.transmit(p, now);
    }

    // ---- ARP input ----

    /** {@code neigh_event_ns}: a request from {@code ip} for one of our addresses creates or refreshes a STALE entry. */
    public void eventNs(int ip, long mac, long now) {
        Entry e = lookup(ip);
        if (e == null) {
            e = create(ip);
        }
        update(e, mac, NeighState.STALE, true, now);
    }

    /**
     * An ARP packet from {@code ip} with sender MAC {@code mac} arrived; with arp_accept=0 only an
     * existing entry is updated: REACHABLE for a unicast reply, STALE otherwise.
     */
    public void arpSeen(int ip, long mac, boolean unicastReply, boolean garp, long now) {
        Entry e = lookup(ip);
        if (e == null) {
            return;
        }
        boolean override = now > e.updated + parms.locktimeNs || garp;
        update(e, mac, unicastReply ? NeighState.REACHABLE : NeighState.STALE, override, now);
    }

    /** Adds or replaces a permanent entry ({@code ip neigh replace … nud permanent}). */
    public void addPermanent(int ip, long mac, long now) {
        Entry e = lookup(ip);
        if (e == null) {
            e = create(ip);
        }
        e.cancelTimer();
        e.mac = mac;
        e.state = NeighState.PERMANENT;
        e.updated = now;
        e.flushQueue(now);
    }

    /** Adds an entry in a given state ({@code ip neigh add … nud stale}), as the admin path does. */
    public void addAdmin(int ip, long mac, NeighState state, long now) {
        Entry e = lookup(ip);
        if (e == null) {
            e = create(ip);
        }
        e.cancelTimer();
        e.mac = mac;
        e.state = state;
        e.updated = now;
        if (state.connected()) {
            e.confirmed = now;
        }
        if (state == NeighState.REACHABLE) {
            e.armTimer(now + reachable(now));
        } else if (state.inTimer()) {
            e.armTimer(now);
        }
        e.flushQueue(now);
    }

    /** Upper-layer confirmation ({@code dst_confirm_neigh}, e.g. TCP progress): refreshes {@code confirmed}. */
    public void confirm(int ip, long now) {
        Entry e = lookup(ip);
        if (e != null) {
            e.confirmed = now;
        }
    }

    private void update(Entry e, long lladdr, NeighState newState, boolean override, long now) {
        NeighState old = e.state;
        if (old == NeighState.PERMANENT) {
            return;
        }
        NeighState nw = newState;
        long addr = lladdr;
        if (nw.connected()) {
            e.confirmed = now;
        }
        if (old.valid()) {
            if (addr != e.mac && !override) {
                return;
            }
            if (addr == e.mac && nw == NeighState.STALE) {
                nw = old;
            }
        }
        if (nw != old || addr != e.mac) {
            e.updated = now;
        }
        if (nw != old) {
            e.cancelTimer();
            if (nw == NeighState.PROBE) {
                e.probes = 0;
            }
            if (nw.inTimer()) {
                e.armTimer(now + (nw == NeighState.REACHABLE ? reachable(now) : 0));
            }
            e.state = nw;
            if (trace != null) {
                trace.trace(now, dev.namespaceName(), "arp", dev.name() + ": " + ipText(e.ip) + " is-at "
                        + MacAddress.format(addr) + ": " + old + " -> " + nw);
            }
        }
        if (addr != e.mac) {
            e.mac = addr;
            if (!nw.connected()) {
                e.confirmed = now - (parms.baseReachableNs << 1);
            }
        }
        if (nw != old && !old.valid() && nw.valid()) {
            e.flushQueue(now);
        }
    }

    // ---- ARP output ----

    /** Sends an ARP packet on this interface. */
    public void sendArp(int op, long ethDst, int sip, long tha, int tip, long now) {
        PacketBuffer p = pool.acquire(Frames.ETH_HLEN + Frames.ARP_LEN);
        p.setLength(Frames.ETH_HLEN + Frames.ARP_LEN);
        byte[] b = p.data();
        int s = p.start();
        Frames.writeEth(b, s, ethDst, dev.mac(), Frames.ETH_P_ARP);
        int a = s + Frames.ETH_HLEN;
        Bytes.put16(b, a, 1);
        Bytes.put16(b, a + 2, Frames.ETH_P_IP);
        b[a + 4] = 6;
        b[a + 5] = 4;
        Bytes.put16(b, a + 6, op);
        MacAddress.writeBits(dev.mac(), b, a + 8);
        Bytes.put32(b, a + 14, sip);
        MacAddress.writeBits(tha, b, a + 18);
        Bytes.put32(b, a + 24, tip);
        if (op == 1) {
            requestsSent++;
        } else {
            repliesSent++;
        }
        dev.transmit(p, now);
    }

    /** A gratuitous ARP announcing {@code addr} (request, sender = target = addr, broadcast; RFC 5227 announcement). */
    public void announce(int addr, long now) {
        if (trace != null) {
            trace.trace(now, dev.namespaceName(), "arp", dev.name() + ": gratuitous ARP for " + ipText(addr));
        }
        sendArp(1, 0xffff_ffff_ffffL, addr, 0L, addr, now);
    }

    private static String ipText(int a) {
        return Ipv4Address.format(a);
    }

    /** One neighbour entry; its own timer event. */
    public final class Entry implements Event {
        final int ip;
        final long seq;
        long mac;
        NeighState state = NeighState.NONE;
        long confirmed;
        long used;
        long updated;
        int probes;
        long timerId;
        ArrayDeque<PacketBuffer> queue;
        int queuedBytes;

        Entry(int ip, long seq) {
            this.ip = ip;
            this.seq = seq;
        }

        /** The neighbour's address. */
        public int ip() {
            return ip;
        }

        /** The link-layer address (meaningful when the state is valid). */
        public long mac() {
            return mac;
        }

        /** The state. */
        public NeighState state() {
            return state;
        }

        /** When the entry was last confirmed. */
        public long confirmed() {
            return confirmed;
        }

        /** When the entry was last used. */
        public long used() {
            return used;
        }

        /** When the entry's state or address last changed. */
        public long updated() {
            return updated;
        }

        /** Packets waiting for resolution. */
        public int queued() {
            return queue == null ? 0 : queue.size();
        }

        void armTimer(long at) {
            cancelTimer();
            timerId = scheduler.schedule(Math.max(at, scheduler.now()), this);
        }

        void cancelTimer() {
            if (timerId != 0) {
                scheduler.cancel(timerId);
                timerId = 0;
            }
        }

        void enqueue(PacketBuffer p) {
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            int truesize = p.length() + 320;
            while (!queue.isEmpty() && queuedBytes + truesize > parms.unresQlenBytes) {
                PacketBuffer old = queue.pollFirst();
                queuedBytes -= old.length() + 320;
                queueDrops++;
                old.release();
            }
            queue.addLast(p);
            queuedBytes += truesize;
        }

        void flushQueue(long now) {
            if (queue == null) {
                return;
            }
            PacketBuffer p;
            while ((p = queue.pollFirst()) != null) {
                queuedBytes -= p.length() + 320;
                send(p, mac, now);
            }
        }

        void dropQueue(boolean report, long now) {
            if (queue == null) {
                return;
            }
            PacketBuffer p;
            while ((p = queue.pollFirst()) != null) {
                queuedBytes -= p.length() + 320;
                queueDrops++;
                if (report) {
                    host.resolutionFailed(p, now);
                }
                p.release();
            }
        }

        private int maxProbes() {
            return parms.ucastProbes + parms.appProbes
                    + (state == NeighState.PROBE ? parms.mcastReprobes : parms.mcastProbes);
        }

        void probe(long now) {
            int probesLeft = probes - parms.ucastProbes;
            int sip = 0;
            if (queue != null && !queue.isEmpty()) {
                PacketBuffer last = queue.peekLast();
                int src = Bytes.i32(last.data(), last.start() + Frames.IP_SRC);
                if (host.isLocalAddress(src)) {
                    sip = src;
                }
            }
            if (sip == 0) {
                sip = host.selectSource(dev, ip);
            }
            if (probesLeft < 0) {
                sendArp(1, mac, sip, 0L, ip, now);
            } else {
                sendArp(1, 0xffff_ffff_ffffL, sip, 0L, ip, now);
            }
            probes++;
        }

        @Override
        public void fire(long now) {
            timerId = 0;
            NeighState st = state;
            if (!st.inTimer()) {
                return;
            }
            long next = now + parms.retransNs;
            if (st == NeighState.REACHABLE) {
                long rt = reachable(now);
                if (now <= confirmed + rt) {
                    next = confirmed + rt;
                } else if (now <= used + parms.delayProbeNs) {
                    state = NeighState.DELAY;
                    updated = now;
                    next = now + parms.delayProbeNs;
                } else {
                    state = NeighState.STALE;
                    updated = now;
                }
            } else if (st == NeighState.DELAY) {
                if (now <= confirmed + parms.delayProbeNs) {
                    state = NeighState.REACHABLE;
                    updated = now;
                    next = confirmed + reachable(now);
                } else {
                    state = NeighState.PROBE;
                    updated = now;
                    probes = 0;
                    next = now + Math.max(parms.retransNs, 10_000_000L);
                }
            } else {
                next = now + Math.max(parms.retransNs, 10_000_000L);
            }
            if (trace != null && state != st) {
                trace.trace(now, dev.namespaceName(), "arp", dev.name() + ": " + ipText(ip) + " " + st + " -> " + state);
            }
            if ((state == NeighState.INCOMPLETE || state == NeighState.PROBE) && probes >= maxProbes()) {
                if (trace != null) {
                    trace.trace(now, dev.namespaceName(), "arp", dev.name() + ": " + ipText(ip) + " " + state + " -> FAILED");
                }
                state = NeighState.FAILED;
                updated = now;
                dropQueue(true, now);
                return;
            }
            if (state.inTimer()) {
                if (next < now + 10_000_000L) {
                    next = now + 10_000_000L;
                }
                timerId = scheduler.schedule(next, this);
            }
            if (state == NeighState.INCOMPLETE || state == NeighState.PROBE) {
                probe(now);
            }
        }
    }
}
