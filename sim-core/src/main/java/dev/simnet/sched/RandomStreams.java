package dev.simnet.sched;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One master seed from which every component derives its own independent random stream by name
 * (for example {@code "neigh/ns3/eth0"} or {@code "netem/veth1a2b3c4"}), so that adding a node
 * never changes another node's randomness. The same seed and name always give the same stream.
 */
public final class RandomStreams {
    private final long masterSeed;

    /** Streams derived from {@code masterSeed}. */
    public RandomStreams(long masterSeed) {
        this.masterSeed = masterSeed;
    }

    /** The master seed. */
    public long masterSeed() {
        return masterSeed;
    }

    /** A fresh generator for the component called {@code name}: same seed and name, same sequence. */
    public SplittableRandom stream(String name) {
        return new SplittableRandom(seedFor(name));
    }

    /** The 64-bit seed that {@link #stream(String)} uses for {@code name}. */
    public long seedFor(String name) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix64(masterSeed ^ mix64(h));
    }

    /** The finaliser of SplitMix64: a bijective bit mixer. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
