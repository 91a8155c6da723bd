package dev.simnet.addr;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An IPv4 prefix such as {@code 172.18.0.0/16}. {@link #address()} keeps the host bits as written
 * (so {@code 172.18.0.1/16} can describe an interface address); {@link #network()} masks them off.
 */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) implements Iterable<Ipv4Address> {

    /** Validates the prefix length (0..32). */
    public Ipv4Cidr {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..32");
        }
    }

    /** The prefix a.b.c.d/len. */
    public static Ipv4Cidr of(Ipv4Address address, int prefixLength) {
        return new Ipv4Cidr(address, prefixLength);
    }

    /** Parses {@code a.b.c.d/len}; a bare address means /32. */
    public static Ipv4Cidr parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            return new Ipv4Cidr(Ipv4Address.parse(t), 32);
        }
        int len;
        try {
            len = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR prefix: '" + s + "' (expected a.b.c.d/len)");
        }
        if (len < 0 || len > 32) {
            throw new IllegalArgumentException("not a CIDR prefix: '" + s + "' (length must be 0..32)");
        }
        return new Ipv4Cidr(Ipv4Address.parse(t.substring(0, slash)), len);
    }

    /** The netmask bits for a prefix length. */
    public static int maskBits(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The netmask as bits. */
    public int mask() {
        return maskBits(prefixLength);
    }

    /** The netmask as an address (255.255.0.0). */
    public Ipv4Address netmask() {
        return new Ipv4Address(mask());
    }

    /** The prefix with host bits cleared. */
    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & mask());
    }

    /** The same prefix with host bits cleared. */
    public Ipv4Cidr canonical() {
        return new Ipv4Cidr(network(), prefixLength);
    }

    /** The directed broadcast address (all host bits set). */
    public Ipv4Address broadcast() {
        return new Ipv4Address(address.bits() | ~mask());
    }

    /** Number of addresses in the prefix (2^(32-len)). */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** True when {@code a} lies inside this prefix. */
    public boolean contains(Ipv4Address a) {
        return contains(a.bits());
    }

    /** True when the 32 bits lie inside this prefix. */
    public boolean contains(int bits) {
        int m = mask();
        return (bits & m) == (address.bits() & m);
    }

    /** True when {@code other} is entirely inside this prefix. */
    public boolean contains(Ipv4Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.address);
    }

    /** True when the two prefixes share any address. */
    public boolean overlaps(Ipv4Cidr other) {
        return contains(other.address) || other.contains(address);
    }

    /** The n-th address of the prefix (0 is the network address). */
    public Ipv4Address nth(long n) {
        if (n < 0 || n >= size()) {
            throw new IllegalArgumentException("index " + n + " outside " + this);
        }
        return new Ipv4Address((int) ((address.bits() & mask()) + n));
    }

    /** Iterates every address of the prefix, network and broadcast included, in order. */
    @Override
    public Iterator<Ipv4Address> iterator() {
        final long total = size();
        return new Iterator<>() {
            private long i;

            @Override
            public boolean hasNext() {
                return i < total;
            }

            @Override
            public Ipv4Address next() {
                if (i >= total) {
                    throw new NoSuchElementException();
                }
                return nth(i++);
            }
        };
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
