package dev.simnet.testutil;

import dev.simnet.device.Frames;
import dev.simnet.host.TransportReceiver;
import dev.simnet.ns.Namespace;
import dev.simnet.packet.PacketBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal socket layer for datapath tests: sends raw ICMP echo requests through
 * {@link Namespace#sendIpv4} and records echo replies (with their TTL and length) and ICMP errors.
 */
public final class TestHost implements TransportReceiver {
    /** A received echo reply. */
    public record Reply(long time, int src, int id, int seq, int ttl, int icmpLength) {
    }

    /** A received ICMP error. */
    public record IcmpError(long time, int src, int type, int code, int info, int quotedDst) {
    }

    /** A received datagram of another protocol. */
    public record Datagram(long time, int src, int dst, int protocol, int length) {
    }

    private final Namespace ns;
    public final List<Reply> replies = new ArrayList<>();
    public final List<IcmpError> errors = new ArrayList<>();
    public final List<Datagram> datagrams = new ArrayList<>();

    /** Installs itself as {@code ns}'s transport receiver. */
    public TestHost(Namespace ns) {
        this.ns = ns;
        ns.setTransportReceiver(this);
    }

    /** Sends one echo request with {@code payload} bytes of data; returns sendIpv4's status. */
    public int ping(int dst, int id, int seq, int payload, int ttl, boolean df, long now) {
        PacketBuffer p = ns.pool().acquire();
        p.setLength(8 + payload);
        byte[] b = p.data();
        int s = p.start();
        b[s] = 8;
        b[s + 1] = 0;
        Frames.put16(b, s + 2, 0);
        Frames.put16(b, s + 4, id);
        Frames.put16(b, s + 6, seq);
        for (int i = 0; i < payload; i++) {
            b[s + 8 + i] = (byte) (0x10 + i);
        }
        Frames.put16(b, s + 2, Frames.checksum(b, s, 8 + payload, 0));
        return ns.sendIpv4(p, 0, dst, 1, ttl, 0, df, now);
    }

    @Override
    public void receive(PacketBuffer p, int l4, int l4len, int src, int dst, int protocol, int ttl, long now) {
        byte[] b = p.data();
        if (protocol == 1 && (b[l4] & 0xff) == 0) {
            replies.add(new Reply(now, src, Frames.u16(b, l4 + 4), Frames.u16(b, l4 + 6), ttl, l4len));
        } else {
            datagrams.add(new Datagram(now, src, dst, protocol, l4len));
        }
        p.release();
    }

    @Override
    public void icmpError(PacketBuffer p, int type, int code, int quotedOffset, int quotedLength, long now) {
        byte[] b = p.data();
        int ip = p.networkOffset;
        errors.add(new IcmpError(now, Frames.u32(b, ip + Frames.IP_SRC), type, code,
                Frames.u16(b, quotedOffset - 2), Frames.u32(b, quotedOffset + Frames.IP_DST)));
    }
}
