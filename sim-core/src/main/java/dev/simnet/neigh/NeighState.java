package dev.simnet.neigh;

/** Linux's neighbour states ({@code include/net/neighbour.h} NUD_*), as {@code ip neigh} names them. */
public enum NeighState {
    /** No entry (not shown). */
    NONE,
    /** Resolution in progress: broadcast requests every retrans_time, packets queued. */
    INCOMPLETE,
    /** Confirmed recently. */
    REACHABLE,
    /** Valid but unconfirmed; used as is, next use starts DELAY. */
    STALE,
    /** Used while stale; waiting delay_first_probe_time for an upper-layer confirmation. */
    DELAY,
    /** Unicast probing. */
    PROBE,
    /** Resolution failed. */
    FAILED,
    /** Static entry ({@code ip neigh add … nud permanent}). */
    PERMANENT;

    /** NUD_VALID: has a usable link-layer address. */
    public boolean valid() {
        return this == REACHABLE || this == STALE || this == DELAY || this == PROBE || this == PERMANENT;
    }

    /** NUD_CONNECTED. */
    public boolean connected() {
        return this == REACHABLE || this == PERMANENT;
    }

    /** NUD_IN_TIMER. */
    public boolean inTimer() {
        return this == INCOMPLETE || this == REACHABLE || this == DELAY || this == PROBE;
    }
}
