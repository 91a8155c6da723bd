package dev.simnet.netfilter.nat;

/**
 * A NAT range ({@code struct nf_nat_range2}): optional address range, optional port (or ICMP id)
 * range, and the random flags.
 *
 * @param mapIps        an address range is given
 * @param minAddr       lowest address
 * @param maxAddr       highest address
 * @param protoSpecified a port range is given
 * @param minPort       lowest port
 * @param maxPort       highest port
 * @param random        {@code --random}
 * @param randomFully   {@code --random-fully}
 */
public record NatRange(boolean mapIps, int minAddr, int maxAddr, boolean protoSpecified, int minPort, int maxPort,
                       boolean random, boolean randomFully) {

    /** A single address, ports unchanged unless needed for uniqueness. */
    public static NatRange address(int addr) {
        return new NatRange(true, addr, addr, false, 0, 0, false, false);
    }

    /** True when either random flag is set (NF_NAT_RANGE_PROTO_RANDOM_ALL). */
    public boolean randomAll() {
        return random || randomFully;
    }
}
