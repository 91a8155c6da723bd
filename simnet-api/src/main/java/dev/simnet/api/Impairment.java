package dev.simnet.api;

import java.time.Duration;

/**
 * A netem-style impairment of one link — the veth pair of a service's endpoint on a network (both
 * directions) or the host's uplink to the internet. Build one with {@link #on(String)} or
 * {@link #onUplink()} and the {@code with…} methods; zero means "not set".
 *
 * @param service           compose service, or null for the uplink
 * @param replica           1-based replica
 * @param network           compose key or Docker name of the network, or null for the first endpoint
 * @param uplink            true for the host ↔ internet link
 * @param delay             added one-way delay
 * @param jitter            delay variation
 * @param lossPercent       random loss, 0–100
 * @param duplicatePercent  duplication, 0–100
 * @param corruptPercent    single-bit corruption, 0–100
 * @param reorderPercent    reordering, 0–100
 * @param rateBitsPerSecond rate limit, 0 for none
 * @param limitPackets      queue limit in packets (netem's default 1000)
 */
public record Impairment(String service, int replica, String network, boolean uplink, Duration delay, Duration jitter,
                         double lossPercent, double duplicatePercent, double corruptPercent, double reorderPercent,
                         long rateBitsPerSecond, int limitPackets) {

    /** Checks ranges. */
    public Impairment {
        if (delay == null || jitter == null || delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("delay and jitter must be non-negative");
        }
        for (double p : new double[] {lossPercent, duplicatePercent, corruptPercent, reorderPercent}) {
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("percentages must be between 0 and 100, got " + p);
            }
        }
        if (rateBitsPerSecond < 0 || limitPackets < 1) {
            throw new IllegalArgumentException("rate must be >= 0 and limit >= 1");
        }
    }

    /** No impairment yet on the first endpoint of {@code service}'s first replica. */
    public static Impairment on(String service) {
        return on(service, null);
    }

    /** No impairment yet on {@code service}'s endpoint on {@code network}. */
    public static Impairment on(String service, String network) {
        return new Impairment(service, 1, network, false, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, 0, 1000);
    }

    /** No impairment yet on the host's uplink to the internet. */
    public static Impairment onUplink() {
        return new Impairment(null, 1, null, true, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, 0, 1000);
    }

    /** The same on replica {@code r} (1-based). */
    public Impairment replica(int r) {
        return new Impairment(service, r, network, uplink, delay, jitter, lossPercent, duplicatePercent, corruptPercent,
                reorderPercent, rateBitsPerSecond, limitPackets);
    }

    /** With a one-way delay. */
    public Impairment withDelay(Duration d) {
        return new Impairment(service, replica, network, uplink, d, jitter, lossPercent, duplicatePercent, corruptPercent,
                reorderPercent, rateBitsPerSecond, limitPackets);
    }

    /** With a one-way delay and its variation. */
    public Impairment withDelay(Duration d, Duration j) {
        return new Impairment(service, replica, network, uplink, d, j, lossPercent, duplicatePercent, corruptPercent,
                reorderPercent, rateBitsPerSecond, limitPackets);
    }

    /** With random loss of {@code percent}. */
    public Impairment withLoss(double percent) {
        return new Impairment(service, replica, network, uplink, delay, jitter, percent, duplicatePercent, corruptPercent,
                reorderPercent, rateBitsPerSecond, limitPackets);
    }

    /** With duplication of {@code percent}. */
    public Impairment withDuplicate(double percent) {
        return new Impairment(service, replica, network, uplink, delay, jitter, lossPercent, percent, corruptPercent,
                reorderPercent, rateBitsPerSecond, limitPackets);
    }

    /** With corruption of {@code percent}. */
    public Impairment withCorrupt(double percent) {
        return new Impairment(service, replica, network, uplink, delay, jitter, lossPercent, duplicatePercent, percent,
                reorderPercent, rateBitsPerSecond, limitPackets);
    }

    /** With reordering of {@code percent}. */
    public Impairment withReorder(double percent) {
        return new Impairment(service, replica, network, uplink, delay, jitter, lossPercent, duplicatePercent, corruptPercent,
                percent, rateBitsPerSecond, limitPackets);
    }

    /** With a rate limit in bits per second. */
    public Impairment withRate(long bitsPerSecond) {
        return new Impairment(service, replica, network, uplink, delay, jitter, lossPercent, duplicatePercent, corruptPercent,
                reorderPercent, bitsPerSecond, limitPackets);
    }

    /** With a queue limit in packets. */
    public Impairment withLimit(int packets) {
        return new Impairment(service, replica, network, uplink, delay, jitter, lossPercent, duplicatePercent, corruptPercent,
                reorderPercent, rateBitsPerSecond, packets);
    }
}
