package dev.simnet.host;

import java.nio.ByteBuffer;

/**
 * A fixed-capacity byte ring: the socket send and receive buffers. Besides append and consume it
 * can write at an offset past the committed tail ({@link #writeAt}) so TCP can place out-of-order
 * segments where they belong and {@link #commit} them once the hole before them is filled.
 * Allocation-free after construction.
 */
final class ByteRing {
    private final byte[] buf;
    private int head;
    private int size;

    ByteRing(int capacity) {
        this.buf = new byte[capacity];
    }

    int capacity() {
        return buf.length;
    }

    int size() {
        return size;
    }

    int free() {
        return buf.length - size;
    }

    /** Appends up to {@code len} bytes; returns how many fit. */
    int write(byte[] src, int off, int len) {
        int n = Math.min(len, free());
        writeAt(0, src, off, n);
        size += n;
        return n;
    }

    /** Appends up to {@code src.remaining()} bytes; returns how many fit. */
    int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        int tail = (head + size) % buf.length;
        int first = Math.min(n, buf.length - tail);
        src.get(buf, tail, first);
        if (n > first) {
            src.get(buf, 0, n - first);
        }
        size += n;
        return n;
    }

    /** Writes {@code len} bytes {@code offset} bytes past the committed tail without committing them. */
    void writeAt(int offset, byte[] src, int off, int len) {
        if (offset < 0 || offset + len > free()) {
            throw new IllegalArgumentException("write of " + len + " at +" + offset + " exceeds free space " + free());
        }
        if (len == 0) {
            return;
        }
        int pos = (head + size + offset) % buf.length;
        int first = Math.min(len, buf.length - pos);
        System.arraycopy(src, off, buf, pos, first);
        if (len > first) {
            System.arraycopy(src, off + first, buf, 0, len - first);
        }
    }

    /** Makes {@code n} bytes written by {@link #writeAt} part of the readable contents. */
    void commit(int n) {
        if (n < 0 || n > free()) {
            throw new IllegalArgumentException("commit " + n);
        }
        size += n;
    }

    /** Copies {@code len} bytes starting {@code offset} bytes after the head, without consuming. */
    void peek(int offset, byte[] dst, int dstOff, int len) {
        if (offset < 0 || offset + len > size) {
            throw new IllegalArgumentException("peek " + len + " at +" + offset + " beyond size " + size);
        }
        if (len == 0) {
            return;
        }
        int pos = (head + offset) % buf.length;
        int first = Math.min(len, buf.length - pos);
        System.arraycopy(buf, pos, dst, dstOff, first);
        if (len > first) {
            System.arraycopy(buf, 0, dst, dstOff + first, len - first);
        }
    }

    /** Consumes up to {@code len} bytes into {@code dst}; returns how many. */
    int read(byte[] dst, int off, int len) {
        int n = Math.min(len, size);
        peek(0, dst, off, n);
        skip(n);
        return n;
    }

    /** Consumes up to {@code dst.remaining()} bytes; returns how many. */
    int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size);
        int first = Math.min(n, buf.length - head);
        dst.put(buf, head, first);
        if (n > first) {
            dst.put(buf, 0, n - first);
        }
        skip(n);
        return n;
    }

    /** Drops {@code n} bytes from the head. */
    void skip(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("skip " + n + " of " + size);
        }
        head = (head + n) % buf.length;
        size -= n; // head is not reset when empty: bytes parked past the tail by writeAt must stay put
    }

    void clear() {
        head = 0;
        size = 0;
    }
}
