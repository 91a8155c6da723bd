package dev.simnet.wire;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;

/**
 * One-line summaries of Ethernet frames in {@code tcpdump -nn -S} style, for traces and test
 * failure messages. IPv4 lines start with the addresses
 * ({@code 172.18.0.2 > 172.18.0.3: ICMP echo request, id 1, seq 1, length 64}); other frames
 * start with the MAC addresses
 * ({@code 02:42:ac:11:00:02 > ff:ff:ff:ff:ff:ff, ARP, Request who-has 172.17.0.1 tell 172.17.0.2}).
 * A tagged frame is prefixed with {@code vlan N, p P, }. Malformed input gives tcpdump's
 * truncation markers ({@code [|ip]}, {@code [|tcp]}, …); this class never throws on frame content.
 */
public final class PacketFormatter {
    private PacketFormatter() {
    }

    /** The summary of a whole frame. */
    public static String format(byte[] frame) {
        return format(frame, 0, frame.length);
    }

    /** The summary of the frame at {@code buf[off, off + len)}. */
    public static String format(byte[] buf, int off, int len) {
        StringBuilder sb = new StringBuilder(96);
        if (EthernetFrame.validate(buf, off, len) != 0) {
            return sb.append("[|ether] length ").append(len).toString();
        }
        EthernetFrame eth = new EthernetFrame(buf, off, len);
        if (eth.hasVlanTag()) {
            sb.append("vlan ").append(eth.vlanId()).append(", p ").append(eth.vlanPcp()).append(", ");
        }
        int type = eth.payloadEtherType();
        int p = eth.payloadOffset();
        int plen = eth.payloadLen();
        if (type == EtherType.IPV4) {
            formatIpv4(sb, buf, p, plen);
            return sb.toString();
        }
        sb.append(MacAddress.format(eth.src())).append(" > ").append(MacAddress.format(eth.dst())).append(", ");
        if (type == EtherType.ARP) {
            formatArp(sb, buf, p, plen);
        } else {
            String name = EtherType.name(type);
            sb.append("ethertype ");
            if (name != null) {
                sb.append(name).append(' ');
            }
            sb.append(String.format(java.util.Locale.ROOT, "(0x%04x)", type)).append(", length ").append(len);
        }
        return sb.toString();
    }

    private static void formatArp(StringBuilder sb, byte[] buf, int off, int len) {
        sb.append("ARP, ");
        int v = ArpPacket.validate(buf, off, len);
        if (v == MalformedPacketException.TRUNCATED) {
            sb.append("[|arp]");
            return;
        }
        ArpPacket a = new ArpPacket(buf, off, len);
        if (v != 0) {
            sb.append("hardware type ").append(a.htype()).append(", protocol type 0x").append(Integer.toHexString(a.ptype()));
            return;
        }
        switch (a.op()) {
            case ArpPacket.OP_REQUEST:
                sb.append("Request who-has ").append(Ipv4Address.format(a.tpa())).append(" tell ").append(Ipv4Address.format(a.spa()));
                break;
            case ArpPacket.OP_REPLY:
                sb.append("Reply ").append(Ipv4Address.format(a.spa())).append(" is-at ").append(MacAddress.format(a.sha()));
                break;
            default:
                sb.append("op ").append(a.op());
                break;
        }
    }

    private static void formatIpv4(StringBuilder sb, byte[] buf, int off, int len) {
        int v = Ipv4Packet.validate(buf, off, len);
        if (v != 0) {
            if (Ipv4Packet.validateQuoted(buf, off, len) == 0) {
                sb.append(Ipv4Address.format(Bytes.i32(buf, off + 12))).append(" > ")
                        .append(Ipv4Address.format(Bytes.i32(buf, off + 16))).append(": ");
            }
            sb.append("[|ip]");
            return;
        }
        Ipv4Packet ip = new Ipv4Packet(buf, off, len);
        int src = ip.src();
        int dst = ip.dst();
        int p = ip.payloadOffset();
        int plen = ip.payloadLen();
        if (ip.fragOffsetBytes() != 0) {
            sb.append(Ipv4Address.format(src)).append(" > ").append(Ipv4Address.format(dst)).append(": ip-proto-")
                    .append(ip.protocol());
            return;
        }
        switch (ip.protocol()) {
            case IpProtocol.ICMP:
                sb.append(Ipv4Address.format(src)).append(" > ").append(Ipv4Address.format(dst)).append(": ");
                formatIcmp(sb, buf, p, plen);
                break;
            case IpProtocol.UDP:
                formatUdp(sb, buf, p, plen, src, dst);
                break;
            case IpProtocol.TCP:
                formatTcp(sb, buf, p, plen, src, dst);
                break;
            case Igmpv3ReportRepr.PROTOCOL:
                sb.append(Ipv4Address.format(src)).append(" > ").append(Ipv4Address.format(dst)).append(": ");
                formatIgmp(sb, buf, p, plen);
                break;
            default:
                sb.append(Ipv4Address.format(src)).append(" > ").append(Ipv4Address.format(dst)).append(": ip-proto-")
                        .append(ip.protocol()).append(' ').append(plen);
                break;
        }
    }

    /** tcpdump's IGMP line: {@code igmp v3 report, 1 group record(s)} (other messages by type). */
    private static void formatIgmp(StringBuilder sb, byte[] buf, int off, int len) {
        if (len < 8) {
            sb.append("[|igmp]");
            return;
        }
        int type = Bytes.u8(buf, off);
        switch (type) {
            case 0x11: sb.append("igmp query"); break;
            case 0x12: sb.append("igmp v1 report ").append(Ipv4Address.format(Bytes.i32(buf, off + 4))); break;
            case 0x16: sb.append("igmp v2 report ").append(Ipv4Address.format(Bytes.i32(buf, off + 4))); break;
            case 0x17: sb.append("igmp leave ").append(Ipv4Address.format(Bytes.i32(buf, off + 4))); break;
            case Igmpv3ReportRepr.TYPE_V3_REPORT:
                sb.append("igmp v3 report, ").append(Bytes.u16(buf, off + 6)).append(" group record(s)");
                break;
            default: sb.append("igmp-").append(type); break;
        }
    }

    private static void formatIcmp(StringBuilder sb, byte[] buf, int off, int len) {
        if (len < IcmpPacket.HEADER_LEN) {
            sb.append("[|icmp]");
            return;
        }
        IcmpPacket ic = new IcmpPacket(buf, off, len);
        int type = ic.type();
        int code = ic.code();
        sb.append("ICMP ");
        switch (type) {
            case IcmpPacket.TYPE_ECHO_REQUEST:
            case IcmpPacket.TYPE_ECHO_REPLY:
                sb.append(type == IcmpPacket.TYPE_ECHO_REQUEST ? "echo request" : "echo reply")
                        .append(", id ").append(ic.echoIdent()).append(", seq ").append(ic.echoSeq());
                break;
            case IcmpPacket.TYPE_DEST_UNREACHABLE:
                formatUnreachable(sb, ic, code);
                break;
            case IcmpPacket.TYPE_TIME_EXCEEDED:
                sb.append(code == IcmpPacket.CODE_TTL_EXCEEDED ? "time exceeded in-transit"
                        : code == IcmpPacket.CODE_REASSEMBLY_EXCEEDED ? "ip reassembly time exceeded" : "time exceeded-#" + code);
                break;
            default:
                sb.append("type-#").append(type);
                break;
        }
        sb.append(", length ").append(len);
    }

    private static void formatUnreachable(StringBuilder sb, IcmpPacket ic, int code) {
        byte[] b = ic.buffer();
        int q = ic.dataOffset();
        int qlen = ic.dataLen();
        if (Ipv4Packet.validateQuoted(b, q, qlen) != 0) {
            sb.append("unreachable [|icmp]");
            return;
        }
        String qdst = Ipv4Address.format(Bytes.i32(b, q + 16));
        int qproto = Bytes.u8(b, q + 9);
        int qhl = (b[q] & 0xf) * 4;
        switch (code) {
            case IcmpPacket.CODE_NET_UNREACHABLE:
                sb.append("net ").append(qdst).append(" unreachable");
                break;
            case IcmpPacket.CODE_HOST_UNREACHABLE:
                sb.append("host ").append(qdst).append(" unreachable");
                break;
            case IcmpPacket.CODE_PROTOCOL_UNREACHABLE:
                sb.append(qdst).append(" protocol ").append(qproto).append(" unreachable");
                break;
            case IcmpPacket.CODE_PORT_UNREACHABLE:
                if ((qproto == IpProtocol.UDP || qproto == IpProtocol.TCP) && qlen >= qhl + 4) {
                    sb.append(qdst).append(' ').append(IpProtocol.name(qproto)).append(" port ")
                            .append(Bytes.u16(b, q + qhl + 2)).append(" unreachable");
                } else {
                    sb.append(qdst).append(" port unreachable");
                }
                break;
            case IcmpPacket.CODE_FRAG_NEEDED:
                sb.append(qdst).append(" unreachable - need to frag (mtu ").append(ic.nextHopMtu()).append(')');
                break;
            case IcmpPacket.CODE_NET_PROHIBITED:
                sb.append("net ").append(qdst).append(" unreachable - admin prohibited");
                break;
            case IcmpPacket.CODE_HOST_PROHIBITED:
                sb.append("host ").append(qdst).append(" unreachable - admin prohibited");
                break;
            case IcmpPacket.CODE_ADMIN_PROHIBITED:
                sb.append("host ").append(qdst).append(" unreachable - admin prohibited filter");
                break;
            default:
                sb.append(qdst).append(" unreachable - #").append(code);
                break;
        }
    }

    private static void formatUdp(StringBuilder sb, byte[] buf, int off, int len, int src, int dst) {
        if (len < UdpPacket.HEADER_LEN) {
            sb.append(Ipv4Address.format(src)).append(" > ").append(Ipv4Address.format(dst)).append(": [|udp]");
            return;
        }
        UdpPacket u = new UdpPacket(buf, off, len);
        endpoint(sb, src, u.srcPort()).append(" > ");
        endpoint(sb, dst, u.dstPort()).append(": UDP, ");
        if (UdpPacket.validate(buf, off, len) != 0) {
            sb.append("bad length ").append(u.length16()).append(" > ").append(len);
        } else {
            sb.append("length ").append(u.payloadLen());
        }
    }

    private static void formatTcp(StringBuilder sb, byte[] buf, int off, int len, int src, int dst) {
        if (len < 4) {
            sb.append(Ipv4Address.format(src)).append(" > ").append(Ipv4Address.format(dst)).append(": [|tcp]");
            return;
        }
        TcpPacket t = new TcpPacket(buf, off, len);
        endpoint(sb, src, t.srcPort()).append(" > ");
        endpoint(sb, dst, t.dstPort()).append(": ");
        if (TcpPacket.validate(buf, off, len) != 0) {
            sb.append("[|tcp]");
            return;
        }
        int flags = t.flags();
        int plen = t.payloadLen();
        sb.append("Flags [").append(tcpFlags(flags)).append(']');
        if (plen > 0) {
            sb.append(", seq ").append(Integer.toUnsignedString(t.seq())).append(':')
                    .append(Integer.toUnsignedString(t.seq() + plen));
        } else if ((flags & (TcpPacket.SYN | TcpPacket.FIN | TcpPacket.RST)) != 0) {
            sb.append(", seq ").append(Integer.toUnsignedString(t.seq()));
        }
        if ((flags & TcpPacket.ACK) != 0) {
            sb.append(", ack ").append(Integer.toUnsignedString(t.ack()));
        }
        sb.append(", win ").append(t.window());
        if ((flags & TcpPacket.URG) != 0) {
            sb.append(", urg ").append(t.urgent());
        }
        if (t.optionsLen() > 0) {
            sb.append(", options [");
            tcpOptions(sb, buf, t.optionsOffset(), t.payloadOffset());
            sb.append(']');
        }
        sb.append(", length ").append(plen);
    }

    private static void tcpOptions(StringBuilder sb, byte[] b, int i, int end) {
        boolean first = true;
        while (i < end) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            int kind = b[i] & 0xff;
            if (kind == TcpPacket.OPT_NOP) {
                sb.append("nop");
                i++;
                continue;
            }
            if (kind == TcpPacket.OPT_EOL) {
                sb.append("eol");
                return;
            }
            int olen = end - i >= 2 ? b[i + 1] & 0xff : 0;
            if (olen < 2 || olen > end - i) {
                sb.append("bad opt");
                return;
            }
            switch (kind) {
                case TcpPacket.OPT_MSS:
                    sb.append(olen == 4 ? "mss " + Bytes.u16(b, i + 2) : "mss bad length");
                    break;
                case TcpPacket.OPT_WSCALE:
                    sb.append(olen == 3 ? "wscale " + Bytes.u8(b, i + 2) : "wscale bad length");
                    break;
                case TcpPacket.OPT_SACK_PERMITTED:
                    sb.append("sackOK");
                    break;
                case TcpPacket.OPT_SACK:
                    sb.append("sack ").append((olen - 2) / 8).append(' ');
                    for (int k = i + 2; k + 8 <= i + olen; k += 8) {
                        sb.append('{').append(Integer.toUnsignedString(Bytes.i32(b, k))).append(':')
                                .append(Integer.toUnsignedString(Bytes.i32(b, k + 4))).append('}');
                    }
                    break;
                case TcpPacket.OPT_TIMESTAMPS:
                    if (olen == 10) {
                        sb.append("TS val ").append(Integer.toUnsignedString(Bytes.i32(b, i + 2)))
                                .append(" ecr ").append(Integer.toUnsignedString(Bytes.i32(b, i + 6)));
                    } else {
                        sb.append("TS bad length");
                    }
                    break;
                default:
                    sb.append("unknown-").append(kind);
                    break;
            }
            i += olen;
        }
    }

    private static StringBuilder endpoint(StringBuilder sb, int addr, int port) {
        return sb.append(Ipv4Address.format(addr)).append('.').append(port);
    }

    /** TCP flags as tcpdump writes them inside {@code Flags [..]}: F S R P . U E W in that order, or "none". */
    public static String tcpFlags(int flags) {
        if ((flags & 0xff) == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder(8);
        String letters = "FSRP.UEW";
        for (int i = 0; i < 8; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(letters.charAt(i));
            }
        }
        return sb.toString();
    }
}
