package dev.simnet.addr;

/**
 * An IPv4 address as a value: the 32 bits in an int (network order, so {@code 10.0.0.1} is
 * {@code 0x0a000001}). Formatted in dotted quad as Linux prints it.
 */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {
    /** 0.0.0.0. */
    public static final Ipv4Address ANY = new Ipv4Address(0);
    /** 255.255.255.255. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);
    /** 127.0.0.1. */
    public static final Ipv4Address LOOPBACK = new Ipv4Address(0x7f000001);

    /** The address with these 32 bits. */
    public static Ipv4Address of(int bits) {
        return new Ipv4Address(bits);
    }

    /** The address a.b.c.d. */
    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address(((a & 0xff) << 24) | ((b & 0xff) << 16) | ((c & 0xff) << 8) | (d & 0xff));
    }

    /** Parses dotted-quad text; throws {@link IllegalArgumentException} with the offending text otherwise. */
    public static Ipv4Address parse(String s) {
        return new Ipv4Address(parseBits(s));
    }

    /** Parses dotted-quad text into its 32 bits. */
    public static int parseBits(String s) {
        String t = s.trim();
        int bits = 0;
        int parts = 0;
        int i = 0;
        while (i <= t.length()) {
            int start = i;
            int v = 0;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                v = v * 10 + (t.charAt(i) - '0');
                if (v > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + s + "' (octet above 255)");
                }
                i++;
            }
            if (i == start || i - start > 3) {
                throw new IllegalArgumentException("not an IPv4 address: '" + s + "' (expected a.b.c.d)");
            }
            bits = (bits << 8) | v;
            parts++;
            if (i == t.length()) {
                break;
            }
            if (t.charAt(i) != '.' || parts == 4) {
                throw new IllegalArgumentException("not an IPv4 address: '" + s + "' (expected a.b.c.d)");
            }
            i++;
        }
        if (parts != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + s + "' (expected four octets)");
        }
        return bits;
    }

    /** Reads four bytes at {@code offset} (network order). */
    public static int readBits(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
    }

    /** Writes 32 bits as four bytes at {@code offset} (network order). */
    public static void writeBits(int bits, byte[] b, int offset) {
        b[offset] = (byte) (bits >>> 24);
        b[offset + 1] = (byte) (bits >>> 16);
        b[offset + 2] = (byte) (bits >>> 8);
        b[offset + 3] = (byte) bits;
    }

    /** Reads an address at {@code offset}. */
    public static Ipv4Address read(byte[] b, int offset) {
        return new Ipv4Address(readBits(b, offset));
    }

    /** Writes this address at {@code offset}. */
    public void write(byte[] b, int offset) {
        writeBits(bits, b, offset);
    }

    /** The four bytes. */
    public byte[] toBytes() {
        byte[] b = new byte[4];
        write(b, 0);
        return b;
    }

    /** This address plus {@code n} (wrapping). */
    public Ipv4Address plus(int n) {
        return new Ipv4Address(bits + n);
    }

    /** True for 127.0.0.0/8. */
    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    /** True for 224.0.0.0/4. */
    public boolean isMulticast() {
        return (bits >>> 28) == 0xe;
    }

    /** True for 255.255.255.255. */
    public boolean isBroadcast() {
        return bits == -1;
    }

    /** True for 0.0.0.0. */
    public boolean isAny() {
        return bits == 0;
    }

    /** Unsigned comparison, so 10.0.0.1 sorts before 192.168.0.1. */
    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return format(bits);
    }

    /** Formats 32 bits as a.b.c.d. */
    public static String format(int bits) {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
