package dev.simnet.wire;

/**
 * Input bytes that do not form a valid packet of the named format: too short, a length field that
 * disagrees with the buffer, a wrong version, a bad checksum, or something this layer does not
 * support. Thrown by {@code wrapChecked}, {@code checkLen} and every {@code Repr.parse}; never an
 * index exception.
 */
public class MalformedPacketException extends WireException {
    private static final long serialVersionUID = 1L;

    /** Why the bytes were rejected. {@link #code()} is what the non-throwing {@code validate(...)} checks return. */
    public enum Reason {
        /** The buffer ends before the header (or the length a header field promises) does. */
        TRUNCATED,
        /** A length field is impossible (smaller than the header, or inconsistent with another length). */
        BAD_LENGTH,
        /** The version field is not the one this format has (IPv4: not 4). */
        BAD_VERSION,
        /** The header length field is below the minimum (IPv4 IHL &lt; 5, TCP data offset &lt; 5). */
        BAD_HEADER_LENGTH,
        /** The checksum does not verify. */
        BAD_CHECKSUM,
        /** Valid on the wire but outside what this layer models (e.g. ARP for a non-Ethernet/IPv4 pair). */
        UNSUPPORTED;

        private static final Reason[] VALUES = values();

        /** Non-zero code for this reason, as returned by the {@code validate(...)} fast checks (0 means valid). */
        public int code() {
            return ordinal() + 1;
        }

        /** The reason for a non-zero code from a {@code validate(...)} check. */
        public static Reason ofCode(int code) {
            if (code < 1 || code > VALUES.length) {
                throw new IllegalArgumentException("not a reason code: " + code);
            }
            return VALUES[code - 1];
        }
    }

    /** Returned by the {@code validate(...)} checks when the bytes are valid. */
    public static final int OK = 0;
    /** {@link Reason#TRUNCATED}'s code, usable in switch statements. */
    public static final int TRUNCATED = 1;
    /** {@link Reason#BAD_LENGTH}'s code. */
    public static final int BAD_LENGTH = 2;
    /** {@link Reason#BAD_VERSION}'s code. */
    public static final int BAD_VERSION = 3;
    /** {@link Reason#BAD_HEADER_LENGTH}'s code. */
    public static final int BAD_HEADER_LENGTH = 4;
    /** {@link Reason#BAD_CHECKSUM}'s code. */
    public static final int BAD_CHECKSUM = 5;
    /** {@link Reason#UNSUPPORTED}'s code. */
    public static final int UNSUPPORTED = 6;

    private final String format;
    private final Reason reason;

    /** A rejection of a {@code format} ("IPv4", "TCP", …) packet for {@code reason}, with a detail. */
    public MalformedPacketException(String format, Reason reason, String detail) {
        super(format + ": " + reason + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.format = format;
        this.reason = reason;
    }

    /** The exception for a non-zero code from a {@code validate(...)} check. */
    public static MalformedPacketException ofCode(String format, int code, String detail) {
        return new MalformedPacketException(format, Reason.ofCode(code), detail);
    }

    /** The format whose bytes were rejected ("Ethernet", "ARP", "IPv4", "ICMP", "UDP", "TCP"). */
    public String format() {
        return format;
    }

    /** Why they were rejected. */
    public Reason reason() {
        return reason;
    }
}
