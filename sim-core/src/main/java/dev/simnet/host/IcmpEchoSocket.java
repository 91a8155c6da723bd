package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.wire.IcmpPacket;

/**
 * An ICMP echo socket, Linux's unprivileged ping socket ({@code socket(AF_INET, SOCK_DGRAM,
 * IPPROTO_ICMP)}, {@code net/ipv4/ping.c}): the kernel owns the identifier, the application picks
 * sequence numbers and payload. Echo replies with this identifier come back with their TTL and
 * the virtual time they arrived; ICMP errors quoting one of our requests (destination unreachable,
 * time exceeded) are reported with the address that sent them, which is what {@code ping} prints.
 * The namespace's IP layer answers echo requests itself; this socket only sees replies and errors.
 */
public final class IcmpEchoSocket {
    /** Receives replies and errors. */
    public interface Listener {
        /**
         * An echo reply.
         *
         * @param from        the replying address
         * @param sequence    the echo sequence number
         * @param ttl         the reply's IP TTL
         * @param payloadLen  bytes of echo data (after the 8-byte ICMP header)
         * @param sentAt      virtual time the matching request was sent, or -1 if unknown (RTT = now - sentAt)
         * @param now         virtual time of arrival
         */
        void onReply(int from, int sequence, int ttl, int payloadLen, long sentAt, long now);

        /** An ICMP error about request {@code sequence}, sent by {@code reporter} (e.g. "Destination Host Unreachable"). */
        default void onError(int reporter, int icmpType, int icmpCode, int sequence, long now) {
        }
    }

    private final HostStack stack;
    private final int id;
    private final IcmpPacket out = new IcmpPacket();
    private Listener listener;
    private boolean closed;
    private final long[] sentAt = new long[65536 / 64];
    private final int[] sentSeq = new int[65536 / 64];
    private long repliesReceived;

    IcmpEchoSocket(HostStack stack, int id) {
        this.stack = stack;
        this.id = id;
        java.util.Arrays.fill(sentSeq, -1);
    }

    /** The echo identifier the kernel assigned (the socket's "port"). */
    public int id() {
        return id;
    }

    /** Replies received. */
    public long repliesReceived() {
        return repliesReceived;
    }

    /** Sets the listener. */
    public IcmpEchoSocket setListener(Listener l) {
        this.listener = l;
        return this;
    }

    /**
     * Sends an echo request to {@code dst} with {@code sequence} and {@code payloadLen} bytes of
     * data (byte i of the data is i &amp; 0xff).
     *
     * @return 0, or the errno the IP layer reported
     */
    public int send(int dst, int sequence, int payloadLen, int ttl) {
        if (closed) {
            throw new SocketError(9, "ping socket closed (EBADF)");
        }
        int src = stack.ip.sourceAddressFor(dst);
        if (src == 0) {
            throw new SocketError(Errno.ENETUNREACH, "ping " + Ipv4Address.format(dst));
        }
        if (payloadLen < 0 || payloadLen > 65507) {
            throw new SocketError(Errno.EMSGSIZE, "ping");
        }
        PacketBuffer p = stack.pool.acquire();
        p.setLength(8 + payloadLen);
        byte[] d = p.data();
        IcmpPacket m = out.wrap(d, p.start(), 8 + payloadLen);
        m.setType(IcmpPacket.TYPE_ECHO_REQUEST);
        m.setCode(0);
        m.setChecksum(0);
        m.setEchoIdent(id);
        m.setEchoSeq(sequence & 0xffff);
        int o = m.dataOffset();
        for (int i = 0; i < payloadLen; i++) {
            d[o + i] = (byte) i;
        }
        m.fillChecksum();
        long now = stack.now();
        int slot = (sequence & 0xffff) % sentAt.length;
        sentAt[slot] = now;
        sentSeq[slot] = sequence & 0xffff;
        return stack.ip.sendIpv4(p, src, dst, HostStack.PROTO_ICMP, ttl <= 0 ? HostStack.DEFAULT_TTL : ttl, 0,
                stack.fitsMtu(dst, 28 + payloadLen), now);
    }

    /** Sends with the default TTL 64. */
    public int send(Ipv4Address dst, int sequence, int payloadLen) {
        return send(dst.bits(), sequence, payloadLen, HostStack.DEFAULT_TTL);
    }

    /** Releases the identifier. */
    public void close() {
        if (!closed) {
            closed = true;
            stack.pingUnregister(this);
        }
    }

    private long sentTime(int seq) {
        int slot = seq % sentAt.length;
        return sentSeq[slot] == seq ? sentAt[slot] : -1;
    }

    void deliverReply(int seq, int payload, int src, int ttl, long now) {
        repliesReceived++;
        Listener l = listener;
        if (l == null || closed) {
            return;
        }
        long sent = sentTime(seq);
        // deliver from an event at the same instant, never inside packet processing
        stack.sched.schedule(now, t -> {
            if (!closed && listener != null) {
                listener.onReply(src, seq, ttl, payload, sent, t);
            }
        });
    }

    void deliverError(int type, int code, int reporter, int dst, int seq, long now) {
        if (listener == null || closed) {
            return;
        }
        stack.sched.schedule(now, t -> {
            if (!closed && listener != null) {
                listener.onError(reporter, type, code, seq, t);
            }
        });
    }
}
