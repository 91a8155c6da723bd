package dev.simnet.linux.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes netlink messages back to back into one growable buffer (host byte order, 4-byte
 * aligned), so a whole batch goes to the kernel in one {@code sendto}.
 *
 * <pre>
 * nlmsghdr: len u32 | type u16 | flags u16 | seq u32 | pid u32      (16 bytes)
 * rtattr:   len u16 | type u16 | payload … | pad to 4
 * </pre>
 */
public final class NetlinkWriter {
    private byte[] buf;
    private int pos;
    private int msgStart = -1;
    private int messages;

    public NetlinkWriter(int capacity) {
        buf = new byte[capacity];
    }

    /** Bytes written so far (complete messages only once {@link #end()} was called). */
    public int length() {
        return pos;
    }

    /** Number of complete messages in the buffer. */
    public int messages() {
        return messages;
    }

    /** The backing array; valid bytes are {@code [0, length())}. */
    public byte[] array() {
        return buf;
    }

    /** Discards everything written. */
    public void reset() {
        pos = 0;
        msgStart = -1;
        messages = 0;
    }

    /** Starts a message; {@link #end()} fills in its length. */
    public NetlinkWriter begin(int type, int flags, int seq) {
        if (msgStart >= 0) {
            throw new IllegalStateException("previous message not ended");
        }
        msgStart = pos;
        u32(0);
        u16(type);
        u16(flags);
        u32(seq);
        u32(0);
        return this;
    }

    /** Ends the current message, writing its length. */
    public NetlinkWriter end() {
        if (msgStart < 0) {
            throw new IllegalStateException("no message begun");
        }
        putU32(msgStart, pos - msgStart);
        msgStart = -1;
        messages++;
        return this;
    }

    /** {@code struct ifinfomsg}. */
    public NetlinkWriter ifinfomsg(int family, int type, int index, int flags, int change) {
        u8(family);
        u8(0);
        u16(type);
        u32(index);
        u32(flags);
        u32(change);
        return this;
    }

    /** {@code struct ifaddrmsg}. */
    public NetlinkWriter ifaddrmsg(int family, int prefixLen, int flags, int scope, int index) {
        u8(family);
        u8(prefixLen);
        u8(flags);
        u8(scope);
        u32(index);
        return this;
    }

    /** {@code struct rtmsg}. */
    public NetlinkWriter rtmsg(int family, int dstLen, int table, int protocol, int scope, int type) {
        u8(family);
        u8(dstLen);
        u8(0);
        u8(0);
        u8(table);
        u8(protocol);
        u8(scope);
        u8(type);
        u32(0);
        return this;
    }

    public NetlinkWriter attrU32(int type, int value) {
        u16(8);
        u16(type);
        u32(value);
        return this;
    }

    /** A one-byte attribute (padded to 4). */
    public NetlinkWriter attrU8(int type, int value) {
        u16(5);
        u16(type);
        u8(value);
        pad();
        return this;
    }

    /** An IPv4 address attribute, network byte order. */
    public NetlinkWriter attrIpv4(int type, int addressBits) {
        u16(8);
        u16(type);
        u8(addressBits >>> 24);
        u8(addressBits >>> 16);
        u8(addressBits >>> 8);
        u8(addressBits);
        return this;
    }

    /** A NUL-terminated string attribute. */
    public NetlinkWriter attrString(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return attrBytes(type, b, true);
    }

    public NetlinkWriter attrBytes(int type, byte[] b) {
        return attrBytes(type, b, false);
    }

    private NetlinkWriter attrBytes(int type, byte[] b, boolean nul) {
        int len = 4 + b.length + (nul ? 1 : 0);
        u16(len);
        u16(type);
        ensure(b.length + 4);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        if (nul) {
            u8(0);
        }
        pad();
        return this;
    }

    /** Opens a nested attribute; pass the returned mark to {@link #nestEnd(int)}. */
    public int nestBegin(int type) {
        int mark = pos;
        u16(0);
        u16(type);
        return mark;
    }

    public NetlinkWriter nestEnd(int mark) {
        putU16(mark, pos - mark);
        return this;
    }

    private void pad() {
        while ((pos & 3) != 0) {
            u8(0);
        }
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    private void u16(int v) {
        ensure(2);
        buf[pos++] = (byte) v;
        buf[pos++] = (byte) (v >>> 8);
    }

    private void u32(int v) {
        ensure(4);
        putU32(pos, v);
        pos += 4;
    }

    private void putU16(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
    }

    private void putU32(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    /** Reads a host-order u16 (used by parsers of kernel replies). */
    public static int getU16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    /** Reads a host-order u32. */
    public static int getU32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
