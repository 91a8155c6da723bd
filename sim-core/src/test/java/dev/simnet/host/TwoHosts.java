package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.RandomStreams;
import dev.simnet.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test harness: two {@link HostStack}s joined by a fake IP layer that pushes a 20-byte IPv4 header,
 * then hands the datagram to the other stack through the scheduler after a delay chosen by a
 * {@link Link} (which may also drop it). It answers echo requests itself and routes ICMP errors to
 * {@link HostStack#icmpError}, as the namespace IP layer does. Every packet sent is recorded.
 */
final class TwoHosts {
    /** Decides each packet's fate: a delay in ns, or -1 to drop. */
    interface Link {
        long delay(Host from, byte[] ipPacket, SplittableRandom rng);
    }

    /** One packet seen leaving a host. */
    record Sent(long time, String from, byte[] ip, boolean dropped) {
        int proto() {
            return ip[9] & 0xff;
        }

        int l4() {
            return (ip[0] & 0x0f) * 4;
        }

        int tcpFlags() {
            return ip[l4() + 13] & 0xff;
        }

        int seq() {
            return Inet.i32(ip, l4() + 4);
        }

        int ack() {
            return Inet.i32(ip, l4() + 8);
        }

        int window() {
            return Inet.u16(ip, l4() + 14);
        }

        int tcpPayloadLen() {
            return ip.length - l4() - ((ip[l4() + 12] & 0xf0) >>> 4) * 4;
        }

        int srcPort() {
            return Inet.u16(ip, l4());
        }

        int dstPort() {
            return Inet.u16(ip, l4() + 2);
        }
    }

    final Scheduler sched = new Scheduler();
    final RandomStreams streams;
    final PacketPool pool = new PacketPool(2048);
    final SplittableRandom linkRng;
    final List<Sent> log = new ArrayList<>();
    boolean record = true;
    Link link = (from, ip, rng) -> 1_000_000L; // 1 ms one way
    final Host a;
    final Host b;

    TwoHosts(long seed) {
        streams = new RandomStreams(seed);
        linkRng = streams.stream("test/link");
        a = new Host("a", Ipv4Address.parseBits("10.0.0.1"));
        b = new Host("b", Ipv4Address.parseBits("10.0.0.2"));
        a.peer = b;
        b.peer = a;
    }

    /** A simulated host: its IP layer and its stack. */
    final class Host implements IpOutput {
        final String name;
        final int addr;
        Host peer;
        int mtu = 1500;
        final HostStack stack;
        int ipId;

        Host(String name, int addr) {
            this.name = name;
            this.addr = addr;
            this.stack = new HostStack(name, sched, this, pool, streams.stream("host/" + name),
                    x -> x == this.addr);
        }

        @Override
        public int sendIpv4(PacketBuffer seg, int src, int dst, int protocol, int ttl, int tos, boolean df, long now) {
            if (df && seg.length() + 20 > mtu) {
                seg.release();
                return IpOutput.EMSGSIZE;
            }
            Host target = dst == addr || (dst >>> 24) == 127 ? this : dst == peer.addr ? peer : null;
            if (target == null) {
                seg.release();
                return IpOutput.ENETUNREACH;
            }
            int len = seg.length() + 20;
            int o = seg.push(20);
            byte[] d = seg.data();
            d[o] = 0x45;
            d[o + 1] = (byte) tos;
            Inet.w16(d, o + 2, len);
            Inet.w16(d, o + 4, ipId++);
            Inet.w16(d, o + 6, df ? 0x4000 : 0);
            d[o + 8] = (byte) ttl;
            d[o + 9] = (byte) protocol;
            Inet.w16(d, o + 10, 0);
            Inet.w32(d, o + 12, src);
            Inet.w32(d, o + 16, dst);
            Inet.w16(d, o + 10, Inet.checksum(d, o, 20));
            seg.networkOffset = o;
            long delay = target == this ? 0 : link.delay(this, seg.toByteArray(), linkRng);
            if (record) {
                log.add(new Sent(now, name, seg.toByteArray(), delay < 0));
            }
            if (delay < 0) {
                seg.release();
                return 0;
            }
            sched.schedule(now + delay, t -> target.deliver(seg, t));
            return 0;
        }

        void deliver(PacketBuffer p, long now) {
            byte[] d = p.data();
            int n = p.networkOffset;
            int ihl = (d[n] & 0x0f) * 4;
            int total = Inet.u16(d, n + 2);
            int proto = d[n + 9] & 0xff;
            int src = Inet.i32(d, n + 12);
            int dst = Inet.i32(d, n + 16);
            int ttl = d[n + 8] & 0xff;
            int l4 = n + ihl;
            int l4len = total - ihl;
            if (proto == 1 && l4len >= 8) {
                int type = d[l4] & 0xff;
                if (type == 8) {
                    // the IP layer answers echo requests (icmp_echo)
                    PacketBuffer r = pool.acquire();
                    r.setLength(l4len);
                    System.arraycopy(d, l4, r.data(), r.start(), l4len);
                    r.data()[r.start()] = 0;
                    Inet.w16(r.data(), r.start() + 2, 0);
                    Inet.w16(r.data(), r.start() + 2, Inet.checksum(r.data(), r.start(), l4len));
                    p.release();
                    sendIpv4(r, dst, src, 1, 64, 0, false, now);
                    return;
                }
                if (type == 3 || type == 11 || type == 12) {
                    stack.icmpError(p, type, d[l4 + 1] & 0xff, l4 + 8, l4len - 8, now);
                    p.release();
                    return;
                }
            }
            stack.receive(p, l4, l4len, src, dst, proto, ttl, now);
        }

        @Override
        public int sourceAddressFor(int dst) {
            return dst == addr || dst == peer.addr || (dst >>> 24) == 127 ? addr : 0;
        }

        @Override
        public int mtuFor(int dst) {
            return sourceAddressFor(dst) == 0 ? 0 : mtu;
        }
    }

    /** Packets sent by {@code host} with IP protocol {@code proto}, dropped ones included. */
    List<Sent> sentBy(Host host, int proto) {
        List<Sent> out = new ArrayList<>();
        for (Sent s : log) {
            if (s.from().equals(host.name) && s.proto() == proto) {
                out.add(s);
            }
        }
        return out;
    }

    static long ms(long n) {
        return n * 1_000_000L;
    }

    static long sec(long n) {
        return n * 1_000_000_000L;
    }
}
