package dev.simnet.l2;

import java.util.ArrayList;
import java.util.List;

/**
 * A bridge forwarding database ({@code net/bridge/br_fdb.c}): MAC → port with the time it was last
 * seen, as an open-addressing table keyed by the 48 MAC bits, so lookups and learning allocate
 * nothing. Port {@link #LOCAL} marks the bridge's own addresses (its MAC and its ports' MACs,
 * {@code permanent} in {@code bridge fdb}). A learned entry expires when it has not been refreshed for
 * the ageing time (300 s by default).
 */
public final class Fdb {
    /** Port number of local (permanent) entries: frames to them go up the bridge device. */
    public static final int LOCAL = -1;
    /** Returned by {@link #lookup} when the MAC is unknown or expired. */
    public static final int MISS = -2;

    /** The value stored for a port's own MAC: local, but listed under that port. */
    public static int localOfPort(int port) {
        return -3 - port;
    }

    /** True for {@link #LOCAL} and {@link #localOfPort} values. */
    public static boolean isLocal(int v) {
        return v == LOCAL || v <= -3;
    }

    /** The port a {@link #localOfPort} value names, or -1 for the bridge itself. */
    public static int portOfLocal(int v) {
        return v == LOCAL ? -1 : -3 - v;
    }

    private static final long EMPTY = 0L;
    private static final long TOMBSTONE = -1L;

    private long[] keys;
    private int[] ports;
    private long[] updated;
    private boolean[] permanent;
    private long[] seq;
    private int used;
    private int live;
    private long nextSeq;
    private long ageingNs;

    /** An empty table with the given ageing time. */
    public Fdb(long ageingNs) {
        this.ageingNs = ageingNs;
        alloc(64);
    }

    private void alloc(int n) {
        keys = new long[n];
        ports = new int[n];
        updated = new long[n];
        permanent = new boolean[n];
        seq = new long[n];
        used = 0;
        live = 0;
    }

    /** The ageing time in nanoseconds ({@code ageing_time}). */
    public long ageingNs() {
        return ageingNs;
    }

    /** Changes the ageing time. */
    public void setAgeingNs(long ageingNs) {
        this.ageingNs = ageingNs;
    }

    private static int hash(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int i = hash(key, mask);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private static long key(long mac) {
        return (mac & 0xffff_ffff_ffffL) | (1L << 48);
    }

    /**
     * The port for {@code mac} at time {@code now}: a port number, {@link #LOCAL}, or {@link #MISS}.
     * An entry past its ageing time is removed, as {@code br_fdb_cleanup} would have done.
     */
    public int lookup(long mac, long now) {
        int i = find(key(mac));
        if (i < 0) {
            return MISS;
        }
        if (!permanent[i] && now - updated[i] >= ageingNs) {
            remove(i);
            return MISS;
        }
        return ports[i];
    }

    /** Learns (or refreshes, or moves) {@code mac} on {@code port} at {@code now}; local entries are never moved. */
    public void learn(long mac, int port, long now) {
        long k = key(mac);
        int i = find(k);
        if (i >= 0) {
            if (permanent[i]) {
                return;
            }
            if (now - updated[i] >= ageingNs) {
                seq[i] = nextSeq++;
            }
            ports[i] = port;
            updated[i] = now;
            return;
        }
        insert(k, port, now, false);
    }

    /** Adds a permanent (local) entry. */
    public void addLocal(long mac, int port) {
        long k = key(mac);
        int i = find(k);
        if (i >= 0) {
            ports[i] = port;
            permanent[i] = true;
            return;
        }
        insert(k, port, 0, true);
    }

    /** Removes every entry of {@code port} (port removed from the bridge or gone down). */
    public void flushPort(int port) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY && keys[i] != TOMBSTONE && ports[i] == port) {
                remove(i);
            }
        }
    }

    private void insert(long k, int port, long now, boolean perm) {
        if ((used + 1) * 4 > keys.length * 3) {
            rehash(live * 4 > keys.length ? keys.length * 2 : keys.length);
        }
        int mask = keys.length - 1;
        int i = hash(k, mask);
        while (keys[i] != EMPTY && keys[i] != TOMBSTONE) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            used++;
        }
        keys[i] = k;
        ports[i] = port;
        updated[i] = now;
        permanent[i] = perm;
        seq[i] = nextSeq++;
        live++;
    }

    private void remove(int i) {
        keys[i] = TOMBSTONE;
        live--;
    }

    private void rehash(int n) {
        long[] ok = keys;
        int[] op = ports;
        long[] ou = updated;
        boolean[] operm = permanent;
        long[] os = seq;
        long saveSeq = nextSeq;
        alloc(n);
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY && ok[i] != TOMBSTONE) {
                insert(ok[i], op[i], ou[i], operm[i]);
                seq[findSlot(ok[i])] = os[i];
            }
        }
        nextSeq = saveSeq;
    }

    private int findSlot(long k) {
        return find(k);
    }

    /** Live entries (permanent and unexpired learned ones). */
    public int size() {
        return live;
    }

    /** One row of the table. */
    public record Entry(long mac, int port, boolean permanent, long updatedNs) {
    }

    /** The unexpired entries, in the order they were first learned (a stable, {@code bridge fdb}-like order). */
    public List<Entry> entries(long now) {
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY && keys[i] != TOMBSTONE && (permanent[i] || now - updated[i] < ageingNs)) {
                rows.add(new long[] {seq[i], i});
            }
        }
        rows.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Entry> out = new ArrayList<>(rows.size());
        for (long[] r : rows) {
            int i = (int) r[1];
            out.add(new Entry(keys[i] & 0xffff_ffff_ffffL, ports[i], permanent[i], updated[i]));
        }
        return out;
    }
}
