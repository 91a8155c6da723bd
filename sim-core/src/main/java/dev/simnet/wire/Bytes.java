package dev.simnet.wire;

import java.util.Arrays;

/** Big-endian field access and small array helpers shared by the wire views (package-private). */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static int i32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    static void put8(byte[] b, int i, int v) {
        b[i] = (byte) v;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
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
