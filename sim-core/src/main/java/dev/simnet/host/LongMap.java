package dev.simnet.host;

import java.util.Arrays;

/**
 * Open-addressing map from a long key to a value, for socket demultiplexing without boxing on the
 * per-packet path. Iteration order is not exposed (the stack keeps its own ordered lists).
 */
final class LongMap<V> {
    private long[] keys = new long[16];
    private Object[] vals = new Object[16];
    private boolean[] used = new boolean[16];
    private int count;

    int size() {
        return count;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (used[i]) {
            if (keys[i] == key) {
                return (V) vals[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    void put(long key, V value) {
        if ((count + 1) * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (used[i]) {
            if (keys[i] == key) {
                vals[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        vals[i] = value;
        count++;
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (used[i]) {
            if (keys[i] == key) {
                used[i] = false;
                vals[i] = null;
                count--;
                int j = (i + 1) & mask;
                while (used[j]) {
                    long k = keys[j];
                    Object v = vals[j];
                    used[j] = false;
                    vals[j] = null;
                    count--;
                    reinsert(k, v);
                    j = (j + 1) & mask;
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private void reinsert(long k, Object v) {
        int mask = keys.length - 1;
        int i = slot(k, mask);
        while (used[i]) {
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = k;
        vals[i] = v;
        count++;
    }

    private void rehash(int n) {
        long[] ok = keys;
        Object[] ov = vals;
        boolean[] ou = used;
        keys = new long[n];
        vals = new Object[n];
        used = new boolean[n];
        count = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ou[i]) {
                reinsert(ok[i], ov[i]);
            }
        }
        Arrays.fill(ov, null);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
