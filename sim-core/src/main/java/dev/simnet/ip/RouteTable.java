package dev.simnet.ip;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The main routing table of a namespace: connected routes (proto kernel, scope link, with the
 * address as preferred source), static routes and a default route, looked up by longest prefix match
 * and then lowest metric. Kept in parallel primitive arrays sorted by prefix length, so a lookup
 * allocates nothing; tables are small (a handful of routes per namespace).
 */
public final class RouteTable {
    /** Who installed a route ({@code proto}). */
    public enum Proto { KERNEL, BOOT, STATIC }

    /** Route scopes as {@code ip route} prints them. */
    public static final int SCOPE_UNIVERSE = 0;
    /** Scope link: the destination is on-link. */
    public static final int SCOPE_LINK = 253;

    /**
     * One route.
     *
     * @param dst       the destination prefix (canonical)
     * @param gateway   the next hop, 0 for on-link
     * @param oif       the output interface index
     * @param prefsrc   preferred source, 0 for none
     * @param proto     who installed it
     * @param scope     {@link #SCOPE_UNIVERSE} or {@link #SCOPE_LINK}
     * @param metric    the metric (priority)
     */
    public record Route(Ipv4Cidr dst, int gateway, int oif, int prefsrc, Proto proto, int scope, int metric) {
    }

    private final List<Route> routes = new ArrayList<>();
    private int[] net = new int[8];
    private int[] mask = new int[8];
    private int[] gw = new int[8];
    private int[] oif = new int[8];
    private int[] src = new int[8];
    private int n;

    /** Adds a route; an identical destination+metric route is rejected as {@code ip route add} does (File exists). */
    public void add(Route r) {
        for (Route x : routes) {
            if (x.dst().equals(r.dst()) && x.metric() == r.metric()) {
                throw new IllegalArgumentException("RTNETLINK answers: File exists (" + r.dst() + ")");
            }
        }
        routes.add(r);
        rebuild();
    }

    /** Removes the routes matching the predicate. */
    public void removeIf(java.util.function.Predicate<Route> p) {
        if (routes.removeIf(p)) {
            rebuild();
        }
    }

    /** Routes in the order {@code ip route} lists them (by destination address, longer prefix first). */
    public List<Route> routes() {
        List<Route> l = new ArrayList<>(routes);
        l.sort(Comparator.<Route, Ipv4Address>comparing(r -> r.dst().network())
                .thenComparing(r -> -r.dst().prefixLength()).thenComparingInt(Route::metric));
        return l;
    }

    private void rebuild() {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt((Route r) -> -r.dst().prefixLength()).thenComparingInt(Route::metric));
        int len = Math.max(8, sorted.size());
        net = new int[len];
        mask = new int[len];
        gw = new int[len];
        oif = new int[len];
        src = new int[len];
        n = sorted.size();
        for (int i = 0; i < n; i++) {
            Route r = sorted.get(i);
            mask[i] = r.dst().mask();
            net[i] = r.dst().address().bits() & mask[i];
            gw[i] = r.gateway();
            oif[i] = r.oif();
            src[i] = r.prefsrc();
        }
    }

    /** Index of the best route to {@code dst}, or -1. */
    public int lookup(int dst) {
        for (int i = 0; i < n; i++) {
            if ((dst & mask[i]) == net[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Gateway of route {@code i} (0 when on-link). */
    public int gateway(int i) {
        return gw[i];
    }

    /** Output interface of route {@code i}. */
    public int oif(int i) {
        return oif[i];
    }

    /** Preferred source of route {@code i} (0 for none). */
    public int prefsrc(int i) {
        return src[i];
    }

    /** Number of routes. */
    public int size() {
        return n;
    }
}
