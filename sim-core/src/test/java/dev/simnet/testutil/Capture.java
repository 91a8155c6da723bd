package dev.simnet.testutil;

import dev.simnet.capture.FrameTap;
import dev.simnet.wire.PacketFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A FrameTap that keeps every frame (copied) for assertions. */
public final class Capture implements FrameTap {
    /** One captured frame. */
    public record Frame(long time, String ns, String ifname, Direction dir, byte[] bytes) {
        /** tcpdump-like one-line summary. */
        public String summary() {
            return PacketFormatter.format(bytes);
        }

        /** EtherType. */
        public int etherType() {
            return ((bytes[12] & 0xff) << 8) | (bytes[13] & 0xff);
        }

        /** True for ARP. */
        public boolean isArp() {
            return etherType() == 0x0806;
        }

        /** ARP opcode. */
        public int arpOp() {
            return bytes[21] & 0xff;
        }

        /** True for an IPv4 ICMP packet of the given type. */
        public boolean isIcmp(int type) {
            return etherType() == 0x0800 && (bytes[23] & 0xff) == 1 && (bytes[14 + ((bytes[14] & 0xf) << 2)] & 0xff) == type
                    && ((((bytes[20] & 0x1f) << 8) | (bytes[21] & 0xff)) == 0);
        }

        /** IPv4 TTL. */
        public int ttl() {
            return bytes[22] & 0xff;
        }

        @Override
        public String toString() {
            return time + " " + ns + ":" + ifname + " " + dir + " " + summary();
        }
    }

    public final List<Frame> frames = new ArrayList<>();

    @Override
    public void frame(long timeNanos, String namespace, String ifname, int ifindex, Direction dir, byte[] data, int off, int len) {
        frames.add(new Frame(timeNanos, namespace, ifname, dir, Arrays.copyOfRange(data, off, off + len)));
    }

    /** Frames seen on one interface in one direction. */
    public List<Frame> on(String ns, String ifname, Direction dir) {
        return frames.stream().filter(f -> f.ns().equals(ns) && f.ifname().equals(ifname) && f.dir() == dir)
                .collect(Collectors.toList());
    }

    /** Everything, one frame per line. */
    public String dump() {
        return frames.stream().map(Frame::toString).collect(Collectors.joining("\n"));
    }
}
