package dev.simnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.function.Consumer;

/** Readable assertions shared by the wire tests. */
final class WireAssertions {
    private WireAssertions() {
    }

    /** A buffer of {@code len} bytes, every one 0xa5, so a field an emit forgets shows up. */
    static byte[] a5(int len) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) 0xa5);
        return b;
    }

    /** The bytes {@code [off, off + len)} of {@code b} as a new array. */
    static byte[] slice(byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }

    /** Asserts that {@code action} throws a {@link MalformedPacketException} of this format and reason. */
    static MalformedPacketException assertMalformed(String format, MalformedPacketException.Reason reason, Runnable action) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, action::run);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(format, e.format(), e.getMessage());
        return e;
    }

    /**
     * For every prefix length 0..n-1 of {@code packet}: the fast check returns {@code TRUNCATED}'s
     * code (or another non-zero code, when a shorter length also breaks a length field) and the
     * checked wrap throws the same reason, never an index exception.
     */
    static void assertEveryTruncationRejected(byte[] packet, String format, Validator validate, Consumer<byte[]> checked) {
        for (int n = 0; n < packet.length; n++) {
            byte[] cut = Arrays.copyOf(packet, n);
            int code = validate.validate(cut, 0, n);
            assertEquals(MalformedPacketException.TRUNCATED, code, format + " cut to " + n + " bytes");
            int len = n;
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> checked.accept(cut),
                    format + " cut to " + len + " bytes");
            assertEquals(MalformedPacketException.Reason.TRUNCATED, e.reason(), e.getMessage());
        }
    }

    /** A static {@code validate(buf, off, len)} check. */
    @FunctionalInterface
    interface Validator {
        int validate(byte[] buf, int off, int len);
    }
}
