package dev.simnet.wire;

/**
 * What every zero-copy view shares: the wrapped region of a byte array and its bounds check
 * (smoltcp's {@code Packet<T>} over a buffer). Each format's view adds its own {@code wrap},
 * {@code validate}/{@code checkLen} and field accessors.
 */
abstract class View {
    byte[] buf;
    int off;
    int len;

    View() {
    }

    /** Binds this view to {@code len} bytes at {@code off} after a bounds check; the content is not checked. */
    final void bind(byte[] buf, int off, int len) {
        Bytes.checkBounds(buf, off, len);
        this.buf = buf;
        this.off = off;
        this.len = len;
    }

    /** The backing array. */
    public final byte[] buffer() {
        return buf;
    }

    /** Index of the first byte in {@link #buffer()}. */
    public final int offset() {
        return off;
    }

    /** Length of the wrapped region (it may exceed the length a header announces). */
    public final int length() {
        return len;
    }
}
