package dev.simnet.wire;

import java.util.Arrays;

/**
 * Big-endian (network order) field access on byte arrays, shared by the wire views, the datapath,
 * netfilter and the host stack; allocation-free. The array helpers below them are package-private.
 */
public final class Bytes {
    private Bytes() {
    }

    /** The unsigned byte at {@code i}. */
    public static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    /** The unsigned big-endian 16 bits at {@code i}. */
    public static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    /** The big-endian 32 bits at {@code i}. */
    public static int i32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    /** Writes the low 8 bits of {@code v} at {@code i}. */
    public static void put8(byte[] b, int i, int v) {
        b[i] = (byte) v;
    }

    /** Writes the low 16 bits of {@code v} big-endian at {@code i}. */
    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** Writes {@code v} big-endian at {@code i}. */
    public static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static void checkBounds(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            throw new IllegalArgumentException("region [" + off + ", +" + len + ") is outside a "
                    + (buf == null ? "null" : buf.length + "-byte") + " array");
        }
    }

    static void checkEmitRoom(String format, int room, int needed) {
        if (room < needed) {
            throw new IllegalArgumentException(format + ": emitting needs " + needed + " bytes, the view has " + room);
        }
    }

    static byte[] copy(byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }

    static String hexShort(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(b.length * 2 + 8);
        sb.append('[').append(b.length).append(" bytes");
        if (b.length > 0) {
            sb.append(": ");
            int n = Math.min(b.length, 16);
            for (int i = 0; i < n; i++) {
                sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
            }
            if (n < b.length) {
                sb.append("..");
            }
        }
        return sb.append(']').toString();
    }
}
