package dev.simnet.link;

/**
 * An impairment configuration with netem's model and parameters ({@code tc qdisc … netem}, see
 * tc-netem(8) and {@code net/sched/sch_netem.c}). Immutable; build with {@link #none()} and the
 * {@code with…} methods, e.g. {@code Netem.none().withDelay(20_000_000, 5_000_000, Distribution.NORMAL).withLoss(5)}.
 *
 * @param delayNs          base delay ({@code delay TIME})
 * @param jitterNs         jitter ({@code delay TIME JITTER})
 * @param distribution     how jitter is distributed ({@code distribution …}; uniform without a table)
 * @param lossPercent      random loss probability in percent ({@code loss random P})
 * @param geP              Gilbert-Elliott good→bad transition probability in percent, or negative when off ({@code loss gemodel p r 1-h 1-k})
 * @param geR              bad→good transition probability in percent
 * @param geOneMinusH      loss probability in the bad state, percent (netem's default 100)
 * @param geOneMinusK      loss probability in the good state, percent (default 0)
 * @param duplicatePercent duplication probability ({@code duplicate P})
 * @param corruptPercent   single-bit corruption probability ({@code corrupt P})
 * @param reorderPercent   probability of sending a packet immediately instead of delayed ({@code reorder P})
 * @param reorderGap       {@code gap N}: only every N-th packet is a reorder candidate (tc sets 1 when reorder is given)
 * @param rateBitsPerSec   rate limit with serialization delay ({@code rate R}), 0 for none
 * @param packetOverhead   bytes added per packet when computing serialization time ({@code rate R OVERHEAD})
 * @param limit            queue limit in packets ({@code limit N}, default 1000); overflow is tail-dropped and counted
 */
public record Netem(long delayNs, long jitterNs, Distribution distribution, double lossPercent,
                    double geP, double geR, double geOneMinusH, double geOneMinusK,
                    double duplicatePercent, double corruptPercent, double reorderPercent, int reorderGap,
                    long rateBitsPerSec, int packetOverhead, int limit) {

    /** The jitter distributions netem ships tables for (uniform is the default without a table). */
    public enum Distribution { UNIFORM, NORMAL, PARETO, PARETONORMAL }

    /** Validates ranges. */
    public Netem {
        if (delayNs < 0 || jitterNs < 0) {
            throw new IllegalArgumentException("delay and jitter must not be negative");
        }
        checkPercent("loss", lossPercent);
        checkPercent("duplicate", duplicatePercent);
        checkPercent("corrupt", corruptPercent);
        checkPercent("reorder", reorderPercent);
        if (geP >= 0) {
            checkPercent("gemodel p", geP);
            checkPercent("gemodel r", geR);
            checkPercent("gemodel 1-h", geOneMinusH);
            checkPercent("gemodel 1-k", geOneMinusK);
        }
        if (rateBitsPerSec < 0) {
            throw new IllegalArgumentException("rate must not be negative");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (reorderPercent > 0 && delayNs == 0) {
            throw new IllegalArgumentException("reordering not possible without specifying some delay (as tc says)");
        }
        if (distribution == null) {
            throw new IllegalArgumentException("distribution is null");
        }
    }

    private static void checkPercent(String what, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException(what + " " + p + "% outside 0..100");
        }
    }

    /** No impairment at all (netem with default limit 1000). */
    public static Netem none() {
        return new Netem(0, 0, Distribution.UNIFORM, 0, -1, 0, 100, 0, 0, 0, 0, 0, 0, 0, 1000);
    }

    /** {@code delay D}. */
    public Netem withDelay(long delayNs) {
        return withDelay(delayNs, 0, distribution);
    }

    /** {@code delay D J distribution X}. */
    public Netem withDelay(long delayNs, long jitterNs, Distribution distribution) {
        return new Netem(delayNs, jitterNs, distribution, lossPercent, geP, geR, geOneMinusH, geOneMinusK,
                duplicatePercent, corruptPercent, reorderPercent, reorderGap, rateBitsPerSec, packetOverhead, limit);
    }

    /** {@code loss random P}. */
    public Netem withLoss(double percent) {
        return new Netem(delayNs, jitterNs, distribution, percent, -1, 0, 100, 0,
                duplicatePercent, corruptPercent, reorderPercent, reorderGap, rateBitsPerSec, packetOverhead, limit);
    }

    /** {@code loss gemodel p r 1-h 1-k} (percentages). */
    public Netem withGilbertElliott(double p, double r, double oneMinusH, double oneMinusK) {
        return new Netem(delayNs, jitterNs, distribution, 0, p, r, oneMinusH, oneMinusK,
                duplicatePercent, corruptPercent, reorderPercent, reorderGap, rateBitsPerSec, packetOverhead, limit);
    }

    /** {@code duplicate P}. */
    public Netem withDuplicate(double percent) {
        return new Netem(delayNs, jitterNs, distribution, lossPercent, geP, geR, geOneMinusH, geOneMinusK,
                percent, corruptPercent, reorderPercent, reorderGap, rateBitsPerSec, packetOverhead, limit);
    }

    /** {@code corrupt P}. */
    public Netem withCorrupt(double percent) {
        return new Netem(delayNs, jitterNs, distribution, lossPercent, geP, geR, geOneMinusH, geOneMinusK,
                duplicatePercent, percent, reorderPercent, reorderGap, rateBitsPerSec, packetOverhead, limit);
    }

    /** {@code reorder P gap N} (N of 0 becomes 1, as tc does). */
    public Netem withReorder(double percent, int gap) {
        return new Netem(delayNs, jitterNs, distribution, lossPercent, geP, geR, geOneMinusH, geOneMinusK,
                duplicatePercent, corruptPercent, percent, Math.max(1, gap), rateBitsPerSec, packetOverhead, limit);
    }

    /** {@code rate R} in bits per second. */
    public Netem withRate(long bitsPerSec) {
        return new Netem(delayNs, jitterNs, distribution, lossPercent, geP, geR, geOneMinusH, geOneMinusK,
                duplicatePercent, corruptPercent, reorderPercent, reorderGap, bitsPerSec, packetOverhead, limit);
    }

    /** {@code limit N}. */
    public Netem withLimit(int packets) {
        return new Netem(delayNs, jitterNs, distribution, lossPercent, geP, geR, geOneMinusH, geOneMinusK,
                duplicatePercent, corruptPercent, reorderPercent, reorderGap, rateBitsPerSec, packetOverhead, packets);
    }

    /** True when the Gilbert-Elliott loss model is on. */
    public boolean gilbertElliott() {
        return geP >= 0;
    }

    /** The {@code tc qdisc} parameters as tc-netem(8) would take them (for logs and the Linux backend). */
    public String toTcArgs() {
        StringBuilder sb = new StringBuilder("netem limit ").append(limit);
        if (delayNs > 0) {
            sb.append(" delay ").append(delayNs / 1000).append("us");
            if (jitterNs > 0) {
                sb.append(' ').append(jitterNs / 1000).append("us");
                if (distribution != Distribution.UNIFORM) {
                    sb.append(" distribution ").append(distribution.name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        if (gilbertElliott()) {
            sb.append(" loss gemodel ").append(geP).append("% ").append(geR).append("% ")
                    .append(geOneMinusH).append("% ").append(geOneMinusK).append('%');
        } else if (lossPercent > 0) {
            sb.append(" loss random ").append(lossPercent).append('%');
        }
        if (duplicatePercent > 0) {
            sb.append(" duplicate ").append(duplicatePercent).append('%');
        }
        if (corruptPercent > 0) {
            sb.append(" corrupt ").append(corruptPercent).append('%');
        }
        if (reorderPercent > 0) {
            sb.append(" reorder ").append(reorderPercent).append("% gap ").append(reorderGap);
        }
        if (rateBitsPerSec > 0) {
            sb.append(" rate ").append(rateBitsPerSec).append("bit");
        }
        return sb.toString();
    }
}
