package dev.simnet.device;

/** Interface statistics as {@code ip -s link} prints them ({@code rtnl_link_stats64}). */
public final class DeviceCounters {
    /** Received bytes. */
    public long rxBytes;
    /** Received packets. */
    public long rxPackets;
    /** Receive errors. */
    public long rxErrors;
    /** Received frames dropped (device down, backlog full, no handler). */
    public long rxDropped;
    /** Received multicast/broadcast frames. */
    public long rxMulticast;
    /** Transmitted bytes. */
    public long txBytes;
    /** Transmitted packets. */
    public long txPackets;
    /** Transmit errors. */
    public long txErrors;
    /** Frames dropped on transmit (peer down, carrier off). */
    public long txDropped;
    /** Frames dropped by the egress queueing discipline (netem loss, queue overflow); {@code tc -s qdisc}. */
    public long qdiscDrops;
    /** Frames that overflowed the egress queue limit (tail drop), part of {@link #qdiscDrops}. */
    public long qdiscOverlimits;
}
