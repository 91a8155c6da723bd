package dev.simnet.addr;

import java.util.Locale;

/**
 * A 48-bit IEEE 802 MAC address held in the low bits of a long; formatted as Linux prints it
 * ({@code 02:42:ac:11:00:02}, lower case).
 */
public final class MacAddress implements Comparable<MacAddress> {
    /** The broadcast address ff:ff:ff:ff:ff:ff. */
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    /** The all-zero address, as ARP requests carry in their target hardware field. */
    public static final MacAddress ZERO = new MacAddress(0L);

    private final long bits;

    private MacAddress(long bits) {
        this.bits = bits & 0xffff_ffff_ffffL;
    }

    /** The address whose 48 bits are the low 48 bits of {@code bits}. */
    public static MacAddress of(long bits) {
        return new MacAddress(bits);
    }

    /** Reads six bytes at {@code offset}. */
    public static MacAddress read(byte[] b, int offset) {
        return new MacAddress(readBits(b, offset));
    }

    /** The six bytes at {@code offset} as a long, without allocating. */
    public static long readBits(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }

    /** Writes the 48 low bits of {@code bits} as six bytes at {@code offset}. */
    public static void writeBits(long bits, byte[] b, int offset) {
        for (int i = 5; i >= 0; i--) {
            b[offset + i] = (byte) bits;
            bits >>>= 8;
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'); throws {@link IllegalArgumentException} otherwise. */
    public static MacAddress parse(String s) {
        String[] parts = s.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: '" + s + "' (expected six hex bytes like 02:42:ac:11:00:02)");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: '" + s + "'");
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: '" + s + "'");
            }
        }
        return new MacAddress(v);
    }

    /** The 48 bits as a long. */
    public long bits() {
        return bits;
    }

    /** Writes the six bytes at {@code offset}. */
    public void write(byte[] b, int offset) {
        writeBits(bits, b, offset);
    }

    /** The six bytes. */
    public byte[] toBytes() {
        byte[] b = new byte[6];
        write(b, 0);
        return b;
    }

    /** True for group (multicast and broadcast) addresses: the I/G bit of the first byte. */
    public boolean isMulticast() {
        return isMulticast(bits);
    }

    /** True for group addresses, on raw bits. */
    public static boolean isMulticast(long bits) {
        return ((bits >>> 40) & 1) != 0;
    }

    /** True for ff:ff:ff:ff:ff:ff. */
    public boolean isBroadcast() {
        return bits == 0xffff_ffff_ffffL;
    }

    /** True when the U/L bit says locally administered. */
    public boolean isLocallyAdministered() {
        return ((bits >>> 41) & 1) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && m.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(bits, o.bits);
    }

    @Override
    public String toString() {
        return format(bits);
    }

    /** Formats raw bits as {@code aa:bb:cc:dd:ee:ff}. */
    public static String format(long bits) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int octet = (int) (bits >>> (8 * i)) & 0xff;
            sb.append(String.format(Locale.ROOT, "%02x", octet));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
