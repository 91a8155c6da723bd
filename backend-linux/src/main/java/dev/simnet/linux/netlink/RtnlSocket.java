package dev.simnet.linux.netlink;

import static dev.simnet.linux.netlink.Rtnl.*;

import dev.simnet.linux.ffi.Native;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket bound to the network namespace of the thread that opened it (a socket
 * keeps its namespace for life, so it can be used from any thread afterwards). Requests are queued
 * with their description and sent as one datagram by {@link #flush()}, which then collects every
 * acknowledgement and throws {@link RtnlException} for the first refused request (the kernel keeps
 * processing the rest of the batch, as {@code netlink_rcv_skb} does).
 *
 * <p>Not thread-safe: one user at a time.
 */
public final class RtnlSocket implements AutoCloseable {
    /** Flush automatically when this many requests are pending (keeps acks well inside the receive buffer). */
    private static final int MAX_BATCH = 200;
    private static final byte[] KERNEL = sockaddrNl(0);

    private final int fd;
    /**
     * Receive buffer, one per thread (a socket has one user at a time, and a run opens one socket
     * per namespace: a buffer each would be megabytes to allocate and zero per run). Acks are a few
     * dozen bytes each, one datagram apiece; a dump datagram is at most 32 KiB.
     */
    private static final ThreadLocal<byte[]> RECV = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    private final NetlinkWriter out = new NetlinkWriter(2048);
    private final List<String> pending = new ArrayList<>();
    private int firstSeq = 1;
    private int nextSeq = 1;
    private boolean closed;

    private RtnlSocket(int fd) {
        this.fd = fd;
    }

    /** Opens a socket in the calling thread's current network namespace. */
    public static RtnlSocket open() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("rtnetlink writer assumes a little-endian host");
        }
        int fd = Native.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0);
        try {
            if (!Native.setsockoptInt(fd, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, 4 << 20)) {
                Native.setsockoptInt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, 4 << 20);
            }
            if (!Native.setsockoptInt(fd, Native.SOL_SOCKET, Native.SO_SNDBUFFORCE, 1 << 20)) {
                Native.setsockoptInt(fd, Native.SOL_SOCKET, Native.SO_SNDBUF, 1 << 20);
            }
            Native.setsockoptInt(fd, Native.SOL_NETLINK, Native.NETLINK_CAP_ACK, 1);
            Native.setsockoptInt(fd, Native.SOL_NETLINK, Native.NETLINK_EXT_ACK, 1);
            Native.bind(fd, sockaddrNl(0));
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
        return new RtnlSocket(fd);
    }

    private static byte[] sockaddrNl(int pid) {
        byte[] a = new byte[12];
        a[0] = (byte) Native.AF_NETLINK;
        a[4] = (byte) pid;
        a[5] = (byte) (pid >>> 8);
        a[6] = (byte) (pid >>> 16);
        a[7] = (byte) (pid >>> 24);
        return a;
    }

    /** A socket with no kernel end, for tests of the requests it composes (never flush it). */
    static RtnlSocket unconnected() {
        return new RtnlSocket(-1);
    }

    /** A copy of the queued, unsent requests' bytes. */
    byte[] pendingBytes() {
        return java.util.Arrays.copyOf(out.array(), out.length());
    }

    /** Number of queued, unsent requests. */
    public int pending() {
        return pending.size();
    }

    private NetlinkWriter begin(int type, int flags, String what) {
        if (closed) {
            throw new IllegalStateException("socket closed");
        }
        if (pending.size() >= MAX_BATCH) {
            flush();
        }
        pending.add(what);
        return out.begin(type, flags | NLM_F_REQUEST | NLM_F_ACK, nextSeq++);
    }

    /**
     * Queues creation of a bridge with the given MAC, MTU, administrative state and (if nonzero)
     * the ifindex to give it.
     */
    public void addBridge(String name, int ifindex, byte[] mac, int mtu, boolean up) {
        checkName(name);
        NetlinkWriter w = begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, "create bridge " + name)
                .ifinfomsg(AF_UNSPEC, 0, ifindex, up ? IFF_UP : 0, up ? IFF_UP : 0)
                .attrString(IFLA_IFNAME, name);
        if (mac != null) {
            w.attrBytes(IFLA_ADDRESS, mac);
        }
        if (mtu > 0) {
            w.attrU32(IFLA_MTU, mtu);
        }
        int li = w.nestBegin(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "bridge");
        w.nestEnd(li);
        w.end();
    }

    private int vethQueues;

    /** TX and RX queues of each veth end {@link #addVeth} creates from now on; 0 = the kernel's default. */
    public void vethQueues(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("veth queues must be >= 0: " + n);
        }
        this.vethQueues = n;
    }

    /**
     * One end of a veth pair: name, requested ifindex (0 = any), MAC (null = random), MTU (0 = default),
     * administrative state and {@code txqueuelen} (-1 = the kernel's 1000; Docker asks for 0).
     */
    public record VethEnd(String name, int ifindex, byte[] mac, int mtu, boolean up, int txQueueLen) {
        /** An end with the kernel's default {@code txqueuelen}. */
        public VethEnd(String name, int ifindex, byte[] mac, int mtu, boolean up) {
            this(name, ifindex, mac, mtu, up, -1);
        }
    }

    /**
     * Queues creation of a veth pair: {@code local} in this socket's namespace (enslaved to
     * {@code masterIndex} when nonzero), {@code peer} created directly in the namespace open as
     * {@code peerNsFd} (-1 = this namespace).
     *
     * <p>Queue counts: with {@link #vethQueues(int)} 0 (the default, as Docker creates them) the kernel
     * allocates one queue per possible CPU, then (veth_init_queues) shrinks the active count to 1, and
     * each TX shrink of a registered device waits for an RCU grace period ({@code synchronize_net})
     * while holding rtnl_lock: two per pair, the largest share of a veth pair's creation time on a 2-CPU
     * VM. With 1, both ends get one TX and one RX queue, as on a one-CPU machine: the active queue count
     * is 1 either way, only {@code ip -d link}'s numtxqueues/numrxqueues (and {@code ethtool -l}'s
     * maximum) show 1 instead of the machine's CPU count.
     */
    public void addVeth(VethEnd local, int masterIndex, VethEnd peer, int peerNsFd) {
        checkName(local.name());
        checkName(peer.name());
        NetlinkWriter w = begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, "create veth " + local.name() + " <-> " + peer.name())
                .ifinfomsg(AF_UNSPEC, 0, local.ifindex(), local.up() ? IFF_UP : 0, local.up() ? IFF_UP : 0)
                .attrString(IFLA_IFNAME, local.name());
        if (local.mac() != null) {
            w.attrBytes(IFLA_ADDRESS, local.mac());
        }
        if (local.mtu() > 0) {
            w.attrU32(IFLA_MTU, local.mtu());
        }
        if (local.txQueueLen() >= 0) {
            w.attrU32(IFLA_TXQLEN, local.txQueueLen());
        }
        if (masterIndex > 0) {
            w.attrU32(IFLA_MASTER, masterIndex);
        }
        if (vethQueues > 0) {
            w.attrU32(IFLA_NUM_TX_QUEUES, vethQueues);
            w.attrU32(IFLA_NUM_RX_QUEUES, vethQueues);
        }
        int li = w.nestBegin(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "veth");
        int data = w.nestBegin(IFLA_INFO_DATA);
        int p = w.nestBegin(VETH_INFO_PEER);
        w.ifinfomsg(AF_UNSPEC, 0, peer.ifindex(), peer.up() ? IFF_UP : 0, peer.up() ? IFF_UP : 0);
        w.attrString(IFLA_IFNAME, peer.name());
        if (peer.mac() != null) {
            w.attrBytes(IFLA_ADDRESS, peer.mac());
        }
        if (peer.mtu() > 0) {
            w.attrU32(IFLA_MTU, peer.mtu());
        }
        if (peer.txQueueLen() >= 0) {
            w.attrU32(IFLA_TXQLEN, peer.txQueueLen());
        }
        if (peerNsFd >= 0) {
            w.attrU32(IFLA_NET_NS_FD, peerNsFd);
        }
        if (vethQueues > 0) {
            w.attrU32(IFLA_NUM_TX_QUEUES, vethQueues);
            w.attrU32(IFLA_NUM_RX_QUEUES, vethQueues);
        }
        w.nestEnd(p);
        w.nestEnd(data);
        w.nestEnd(li);
        w.end();
    }

    /** Queues setting a link's administrative state (and MTU when positive). */
    public void setLink(int ifindex, boolean up, int mtu, String what) {
        NetlinkWriter w = begin(RTM_NEWLINK, 0, what)
                .ifinfomsg(AF_UNSPEC, 0, ifindex, up ? IFF_UP : 0, IFF_UP);
        if (mtu > 0) {
            w.attrU32(IFLA_MTU, mtu);
        }
        w.end();
    }

    /** Queues {@code bridge link set dev IFINDEX hairpin on|off} (the port reflects frames back to their sender). */
    public void setHairpin(int ifindex, boolean on, String what) {
        NetlinkWriter w = begin(RTM_SETLINK, 0, what).ifinfomsg(AF_BRIDGE, 0, ifindex, 0, 0);
        int n = w.nestBegin(IFLA_PROTINFO | NLA_F_NESTED);
        w.attrU8(IFLA_BRPORT_MODE, on ? 1 : 0);
        w.nestEnd(n);
        w.end();
    }

    /** Queues {@code ip addr add ADDR/PREFIX brd + dev IFINDEX}. */
    public void addAddress(int ifindex, int addressBits, int prefixLength, String what) {
        NetlinkWriter w = begin(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, what)
                .ifaddrmsg(AF_INET, prefixLength, 0, RT_SCOPE_UNIVERSE, ifindex)
                .attrIpv4(IFA_LOCAL, addressBits)
                .attrIpv4(IFA_ADDRESS, addressBits);
        if (prefixLength < 31) {
            int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            w.attrIpv4(IFA_BROADCAST, addressBits | ~mask);
        }
        w.end();
    }

    /** Queues a main-table unicast route; {@code gatewayBits} 0 means on-link, {@code oif} 0 means any. */
    public void addRoute(int dstBits, int dstLen, int gatewayBits, int oif, String what) {
        NetlinkWriter w = begin(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, what)
                .rtmsg(AF_INET, dstLen, RT_TABLE_MAIN, RTPROT_BOOT,
                        gatewayBits == 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE, RTN_UNICAST);
        if (dstLen > 0) {
            w.attrIpv4(RTA_DST, dstBits);
        }
        if (gatewayBits != 0) {
            w.attrIpv4(RTA_GATEWAY, gatewayBits);
        }
        if (oif > 0) {
            w.attrU32(RTA_OIF, oif);
        }
        w.end();
    }

    /** Queues deletion of a link by index. */
    public void deleteLink(int ifindex, String what) {
        begin(RTM_DELLINK, 0, what).ifinfomsg(AF_UNSPEC, 0, ifindex, 0, 0).end();
    }

    /** Sends every queued request in one datagram and waits for all acknowledgements. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        int expectFirst = firstSeq;
        int count = pending.size();
        byte[] in = RECV.get();
        try {
            Native.sendto(fd, out.array(), out.length(), KERNEL);
            RtnlException first = null;
            int acked = 0;
            while (acked < count) {
                int n = Native.recv(fd, in);
                int off = 0;
                while (off + NLMSG_HDRLEN <= n) {
                    int len = NetlinkWriter.getU32(in, off);
                    int type = NetlinkWriter.getU16(in, off + 4);
                    int flags = NetlinkWriter.getU16(in, off + 6);
                    int seq = NetlinkWriter.getU32(in, off + 8);
                    if (len < NLMSG_HDRLEN || off + len > n) {
                        throw new IllegalStateException("malformed netlink reply (len " + len + ")");
                    }
                    if (type == NLMSG_ERROR && seq >= expectFirst && seq < expectFirst + count) {
                        acked++;
                        int err = -NetlinkWriter.getU32(in, off + NLMSG_HDRLEN);
                        if (err != 0 && first == null) {
                            String msg = (flags & NLM_F_ACK_TLVS) != 0 ? extackMessage(in, off, len) : null;
                            first = new RtnlException(pending.get(seq - expectFirst), err, msg);
                        }
                    }
                    off += Rtnl.align(len);
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pending.clear();
            out.reset();
            firstSeq = nextSeq;
        }
    }

    private static String extackMessage(byte[] in, int off, int len) {
        // nlmsgerr = error(4) + original header (16, capped ack); then TLVs
        int a = off + NLMSG_HDRLEN + 4 + NLMSG_HDRLEN;
        int endAt = off + len;
        while (a + 4 <= endAt) {
            int alen = NetlinkWriter.getU16(in, a);
            int atype = NetlinkWriter.getU16(in, a + 2);
            if (alen < 4 || a + alen > endAt) {
                break;
            }
            if (atype == NLMSGERR_ATTR_MSG) {
                int e = a + 4;
                int z = e;
                while (z < a + alen && in[z] != 0) {
                    z++;
                }
                return new String(in, e, z - e, StandardCharsets.UTF_8);
            }
            a += Rtnl.align(alen);
        }
        return null;
    }

    /** Dumps the links of this namespace and returns the highest ifindex in use. */
    public int maxIfindex() {
        int[] max = {0};
        getLinks(0, (in, off, len) -> max[0] = Math.max(max[0], NetlinkWriter.getU32(in, off + NLMSG_HDRLEN + 4)));
        return max[0];
    }

    /**
     * The STP state of bridge port {@code ifindex} ({@code IFLA_BRPORT_STATE}: 0 disabled … 3 forwarding),
     * or -1 when the link is not a bridge port. A port's state follows its carrier only once the kernel's
     * linkwatch work has run, which is why callers poll it. Throws {@link RtnlException} when the link
     * is gone ({@code ENODEV}).
     */
    public int bridgePortState(int ifindex) {
        int[] state = {-1};
        getLinks(ifindex, (in, off, len) -> state[0] = portState(in, off, len));
        return state[0];
    }

    /**
     * {@code RTM_GETLINK} of one link, for its side effect: the kernel first runs that link's pending linkwatch
     * work ({@code rtnl_getlink} syncs it, a dump does not), so afterwards its operstate ({@code state UP} or
     * {@code DOWN} in {@code ip link}) and its qdisc follow its carrier. A bridge's event is not urgent for
     * linkwatch and may otherwise wait up to a second, with frames the host sends through it dropped meanwhile.
     */
    public void syncLink(int ifindex) {
        getLinks(ifindex, (in, off, len) -> { });
    }

    /**
     * The STP state of every bridge port of this namespace, by ifindex (one {@code RTM_GETLINK} dump; links
     * that are no bridge port are left out).
     */
    public java.util.Map<Integer, Integer> bridgePortStates() {
        java.util.Map<Integer, Integer> states = new java.util.HashMap<>();
        getLinks(0, (in, off, len) -> {
            int state = portState(in, off, len);
            if (state >= 0) {
                states.put(NetlinkWriter.getU32(in, off + NLMSG_HDRLEN + 4), state);
            }
        });
        return states;
    }

    /** Receives one {@code RTM_NEWLINK} message: the buffer, its offset and its length. */
    private interface LinkVisitor {
        void visit(byte[] in, int off, int len);
    }

    /**
     * {@code RTM_GETLINK}: of the link {@code ifindex}, or a dump of every link when it is 0; each reply
     * goes to {@code visitor}. Queued requests are flushed first.
     */
    private void getLinks(int ifindex, LinkVisitor visitor) {
        flush();
        boolean dump = ifindex == 0;
        int seq = nextSeq++;
        firstSeq = nextSeq;
        out.reset();
        out.begin(RTM_GETLINK, NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0), seq).ifinfomsg(AF_UNSPEC, 0, ifindex, 0, 0).end();
        Native.sendto(fd, out.array(), out.length(), KERNEL);
        out.reset();
        byte[] in = RECV.get();
        while (true) {
            int n = Native.recv(fd, in);
            int off = 0;
            while (off + NLMSG_HDRLEN <= n) {
                int len = NetlinkWriter.getU32(in, off);
                int type = NetlinkWriter.getU16(in, off + 4);
                int rseq = NetlinkWriter.getU32(in, off + 8);
                if (len < NLMSG_HDRLEN || off + len > n) {
                    throw new IllegalStateException("malformed netlink reply (len " + len + ")");
                }
                if (rseq == seq) {
                    if (type == NLMSG_DONE) {
                        return;
                    }
                    if (type == NLMSG_ERROR) {
                        throw new RtnlException(dump ? "dump links" : "get link " + ifindex,
                                -NetlinkWriter.getU32(in, off + NLMSG_HDRLEN), null);
                    }
                    if (type == RTM_NEWLINK) {
                        visitor.visit(in, off, len);
                        if (!dump) {
                            return;
                        }
                    }
                }
                off += Rtnl.align(len);
            }
        }
    }

    /** {@code IFLA_LINKINFO / IFLA_INFO_SLAVE_DATA / IFLA_BRPORT_STATE} of the RTM_NEWLINK at {@code off}, or -1. */
    private static int portState(byte[] in, int off, int len) {
        int info = findAttr(in, off + NLMSG_HDRLEN + IFINFOMSG_LEN, off + len, IFLA_LINKINFO);
        int slave = info < 0 ? -1 : findAttr(in, info + 4, info + NetlinkWriter.getU16(in, info), IFLA_INFO_SLAVE_DATA);
        int state = slave < 0 ? -1 : findAttr(in, slave + 4, slave + NetlinkWriter.getU16(in, slave), IFLA_BRPORT_STATE);
        return state < 0 ? -1 : in[state + 4] & 0xff;
    }

    /** Offset of the first attribute of {@code type} (nested flag ignored) in {@code [from, to)}, or -1. */
    private static int findAttr(byte[] b, int from, int to, int type) {
        int a = from;
        while (a + 4 <= to) {
            int alen = NetlinkWriter.getU16(b, a);
            if (alen < 4 || a + alen > to) {
                return -1;
            }
            if ((NetlinkWriter.getU16(b, a + 2) & 0x3fff) == type) {
                return a;
            }
            a += Rtnl.align(alen);
        }
        return -1;
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > IFNAME_MAX || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid interface name '" + name + "' (1.." + IFNAME_MAX + " chars, no '/' or spaces)");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.close(fd);
        }
    }
}
