package dev.simnet.bench.wire;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.bench.BenchBase;
import dev.simnet.wire.Checksum;
import dev.simnet.wire.EtherType;
import dev.simnet.wire.EthernetFrame;
import dev.simnet.wire.EthernetRepr;
import dev.simnet.wire.IpProtocol;
import dev.simnet.wire.Ipv4Packet;
import dev.simnet.wire.Ipv4Repr;
import dev.simnet.wire.TcpPacket;
import dev.simnet.wire.TcpRepr;
import dev.simnet.wire.UdpPacket;
import dev.simnet.wire.UdpRepr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Wire-format costs on the per-packet path: checked parse of IPv4/UDP/TCP headers through reused
 * views (what the datapath does; should allocate nothing), the same through the value reprs
 * (control paths and tests; allocates), the Internet checksum of a 1500-byte frame, and the
 * RFC 1624 incremental updates NAT and forwarding use.
 */
public class WireBench extends BenchBase {
    private static final int SRC = Ipv4Address.parse("172.18.0.2").bits();
    private static final int DST = Ipv4Address.parse("10.99.0.2").bits();

    private final byte[] udpFrame = new byte[14 + 20 + 8 + 64];
    private final byte[] tcpFrame = new byte[14 + 20 + 40];
    private final byte[] bigFrame = new byte[1500];
    private final byte[] scratch = new byte[1600];
    private final EthernetFrame eth = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final UdpPacket udp = new UdpPacket();
    private final TcpPacket tcp = new TcpPacket();
    private int natAddr = SRC;
    private int natPort = 40000;

    /** Builds a UDP frame with 64 payload bytes, a Linux-like TCP SYN frame, and a 1500-byte frame. */
    @Setup
    public void setup() {
        EthernetRepr e = new EthernetRepr(MacAddress.parse("02:42:ac:12:00:01"), MacAddress.parse("02:42:ac:12:00:02"), EtherType.IPV4);
        UdpRepr u = new UdpRepr(40000, 53, new byte[64]);
        e.emit(udpFrame, 0);
        new Ipv4Repr(Ipv4Address.of(SRC), Ipv4Address.of(DST), IpProtocol.UDP, u.bufferLen(), 64).emit(udpFrame, 14);
        u.emit(udpFrame, 34, SRC, DST);
        TcpRepr t = new TcpRepr(40002, 8080, 413823205, 0, TcpPacket.SYN, 64480, 0, 1460, 7, true, null,
                new TcpRepr.Timestamps(12345, 0), null);
        e.emit(tcpFrame, 0);
        new Ipv4Repr(Ipv4Address.of(SRC), Ipv4Address.of(DST), IpProtocol.TCP, t.bufferLen(), 64).emit(tcpFrame, 14);
        t.emit(tcpFrame, 34, SRC, DST);
        for (int i = 0; i < bigFrame.length; i++) {
            bigFrame[i] = (byte) (i * 31 + 7);
        }
    }

    /** Validates Ethernet, IPv4 (with header checksum) and UDP (with pseudo-header checksum) through reused views. */
    @Benchmark
    public int udpViewsParse() {
        byte[] f = udpFrame;
        if (EthernetFrame.validate(f, 0, f.length) != 0) {
            return -1;
        }
        eth.wrap(f, 0, f.length);
        int p = eth.payloadOffset();
        if (Ipv4Packet.validate(f, p, f.length - p, true) != 0) {
            return -2;
        }
        ip.wrap(f, p, f.length - p);
        int l4 = ip.payloadOffset();
        if (UdpPacket.validate(f, l4, ip.payloadLen(), ip.src(), ip.dst()) != 0) {
            return -3;
        }
        udp.wrap(f, l4, ip.payloadLen());
        return udp.dstPort() + udp.payloadLen();
    }

    /** Validates Ethernet, IPv4 and a TCP SYN (with checksum) through reused views and reads the MSS option. */
    @Benchmark
    public int tcpViewsParse() {
        byte[] f = tcpFrame;
        if (EthernetFrame.validate(f, 0, f.length) != 0) {
            return -1;
        }
        eth.wrap(f, 0, f.length);
        int p = eth.payloadOffset();
        if (Ipv4Packet.validate(f, p, f.length - p, true) != 0) {
            return -2;
        }
        ip.wrap(f, p, f.length - p);
        int l4 = ip.payloadOffset();
        if (TcpPacket.validate(f, l4, ip.payloadLen(), ip.src(), ip.dst()) != 0) {
            return -3;
        }
        tcp.wrap(f, l4, ip.payloadLen());
        return tcp.flags() + tcp.mssOption();
    }

    /** Writes an IPv4 + UDP header pair through views for an in-place 64-byte payload (checksums filled). */
    @Benchmark
    public int udpViewsEmit() {
        byte[] b = scratch;
        ip.wrap(b, 14, 20 + 8 + 64);
        ip.setVersion(4);
        ip.setHeaderLen(20);
        ip.setTos(0);
        ip.setTotalLen(20 + 8 + 64);
        ip.setIdent(0);
        ip.clearFlags();
        ip.setDontFrag(true);
        ip.setFragOffsetBytes(0);
        ip.setTtl(64);
        ip.setProtocol(IpProtocol.UDP);
        ip.setSrc(SRC);
        ip.setDst(DST);
        ip.fillChecksum();
        udp.wrap(b, 34, 8 + 64);
        UdpRepr.emitHeader(udp, 40000, 53, 64, SRC, DST);
        return udp.checksum();
    }

    /** IPv4 + UDP through the reprs: parse (allocating records) and emit. */
    @Benchmark
    public int udpReprParseEmit() {
        ip.wrap(udpFrame, 14, udpFrame.length - 14);
        Ipv4Repr ir = Ipv4Repr.parse(ip);
        udp.wrap(udpFrame, 34, ir.payloadLen());
        UdpRepr ur = UdpRepr.parse(udp, ir.src().bits(), ir.dst().bits());
        ir.emit(scratch, 14);
        ur.emit(scratch, 34, ir.src().bits(), ir.dst().bits());
        return scratch[40];
    }

    /** IPv4 + TCP SYN with options through the reprs: parse and emit. */
    @Benchmark
    public int tcpReprParseEmit() {
        ip.wrap(tcpFrame, 14, tcpFrame.length - 14);
        Ipv4Repr ir = Ipv4Repr.parse(ip);
        tcp.wrap(tcpFrame, 34, ir.payloadLen());
        TcpRepr tr = TcpRepr.parse(tcp, ir.src().bits(), ir.dst().bits());
        ir.emit(scratch, 14);
        tr.emit(scratch, 34, ir.src().bits(), ir.dst().bits());
        return scratch[50];
    }

    /** The Internet checksum over a 1500-byte frame. */
    @Benchmark
    public int checksum1500() {
        return Checksum.compute(bigFrame, 0, bigFrame.length);
    }

    /** One RFC 1624 16-bit update (a port rewrite). */
    @Benchmark
    public int incrementalUpdate16() {
        int old = natPort;
        natPort = (natPort + 1) & 0xffff;
        return Checksum.update16(0x1c46, old, natPort);
    }

    /** A SNAT rewrite as conntrack applies it: IPv4 source (header checksum) + TCP pseudo-header + source port. */
    @Benchmark
    public int natRewriteTcp() {
        ip.wrap(tcpFrame, 14, tcpFrame.length - 14);
        tcp.wrap(tcpFrame, 34, ip.payloadLen());
        int newAddr = natAddr ^ 0x00000101;
        int old = ip.rewriteSrc(newAddr);
        tcp.updateChecksumForAddress(old, newAddr);
        tcp.rewriteSrcPort(tcp.srcPort() ^ 1);
        natAddr = newAddr;
        return tcp.checksum();
    }

    /** TTL decrement with the incremental header checksum update, as forwarding does it. */
    @Benchmark
    public int decrementTtl() {
        ip.wrap(udpFrame, 14, udpFrame.length - 14);
        int ttl = ip.decrementTtl();
        if (ttl <= 1) {
            ip.setTtl(64);
            ip.fillChecksum();
        }
        return ttl;
    }
}
