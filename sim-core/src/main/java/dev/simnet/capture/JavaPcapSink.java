package dev.simnet.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fallback writer: the classic pcap format (see pcap-savefile(5)) written directly, in
 * little-endian order as libpcap writes it on x86, with nanosecond timestamps.
 */
final class JavaPcapSink implements PcapSink {
    private final OutputStream out;
    private final byte[] hdr = new byte[24];
    private boolean closed;

    JavaPcapSink(Path file, int linkType) {
        try {
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            putInt(hdr, 0, MAGIC_NANOS);
            putShort(hdr, 4, 2); // version 2.4
            putShort(hdr, 6, 4);
            putInt(hdr, 8, 0); // thiszone
            putInt(hdr, 12, 0); // sigfigs
            putInt(hdr, 16, SNAPLEN);
            putInt(hdr, 20, linkType);
            out.write(hdr, 0, 24);
        } catch (IOException e) {
            throw new CaptureException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void record(long epochNanos, byte[] packet) {
        putInt(hdr, 0, (int) (epochNanos / 1_000_000_000L));
        putInt(hdr, 4, (int) (epochNanos % 1_000_000_000L));
        putInt(hdr, 8, packet.length);
        putInt(hdr, 12, packet.length);
        try {
            out.write(hdr, 0, 16);
            out.write(packet);
        } catch (IOException e) {
            throw new CaptureException("pcap write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new CaptureException("pcap flush failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new CaptureException("pcap close failed: " + e.getMessage(), e);
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
