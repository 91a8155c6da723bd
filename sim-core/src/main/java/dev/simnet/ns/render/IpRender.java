package dev.simnet.ns.render;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.device.AbstractDevice;
import dev.simnet.device.DeviceCounters;
import dev.simnet.device.VethEnd;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.l2.Fdb;
import dev.simnet.link.NetemQdisc;
import dev.simnet.neigh.NeighState;
import dev.simnet.neigh.NeighTable;
import dev.simnet.ns.IfAddress;
import dev.simnet.ns.Namespace;
import dev.simnet.ip.RouteTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Namespace state rendered exactly as iproute2 6.1 prints it ({@code ip addr}, {@code ip -j addr},
 * {@code ip -s link}, {@code ip route}, {@code ip neigh}, {@code bridge fdb}) and as util-linux
 * prints {@code lsns -t net}; checked against captured real output. IPv4 only (as in a container with
 * {@code disable_ipv6=1}); peers are named by {@code link-netnsid}, as inside a Docker container.
 */
public final class IpRender {
    private IpRender() {
    }

    private static String flags(AbstractDevice d) {
        StringBuilder sb = new StringBuilder("<");
        boolean loop = d.kind() == AbstractDevice.Kind.LOOPBACK;
        if (d.isUp() && !loop && !d.hasCarrier()) {
            sb.append("NO-CARRIER,");
        }
        sb.append(loop ? "LOOPBACK" : "BROADCAST,MULTICAST");
        if (d.isUp()) {
            sb.append(",UP");
            if (d.hasCarrier()) {
                sb.append(",LOWER_UP");
            }
        }
        return sb.append('>').toString();
    }

    private static String[] flagList(AbstractDevice d) {
        String f = flags(d);
        return f.substring(1, f.length() - 1).split(",");
    }

    private static String operstate(AbstractDevice d) {
        if (d.kind() == AbstractDevice.Kind.LOOPBACK) {
            return d.isUp() ? "UNKNOWN" : "DOWN";
        }
        if (!d.isUp()) {
            return "DOWN";
        }
        if (d.hasCarrier()) {
            return "UP";
        }
        return d.kind() == AbstractDevice.Kind.VETH ? "LOWERLAYERDOWN" : "DOWN";
    }

    private static String qdisc(AbstractDevice d) {
        return d.qdisc() instanceof NetemQdisc ? "netem" : "noqueue";
    }

    private static String nameWithPeer(AbstractDevice d) {
        if (d instanceof VethEnd v && v.peer() != null) {
            return d.name() + (v.peer().owner() == v.owner() ? "@" + v.peer().name() : "@if" + v.peer().ifindex());
        }
        return d.name();
    }

    private static String firstLine(AbstractDevice d, boolean mode) {
        return d.ifindex() + ": " + nameWithPeer(d) + ": " + flags(d) + " mtu " + d.mtu() + " qdisc " + qdisc(d)
                + (d.master() != null ? " master " + d.master().name() : "") + " state " + operstate(d)
                + (mode ? " mode DEFAULT" : "") + " group default " + (d.txQueueLen() > 0 ? "qlen " + d.txQueueLen() : "") + "\n";
    }

    private static String linkLine(Namespace ns, AbstractDevice d) {
        if (d.kind() == AbstractDevice.Kind.LOOPBACK) {
            return "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n";
        }
        String s = "    link/ether " + MacAddress.format(d.mac()) + " brd ff:ff:ff:ff:ff:ff";
        if (d instanceof VethEnd v && v.peer() != null && v.peer().owner() != v.owner()) {
            s += " link-netnsid " + ns.netnsId((Namespace) v.peer().owner());
        }
        return s + "\n";
    }

    private static String scopeName(int scope) {
        return switch (scope) {
            case IfAddress.SCOPE_HOST -> "host";
            case IfAddress.SCOPE_LINK -> "link";
            default -> "global";
        };
    }

    /** {@code ip addr}. */
    public static String ipAddr(Namespace ns) {
        StringBuilder sb = new StringBuilder();
        for (AbstractDevice d : ns.devices()) {
            sb.append(firstLine(d, false)).append(linkLine(ns, d));
            List<IfAddress> earlier = new ArrayList<>();
            for (IfAddress a : ns.addresses()) {
                if (a.ifindex() != d.ifindex()) {
                    continue;
                }
                sb.append("    inet ").append(a.cidr());
                if (a.broadcast() != 0) {
                    sb.append(" brd ").append(Ipv4Address.format(a.broadcast()));
                }
                sb.append(" scope ").append(scopeName(a.scope()));
                // IFA_F_SECONDARY: a later address inside the subnet of an earlier one on the same device
                for (IfAddress p : earlier) {
                    if (p.cidr().prefixLength() <= a.cidr().prefixLength() && p.cidr().contains(a.cidr().address())) {
                        sb.append(" secondary");
                        break;
                    }
                }
                earlier.add(a);
                sb.append(' ').append(a.label()).append('\n');
                sb.append("       valid_lft forever preferred_lft forever\n");
            }
            if (d.kind() == AbstractDevice.Kind.LOOPBACK && d.isUp() && ns.ipv6()) {
                // IPv6 is on in every namespace: lo gets ::1 when it comes up (Docker disables IPv6 only on eth*)
                sb.append("    inet6 ::1/128 scope host \n");
                sb.append("       valid_lft forever preferred_lft forever\n");
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }

    /** {@code ip -s link}. */
    public static String ipSLink(Namespace ns) {
        StringBuilder sb = new StringBuilder();
        for (AbstractDevice d : ns.devices()) {
            sb.append(firstLine(d, true)).append(linkLine(ns, d));
            DeviceCounters c = d.counters();
            long[] rx = {c.rxBytes, c.rxPackets, c.rxErrors, c.rxDropped, 0, c.rxMulticast};
            long[] tx = {c.txBytes, c.txPackets, c.txErrors, c.txDropped, 0, 0};
            int[] w = {10, 7, 6, 7, 7, 7};
            for (int i = 0; i < 6; i++) {
                w[i] = Math.max(w[i], Math.max(Long.toString(rx[i]).length(), Long.toString(tx[i]).length()));
            }
            sb.append("    RX: ").append(pad("bytes", w[0] - 4)).append(' ').append(pad("packets", w[1])).append(' ')
                    .append(pad("errors", w[2])).append(' ').append(pad("dropped", w[3])).append(' ')
                    .append(pad("missed", w[4])).append(' ').append(pad("mcast", w[5])).append(' ').append(" ".repeat(10)).append('\n');
            values(sb, rx, w);
            sb.append("    TX: ").append(pad("bytes", w[0] - 4)).append(' ').append(pad("packets", w[1])).append(' ')
                    .append(pad("errors", w[2])).append(' ').append(pad("dropped", w[3])).append(' ')
                    .append(pad("carrier", w[4])).append(' ').append(pad("collsns", w[5])).append(' ').append(" ".repeat(10)).append('\n');
            values(sb, tx, w);
        }
        return sb.toString();
    }

    private static void values(StringBuilder sb, long[] v, int[] w) {
        sb.append("    ");
        for (int i = 0; i < v.length; i++) {
            sb.append(pad(Long.toString(v[i]), w[i])).append(' ');
        }
        sb.append('\n');
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code ip -j addr} (one line of JSON). */
    public static String ipJAddr(Namespace ns) {
        StringBuilder sb = new StringBuilder("[");
        boolean firstDev = true;
        for (AbstractDevice d : ns.devices()) {
            if (!firstDev) {
                sb.append(',');
            }
            firstDev = false;
            boolean loop = d.kind() == AbstractDevice.Kind.LOOPBACK;
            sb.append("{\"ifindex\":").append(d.ifindex());
            VethEnd peer = d instanceof VethEnd v ? v.peer() : null;
            if (peer != null) {
                sb.append(",\"link_index\":").append(peer.ifindex());
            }
            sb.append(",\"ifname\":").append(q(d.name())).append(",\"flags\":[");
            String[] fl = flagList(d);
            for (int i = 0; i < fl.length; i++) {
                sb.append(i > 0 ? "," : "").append(q(fl[i]));
            }
            sb.append("],\"mtu\":").append(d.mtu()).append(",\"qdisc\":").append(q(qdisc(d)));
            if (d.master() != null) {
                sb.append(",\"master\":").append(q(d.master().name()));
            }
            sb.append(",\"operstate\":").append(q(operstate(d))).append(",\"group\":\"default\"");
            if (d.txQueueLen() > 0) {
                sb.append(",\"txqlen\":").append(d.txQueueLen()); // iproute2 leaves a zero qlen out
            }
            sb.append(",\"link_type\":").append(q(loop ? "loopback" : "ether"))
                    .append(",\"address\":").append(q(MacAddress.format(d.mac())))
                    .append(",\"broadcast\":").append(q(loop ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff"));
            if (peer != null && peer.owner() != d.owner()) {
                sb.append(",\"link_netnsid\":").append(ns.netnsId((Namespace) peer.owner()));
            }
            sb.append(",\"addr_info\":[");
            boolean firstAddr = true;
            for (IfAddress a : ns.addresses()) {
                if (a.ifindex() != d.ifindex()) {
                    continue;
                }
                if (!firstAddr) {
                    sb.append(',');
                }
                firstAddr = false;
                sb.append("{\"family\":\"inet\",\"local\":").append(q(a.cidr().address().toString()))
                        .append(",\"prefixlen\":").append(a.cidr().prefixLength());
                if (a.broadcast() != 0) {
                    sb.append(",\"broadcast\":").append(q(Ipv4Address.format(a.broadcast())));
                }
                sb.append(",\"scope\":").append(q(scopeName(a.scope()))).append(",\"label\":").append(q(a.label()))
                        .append(",\"valid_life_time\":4294967295,\"preferred_life_time\":4294967295}");
            }
            sb.append("]}");
        }
        return sb.append("]\n").toString();
    }

    /** {@code ip route} (main table). */
    public static String ipRoute(Namespace ns) {
        StringBuilder sb = new StringBuilder();
        for (RouteTable.Route r : ns.routes().routes()) {
            sb.append(r.dst().prefixLength() == 0 ? "default" : r.dst().toString());
            if (r.gateway() != 0) {
                sb.append(" via ").append(Ipv4Address.format(r.gateway()));
            }
            sb.append(" dev ").append(ns.deviceByIndex(r.oif()).name());
            if (r.proto() == RouteTable.Proto.KERNEL) {
                sb.append(" proto kernel");
            } else if (r.proto() == RouteTable.Proto.STATIC) {
                sb.append(" proto static");
            }
            if (r.scope() == RouteTable.SCOPE_LINK) {
                sb.append(" scope link");
            }
            if (r.prefsrc() != 0) {
                sb.append(" src ").append(Ipv4Address.format(r.prefsrc()));
            }
            if (r.metric() != 0) {
                sb.append(" metric ").append(r.metric());
            }
            AbstractDevice out = ns.deviceByIndex(r.oif());
            if (out.kind() != AbstractDevice.Kind.LOOPBACK && !out.hasCarrier()) {
                // RTNH_F_LINKDOWN: the kernel flags nexthops whose device has no carrier (an empty bridge)
                sb.append(" linkdown");
            }
            sb.append(" \n");
        }
        return sb.toString();
    }

    /** {@code ip neigh} (per interface in ifindex order, newest entry first within one). */
    public static String ipNeigh(Namespace ns) {
        return ipNeigh(ns, null, false);
    }

    /**
     * {@code ip [-j] neigh [show dev DEV]}: text lines, or iproute2's JSON array
     * ({@code [{"dst":…,"dev":…,"lladdr":…,"state":["REACHABLE"]}]}); with a device filter the
     * {@code dev} field is left out, as iproute2 does.
     */
    public static String ipNeigh(Namespace ns, String dev, boolean json) {
        StringBuilder sb = new StringBuilder(json ? "[" : "");
        boolean first = true;
        for (AbstractDevice d : ns.devices()) {
            if (d.kind() == AbstractDevice.Kind.LOOPBACK || d.master() != null || (dev != null && !dev.equals(d.name()))) {
                continue;
            }
            NeighTable t = ns.neighTable(d.name());
            if (t == null) {
                continue;
            }
            for (NeighTable.Entry e : t.entries()) {
                if (e.state() == NeighState.NONE) {
                    continue;
                }
                if (json) {
                    sb.append(first ? "" : ",").append("{\"dst\":").append(q(Ipv4Address.format(e.ip())));
                    if (dev == null) {
                        sb.append(",\"dev\":").append(q(d.name()));
                    }
                    if (e.state().valid()) {
                        sb.append(",\"lladdr\":").append(q(MacAddress.format(e.mac())));
                    }
                    sb.append(",\"state\":[").append(q(e.state().name())).append("]}");
                } else {
                    sb.append(Ipv4Address.format(e.ip()));
                    if (dev == null) {
                        sb.append(" dev ").append(d.name());
                    }
                    if (e.state().valid()) {
                        sb.append(" lladdr ").append(MacAddress.format(e.mac()));
                    }
                    sb.append(' ').append(e.state().name()).append(" \n");
                }
                first = false;
            }
        }
        return json ? sb.append("]\n").toString() : sb.toString();
    }

    /** One {@code bridge fdb} row: the MAC, the port (or the bridge itself), the bridge, permanent or learned. */
    private record FdbRow(long mac, String dev, String master, boolean permanent) {
    }

    private static List<FdbRow> fdbRows(Namespace ns, long now) {
        List<FdbRow> rows = new java.util.ArrayList<>();
        for (AbstractDevice d : ns.devices()) {
            if (!(d instanceof BridgeDevice br)) {
                continue;
            }
            List<Fdb.Entry> entries = br.fdb().entries(now);
            for (Fdb.Entry e : entries) {
                if (e.port() == Fdb.LOCAL) {
                    rows.add(new FdbRow(e.mac(), br.name(), br.name(), true));
                }
            }
            for (int p = 0; p < br.portSlots(); p++) {
                if (br.port(p) == null) {
                    continue;
                }
                String port = br.port(p).name();
                for (Fdb.Entry e : entries) {
                    if (e.port() == p) {
                        rows.add(new FdbRow(e.mac(), port, br.name(), false));
                    }
                }
                for (Fdb.Entry e : entries) {
                    if (Fdb.isLocal(e.port()) && Fdb.portOfLocal(e.port()) == p) {
                        rows.add(new FdbRow(e.mac(), port, br.name(), true));
                    }
                }
            }
        }
        return rows;
    }

    /** {@code bridge fdb} for every bridge of the namespace (without the IPv6/IGMP {@code self} multicast entries). */
    public static String bridgeFdb(Namespace ns, long now) {
        return bridgeFdb(ns, now, null, null, false);
    }

    /**
     * {@code bridge [-j] fdb show [br BR] [dev DEV]}: text lines, or iproute2's JSON array
     * ({@code [{"mac":…,"ifname":…,"flags":[],"master":…,"state":""}]}, state {@code permanent} for
     * local addresses and empty for learned ones). With {@code dev} the device is left out, as
     * iproute2 does. The {@code self} multicast entries of IPv6/IGMP are not modelled.
     */
    public static String bridgeFdb(Namespace ns, long now, String br, String dev, boolean json) {
        StringBuilder sb = new StringBuilder(json ? "[" : "");
        boolean first = true;
        for (FdbRow r : fdbRows(ns, now)) {
            if ((br != null && !br.equals(r.master())) || (dev != null && !dev.equals(r.dev()))) {
                continue;
            }
            if (json) {
                sb.append(first ? "" : ",").append("{\"mac\":").append(q(MacAddress.format(r.mac())));
                if (dev == null) {
                    sb.append(",\"ifname\":").append(q(r.dev()));
                }
                sb.append(",\"flags\":[],\"master\":").append(q(r.master())).append(",\"state\":")
                        .append(q(r.permanent() ? "permanent" : "")).append('}');
            } else {
                sb.append(MacAddress.format(r.mac()));
                if (dev == null) {
                    sb.append(" dev ").append(r.dev());
                }
                sb.append(" master ").append(r.master()).append(r.permanent() ? " permanent\n" : " \n");
            }
            first = false;
        }
        return json ? sb.append("]\n").toString() : sb.toString();
    }

    /** {@code bridge link}: every bridge port (STP off: forwarding while it has carrier, else disabled; veth cost 2). */
    public static String bridgeLink(Namespace ns) {
        StringBuilder sb = new StringBuilder();
        for (AbstractDevice d : ns.devices()) {
            if (d.master() == null) {
                continue;
            }
            sb.append(d.ifindex()).append(": ").append(d.name()).append('@').append(d.master().name()).append(": ")
                    .append(flags(d)).append(" mtu ").append(d.mtu()).append(" master ").append(d.master().name())
                    .append(" state ").append(d.hasCarrier() && d.master().isUp() ? "forwarding" : "disabled")
                    .append(" priority 32 cost 2 \n");
        }
        return sb.toString();
    }

    /** One row of {@code lsns -t net}: the namespace and its oldest process. */
    public record NsRow(Namespace ns, int nprocs, int pid, String user, String nsfs, String command, String netnsid) {
        /** A row whose namespace has no id in the viewer's namespace ({@code unassigned}). */
        public NsRow(Namespace ns, int nprocs, int pid, String user, String nsfs, String command) {
            this(ns, nprocs, pid, user, nsfs, command, "unassigned");
        }
    }

    /** {@code lsns -t net} with util-linux's column layout (widths fitted to the content). */
    public static String lsns(List<NsRow> rows) {
        String[] head = {"NS", "TYPE", "NPROCS", "PID", "USER", "NETNSID", "NSFS", "COMMAND"};
        boolean[] right = {true, false, true, true, false, true, false, false};
        String[][] cells = new String[rows.size()][];
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (int r = 0; r < rows.size(); r++) {
            NsRow x = rows.get(r);
            cells[r] = new String[] {Long.toString(x.ns().inode()), "net", Integer.toString(x.nprocs()),
                Integer.toString(x.pid()), x.user(), x.netnsid() == null ? "unassigned" : x.netnsid(), x.nsfs() == null ? "" : x.nsfs(), x.command()};
            for (int i = 0; i < head.length; i++) {
                w[i] = Math.max(w[i], cells[r][i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, head, w, right);
        for (String[] c : cells) {
            line(sb, c, w, right);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] c, int[] w, boolean[] right) {
        for (int i = 0; i < c.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            if (i == c.length - 1) {
                sb.append(c[i]);
            } else if (right[i]) {
                sb.append(pad(c[i], w[i]));
            } else {
                sb.append(c[i]).append(" ".repeat(w[i] - c[i].length()));
            }
        }
        sb.append('\n');
    }
}
