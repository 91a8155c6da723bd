package dev.simnet.scenarios.engine;

/**
 * A netem-style impairment on one link: the veth pair of a container's endpoint on a network
 * (both directions), or the host's uplink to the internet ({@code service == null},
 * {@code uplink == true}). Zero means "not set".
 *
 * @param service         compose service (its first replica unless {@code replica} says otherwise), or null for the uplink
 * @param replica         1-based replica
 * @param network         Docker network name of the endpoint, or null for the container's first endpoint
 * @param uplink          true for the host ↔ internet link
 * @param delayNanos      added one-way delay
 * @param jitterNanos     delay variation (normal distribution, as netem's default table is not modelled)
 * @param lossPercent     random loss, 0–100
 * @param duplicatePercent duplication, 0–100
 * @param corruptPercent  single-bit corruption, 0–100
 * @param reorderPercent  reordering (sent immediately, the rest delayed), 0–100
 * @param rateBitsPerSecond rate limit, 0 for none
 * @param limitPackets    queue limit in packets (netem's default 1000)
 * @param clear           remove every impairment from the link instead
 */
public record Impairment(String service, int replica, String network, boolean uplink, long delayNanos, long jitterNanos,
                         double lossPercent, double duplicatePercent, double corruptPercent, double reorderPercent,
                         long rateBitsPerSecond, int limitPackets, boolean clear) {

    /**
     * The simulator's netem for this impairment, or null for {@link #clear}: the one conversion the
     * simulator and the TAP backend (whose links are the engine's too) both apply.
     */
    public dev.simnet.link.Netem toNetem() {
        if (clear) {
            return null;
        }
        dev.simnet.link.Netem n = dev.simnet.link.Netem.none();
        if (delayNanos > 0 || jitterNanos > 0) {
            n = n.withDelay(delayNanos, jitterNanos, dev.simnet.link.Netem.Distribution.NORMAL);
        }
        if (lossPercent > 0) {
            n = n.withLoss(lossPercent);
        }
        if (duplicatePercent > 0) {
            n = n.withDuplicate(duplicatePercent);
        }
        if (corruptPercent > 0) {
            n = n.withCorrupt(corruptPercent);
        }
        if (reorderPercent > 0) {
            n = n.withReorder(reorderPercent, 0);
        }
        if (rateBitsPerSecond > 0) {
            n = n.withRate(rateBitsPerSecond);
        }
        if (limitPackets > 0 && limitPackets != 1000) {
            n = n.withLimit(limitPackets);
        }
        return n;
    }

    /** A readable tc-netem-like summary ({@code delay 20ms 5ms loss 5%}). */
    public String describe() {
        if (clear) {
            return "clear";
        }
        StringBuilder sb = new StringBuilder();
        if (delayNanos > 0) {
            sb.append("delay ").append(Durations.format(delayNanos));
            if (jitterNanos > 0) {
                sb.append(' ').append(Durations.format(jitterNanos));
            }
        }
        append(sb, "loss", lossPercent);
        append(sb, "duplicate", duplicatePercent);
        append(sb, "corrupt", corruptPercent);
        append(sb, "reorder", reorderPercent);
        if (rateBitsPerSecond > 0) {
            sb.append(sb.length() > 0 ? " " : "").append("rate ").append(Durations.formatRate(rateBitsPerSecond));
        }
        if (limitPackets != 1000) {
            sb.append(sb.length() > 0 ? " " : "").append("limit ").append(limitPackets);
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static void append(StringBuilder sb, String what, double pct) {
        if (pct > 0) {
            sb.append(sb.length() > 0 ? " " : "").append(what).append(' ').append(Durations.formatPercent(pct));
        }
    }

    /** The link's name in reports: {@code service[/network]} or {@code uplink}. */
    public String link() {
        if (uplink) {
            return "uplink";
        }
        return service + (replica > 1 ? "#" + replica : "") + (network != null ? "/" + network : "");
    }
}
