package dev.simnet.scenarios.docker;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Docker's default IPAM for IPv4 (Docker 27+): local pools 172.17.0.0/16 … 172.31.0.0/16, then
 * 192.168.0.0/16 cut into 16 × /20; a new network takes the lowest pool that overlaps no subnet in
 * use (so a freed subnet is reused at once). Inside a subnet the network and broadcast addresses are
 * reserved, the gateway takes the lowest free address, containers then the lowest free ones.
 * [moby: daemon/libnetwork/ipamutils/utils.go, ipams/defaultipam/address_space.go]
 */
public final class Ipam {
    private final List<Ipv4Cidr> inUse = new ArrayList<>();

    /** The default local address pools in Docker's order. */
    public static List<Ipv4Cidr> defaultPools() {
        List<Ipv4Cidr> pools = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            pools.add(Ipv4Cidr.of(Ipv4Address.of(172, b, 0, 0), 16));
        }
        for (int c = 0; c < 256; c += 16) {
            pools.add(Ipv4Cidr.of(Ipv4Address.of(192, 168, c, 0), 20));
        }
        return pools;
    }

    /** Marks {@code subnet} as used (a user-configured subnet); false when it overlaps one in use. */
    public boolean reserve(Ipv4Cidr subnet) {
        for (Ipv4Cidr c : inUse) {
            if (c.overlaps(subnet)) {
                return false;
            }
        }
        inUse.add(subnet.canonical());
        return true;
    }

    /** The subnet in use that overlaps {@code subnet}, or null. */
    public Ipv4Cidr overlapping(Ipv4Cidr subnet) {
        for (Ipv4Cidr c : inUse) {
            if (c.overlaps(subnet)) {
                return c;
            }
        }
        return null;
    }

    /** Allocates the lowest free default pool; null when all are used. */
    public Ipv4Cidr allocate() {
        for (Ipv4Cidr p : defaultPools()) {
            if (overlapping(p) == null) {
                inUse.add(p);
                return p;
            }
        }
        return null;
    }

    /** Releases a subnet (network removed). */
    public void release(Ipv4Cidr subnet) {
        inUse.remove(subnet.canonical());
    }

    /** Address allocation inside one subnet (optionally restricted to an ip_range). */
    public static final class Subnet {
        private final Ipv4Cidr subnet;
        private final Ipv4Cidr range;
        private final TreeSet<Integer> used = new TreeSet<>(Integer::compareUnsigned);

        /** Allocation in {@code subnet}, from {@code range} (or the whole subnet when null). */
        public Subnet(Ipv4Cidr subnet, Ipv4Cidr range) {
            this.subnet = subnet.canonical();
            this.range = range == null ? this.subnet : range.canonical();
            used.add(this.subnet.network().bits());
            used.add(this.subnet.broadcast().bits());
        }

        /** The subnet. */
        public Ipv4Cidr subnet() {
            return subnet;
        }

        /** Takes a specific address; false when taken or outside the subnet. */
        public boolean take(Ipv4Address a) {
            return subnet.contains(a) && used.add(a.bits());
        }

        /** True when {@code a} is in use. */
        public boolean isUsed(Ipv4Address a) {
            return used.contains(a.bits());
        }

        /** Returns an address to the pool. */
        public void free(Ipv4Address a) {
            if (!a.equals(subnet.network()) && !a.equals(subnet.broadcast())) {
                used.remove(a.bits());
            }
        }

        /** The lowest free address in the range, taken; null when full. */
        public Ipv4Address next() {
            long n = range.size();
            for (long i = 0; i < n; i++) {
                Ipv4Address a = range.nth(i);
                if (!used.contains(a.bits())) {
                    used.add(a.bits());
                    return a;
                }
            }
            return null;
        }
    }
}
