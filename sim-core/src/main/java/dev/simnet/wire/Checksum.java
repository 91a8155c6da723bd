package dev.simnet.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): full computation over byte ranges, the IPv4 pseudo-header
 * used by UDP and TCP, and incremental updates for a rewritten 16-bit word or 32-bit value
 * (RFC 1624, equation 3: {@code HC' = ~(~HC + ~m + m')}), as NAT uses to rewrite addresses and
 * ports without touching the payload. Allocates nothing.
 *
 * <p>Two kinds of numbers appear here: a <em>sum</em> is the folded 16-bit one's complement sum of
 * some words (not complemented, combinable with {@link #combine}); a <em>checksum</em> is the value
 * stored in a header, {@code ~sum & 0xffff} ({@link #finish}).
 */
public final class Checksum {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /** The one's complement sum of {@code len} bytes at {@code off} (an odd last byte is padded with zero). */
    public static int sum(byte[] b, int off, int len) {
        return sum(b, off, len, 0);
    }

    /** As {@link #sum(byte[], int, int)}, starting from the partial sum {@code initial} (e.g. a pseudo-header). */
    public static int sum(byte[] b, int off, int len, int initial) {
        long acc = initial & 0xffffffffL;
        int i = off;
        int end = off + len;
        // Eight bytes at a time, as two unsigned 32-bit halves added into a 64-bit accumulator
        // (no overflow below 2^30 reads); folding later is exact because 2^16 = 1 (mod 2^16 - 1).
        while (end - i >= 8) {
            long v = (long) LONG_BE.get(b, i);
            acc += (v >>> 32) + (v & 0xffffffffL);
            i += 8;
        }
        while (end - i >= 4) {
            acc += (int) INT_BE.get(b, i) & 0xffffffffL;
            i += 4;
        }
        if (end - i >= 2) {
            acc += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            acc += (b[i] & 0xff) << 8;
        }
        return fold(acc);
    }

    /** Folds a wide one's complement accumulator to 16 bits (result in {@code 0..0xffff}). */
    public static int fold(long acc) {
        long s = (acc >>> 32) + (acc & 0xffffffffL);
        s = (s >>> 32) + (s & 0xffffffffL);
        s = (s >>> 16) + (s & 0xffff);
        s = (s >>> 16) + (s & 0xffff);
        return (int) s;
    }

    /** The one's complement sum of two partial sums. */
    public static int combine(int a, int b) {
        return fold((a & 0xffffffffL) + (b & 0xffffffffL));
    }

    /** The checksum field value for a sum: {@code ~sum & 0xffff}. */
    public static int finish(int sum) {
        return ~fold(sum & 0xffffffffL) & 0xffff;
    }

    /** The checksum of {@code len} bytes at {@code off} (with the checksum field zeroed, this is the value to store). */
    public static int compute(byte[] b, int off, int len) {
        return finish(sum(b, off, len, 0));
    }

    /** True when the bytes, checksum field included, sum to all ones (the checksum verifies). */
    public static boolean verify(byte[] b, int off, int len) {
        return sum(b, off, len, 0) == 0xffff;
    }

    /**
     * The sum of the IPv4 pseudo-header used by UDP and TCP (RFC 768, RFC 793): source and
     * destination address, zero, protocol, and the transport length.
     */
    public static int pseudoHeaderSum(int src, int dst, int protocol, int length) {
        long s = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (protocol & 0xff) + (length & 0xffff);
        return fold(s);
    }

    /** The checksum after a 16-bit word covered by it changed from {@code oldWord} to {@code newWord} (RFC 1624 eqn. 3). */
    public static int update16(int checksum, int oldWord, int newWord) {
        int s = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return ~s & 0xffff;
    }

    /** The checksum after a 32-bit value covered by it (an IPv4 address) changed from {@code oldValue} to {@code newValue}. */
    public static int update32(int checksum, int oldValue, int newValue) {
        int s = (~checksum & 0xffff)
                + (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff)
                + (newValue >>> 16) + (newValue & 0xffff);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return ~s & 0xffff;
    }

    /** Applies {@link #update16(int, int, int)} to the big-endian checksum field at {@code checksumIndex}. */
    public static void update16(byte[] b, int checksumIndex, int oldWord, int newWord) {
        Bytes.put16(b, checksumIndex, update16(Bytes.u16(b, checksumIndex), oldWord, newWord));
    }

    /** Applies {@link #update32(int, int, int)} to the big-endian checksum field at {@code checksumIndex}. */
    public static void update32(byte[] b, int checksumIndex, int oldValue, int newValue) {
        Bytes.put16(b, checksumIndex, update32(Bytes.u16(b, checksumIndex), oldValue, newValue));
    }
}
