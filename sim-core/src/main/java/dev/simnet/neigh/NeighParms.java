package dev.simnet.neigh;

/**
 * Per-interface ARP parameters ({@code /proc/sys/net/ipv4/neigh/IF/*}) with Linux's defaults
 * ({@code net/ipv4/arp.c} arp_tbl, arp(7)). Times in nanoseconds.
 */
public final class NeighParms {
    /** base_reachable_time: 30 s; the actual reachable time is random in [base/2, 3·base/2). */
    public long baseReachableNs = 30_000_000_000L;
    /** retrans_time: 1 s between probes. */
    public long retransNs = 1_000_000_000L;
    /** delay_first_probe_time: 5 s in DELAY. */
    public long delayProbeNs = 5_000_000_000L;
    /** gc_stale_time: 60 s (garbage collection only runs above gc_thresh1 entries). */
    public long gcStaleNs = 60_000_000_000L;
    /** locktime: 1 s; a different lladdr within it does not override. */
    public long locktimeNs = 1_000_000_000L;
    /** ucast_solicit: 3. */
    public int ucastProbes = 3;
    /** mcast_solicit: 3. */
    public int mcastProbes = 3;
    /** app_solicit: 0. */
    public int appProbes = 0;
    /** mcast_resolicit: 0. */
    public int mcastReprobes = 0;
    /** unres_qlen_bytes: 212992 (SK_WMEM_MAX) of queued packets per unresolved entry. */
    public int unresQlenBytes = 212992;
    /** Re-randomisation period of the reachable time (neigh_periodic_work): 300 s. */
    public long rerandomizeNs = 300_000_000_000L;
}
