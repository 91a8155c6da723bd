package dev.simnet.netfilter.conntrack;

/** ICMP type facts conntrack needs (nf_conntrack_proto_icmp.c): query/answer pairs and error types. */
public final class IcmpTypes {
    private IcmpTypes() {
    }

    /** The answer type of a query type and vice versa, or -1 (echo 8↔0, timestamp 13↔14, info 15↔16, mask 17↔18). */
    public static int invert(int type) {
        switch (type) {
            case 8: return 0;
            case 0: return 8;
            case 13: return 14;
            case 14: return 13;
            case 15: return 16;
            case 16: return 15;
            case 17: return 18;
            case 18: return 17;
            default: return -1;
        }
    }

    /** True for the query types that may start a connection (echo, timestamp, info, address mask requests). */
    public static boolean isQuery(int type) {
        return type == 8 || type == 13 || type == 15 || type == 17;
    }

    /** True for query or answer types (those carrying an id). */
    public static boolean hasId(int type) {
        return invert(type) >= 0;
    }

    /** True for error types that quote a packet: unreachable, source quench, redirect, time exceeded, parameter problem. */
    public static boolean isError(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
}
