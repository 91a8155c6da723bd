package dev.simnet.wire;

/** EtherType values (IEEE 802.3 / IANA) that simnet names; plain ints so the hot path needs no boxing. */
public final class EtherType {
    /** IPv4, 0x0800. */
    public static final int IPV4 = 0x0800;
    /** ARP, 0x0806. */
    public static final int ARP = 0x0806;
    /** 802.1Q VLAN tag (C-tag), 0x8100. */
    public static final int VLAN = 0x8100;
    /** 802.1ad service tag (S-tag, QinQ), 0x88a8. */
    public static final int QINQ = 0x88a8;
    /** IPv6, 0x86dd. */
    public static final int IPV6 = 0x86dd;

    private EtherType() {
    }

    /** The name tcpdump prints for an EtherType ("IPv4", "ARP", …), or null if unnamed. */
    public static String name(int etherType) {
        switch (etherType) {
            case IPV4: return "IPv4";
            case ARP: return "ARP";
            case VLAN: return "802.1Q";
            case QINQ: return "802.1Q-QinQ";
            case IPV6: return "IPv6";
            default: return null;
        }
    }
}
