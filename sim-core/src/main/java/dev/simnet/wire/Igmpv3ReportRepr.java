package dev.simnet.wire;

import dev.simnet.addr.Ipv4Address;

/**
 * An IGMPv3 membership report with one group record and no sources (RFC 3376 §4.2), as a value: what a
 * Linux host sends to 224.0.0.22 when it joins a group ({@code CHANGE_TO_EXCLUDE_MODE}, "to_ex" in tcpdump)
 * or leaves one ({@code CHANGE_TO_INCLUDE_MODE}). 16 bytes: type 0x22, checksum, the record count, then the
 * record (type, no auxiliary data, no sources, the group).
 *
 * @param recordType {@link #MODE_IS_INCLUDE} … {@link #BLOCK_OLD_SOURCES}
 * @param group the multicast group the record is about
 */
public record Igmpv3ReportRepr(int recordType, Ipv4Address group) {
    /** IP protocol number of IGMP. */
    public static final int PROTOCOL = 2;
    /** The message type of a version 3 membership report. */
    public static final int TYPE_V3_REPORT = 0x22;
    /** Where version 3 reports go: all IGMPv3-capable multicast routers. */
    public static final Ipv4Address ALL_V3_ROUTERS = Ipv4Address.parse("224.0.0.22");
    /** The group a Linux bridge with multicast snooping joins (RFC 4286 multicast router discovery). */
    public static final Ipv4Address ALL_SNOOPERS = Ipv4Address.parse("224.0.0.106");
    public static final int MODE_IS_INCLUDE = 1;
    public static final int MODE_IS_EXCLUDE = 2;
    public static final int CHANGE_TO_INCLUDE_MODE = 3;
    public static final int CHANGE_TO_EXCLUDE_MODE = 4;
    public static final int ALLOW_NEW_SOURCES = 5;
    public static final int BLOCK_OLD_SOURCES = 6;
    /** Length of a report with one source-less record. */
    public static final int LEN = 16;

    /** Validates the components. */
    public Igmpv3ReportRepr {
        if (recordType < MODE_IS_INCLUDE || recordType > BLOCK_OLD_SOURCES) {
            throw new IllegalArgumentException("IGMPv3 record type out of range: " + recordType);
        }
        if (group == null || (group.bits() >>> 28) != 0xe) {
            throw new IllegalArgumentException("IGMPv3 group must be a multicast address: " + group);
        }
    }

    /** The report Linux sends when it joins {@code group}. */
    public static Igmpv3ReportRepr join(Ipv4Address group) {
        return new Igmpv3ReportRepr(CHANGE_TO_EXCLUDE_MODE, group);
    }

    /** Always {@link #LEN}. */
    public int bufferLen() {
        return LEN;
    }

    /** Writes the report at {@code off} (checksum included). */
    public void emit(byte[] b, int off) {
        Bytes.checkEmitRoom("IGMPv3 report", b.length - off, LEN);
        b[off] = (byte) TYPE_V3_REPORT;
        b[off + 1] = 0;
        Bytes.put16(b, off + 2, 0);
        Bytes.put16(b, off + 4, 0);
        Bytes.put16(b, off + 6, 1);
        b[off + 8] = (byte) recordType;
        b[off + 9] = 0;
        Bytes.put16(b, off + 10, 0);
        Bytes.put32(b, off + 12, group.bits());
        Bytes.put16(b, off + 2, Checksum.compute(b, off, LEN));
    }

    /**
     * Parses a report of {@code len} bytes at {@code off} whose first record is source-less; throws
     * {@link MalformedPacketException} for a short, mis-summed or other message.
     */
    public static Igmpv3ReportRepr parse(byte[] b, int off, int len) {
        if (len < LEN || off + len > b.length) {
            throw new MalformedPacketException("IGMPv3", MalformedPacketException.Reason.TRUNCATED, len + " bytes");
        }
        if ((b[off] & 0xff) != TYPE_V3_REPORT) {
            throw new MalformedPacketException("IGMPv3", MalformedPacketException.Reason.UNSUPPORTED, "type " + (b[off] & 0xff));
        }
        if (!Checksum.verify(b, off, len)) {
            throw new MalformedPacketException("IGMPv3", MalformedPacketException.Reason.BAD_CHECKSUM, "checksum");
        }
        if (Bytes.u16(b, off + 6) < 1 || Bytes.u16(b, off + 10) != 0 || (b[off + 9] & 0xff) != 0) {
            throw new MalformedPacketException("IGMPv3", MalformedPacketException.Reason.UNSUPPORTED, "records with sources or auxiliary data");
        }
        int type = b[off + 8] & 0xff;
        if (type < MODE_IS_INCLUDE || type > BLOCK_OLD_SOURCES) {
            throw new MalformedPacketException("IGMPv3", MalformedPacketException.Reason.UNSUPPORTED, "record type " + type);
        }
        return new Igmpv3ReportRepr(type, Ipv4Address.of(Bytes.i32(b, off + 12)));
    }

    /** tcpdump's name for a record type ("to_ex"…). */
    public static String recordTypeName(int type) {
        return switch (type) {
            case MODE_IS_INCLUDE -> "is_in";
            case MODE_IS_EXCLUDE -> "is_ex";
            case CHANGE_TO_INCLUDE_MODE -> "to_in";
            case CHANGE_TO_EXCLUDE_MODE -> "to_ex";
            case ALLOW_NEW_SOURCES -> "allow";
            case BLOCK_OLD_SOURCES -> "block";
            default -> "unknown";
        };
    }
}
