package dev.simnet.l2;

import dev.simnet.addr.MacAddress;
import dev.simnet.device.AbstractDevice;
import dev.simnet.device.FrameReceiver;
import dev.simnet.device.Frames;
import dev.simnet.device.NetDevice;
import dev.simnet.netfilter.Hook;
import dev.simnet.netfilter.PacketFilter;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.trace.TraceSink;
import dev.simnet.wire.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * A Linux bridge ({@code net/bridge/br_input.c}, {@code br_forward.c}, {@code br_device.c}) with STP
 * off: ports forward as soon as they have carrier; source MACs are learned with 300 s ageing;
 * broadcast, multicast and unknown unicast are flooded to every port but the ingress one; a frame
 * never leaves by its ingress port unless that port is in hairpin mode; frames for the bridge's own
 * MAC (or a port's) go up the bridge device into its namespace, so an address on the bridge makes it
 * the gateway (docker0, br-…). The bridge is the rx handler of its ports.
 *
 * <pre>
 *   port rx ─► learn src ─► dst?  group ─► flood (+ up the bridge device)
 *                                  local ─► up the bridge device
 *                                  known ─► that port (unless it is the ingress port without hairpin)
 *                                  unknown ─► flood
 * </pre>
 */
public final class BridgeDevice extends AbstractDevice implements FrameReceiver {
    /** Linux's default {@code ageing_time}: 300 s. */
    public static final long DEFAULT_AGEING_NS = 300_000_000_000L;

    private final Fdb fdb = new Fdb(DEFAULT_AGEING_NS);
    private final PacketPool pool;
    private AbstractDevice[] ports = new AbstractDevice[8];
    private boolean[] hairpin = new boolean[8];
    private int portCount;
    private TraceSink trace;
    private boolean multicastSnooping = true;

    /** Frames dropped: invalid source MAC. */
    public long dropInvalidSrc;
    /** Frames dropped: known destination behind the ingress port without hairpin. */
    public long dropSamePort;
    /** Frames dropped: bridge down. */
    public long dropBridgeDown;
    /** Frames flooded. */
    public long flooded;
    /** Frames forwarded to one learned port. */
    public long forwarded;

    /** A bridge named {@code name} with MAC {@code mac}, cloning flooded frames from {@code pool}. */
    public BridgeDevice(String name, long mac, PacketPool pool) {
        super(name, Kind.BRIDGE, mac, 1500);
        this.pool = pool;
        fdb.addLocal(mac, Fdb.LOCAL);
    }

    /** Installs or removes the trace sink. */
    public void setTrace(TraceSink trace) {
        this.trace = trace;
    }

    /** The forwarding database. */
    public Fdb fdb() {
        return fdb;
    }

    @Override
    public void setMac(long mac) {
        super.setMac(mac);
        fdb.addLocal(mac, Fdb.LOCAL);
    }

    /** Enslaves {@code dev} ({@code ip link set dev master br}); returns its port number. */
    public int addPort(AbstractDevice dev) {
        if (dev == this) {
            throw new IllegalArgumentException("a bridge cannot be its own port");
        }
        if (dev.master() != null) {
            throw new IllegalArgumentException(dev.name() + " is already enslaved to " + dev.master().name());
        }
        if (dev.owner() != owner()) {
            throw new IllegalArgumentException(dev.name() + " is not in the bridge's namespace");
        }
        if (portCount == ports.length) {
            ports = java.util.Arrays.copyOf(ports, portCount * 2);
            hairpin = java.util.Arrays.copyOf(hairpin, portCount * 2);
        }
        int no = portCount++;
        ports[no] = dev;
        dev.setMaster(this, no);
        dev.setReceiver(this);
        fdb.addLocal(dev.mac(), Fdb.localOfPort(no));
        // Linux: a bridge without its own address takes the lowest port MAC; ours always has one.
        return no;
    }

    /** Releases a port ({@code ip link set dev X nomaster}): its FDB entries are flushed, its number is not reused. */
    public void removePort(AbstractDevice dev) {
        int no = portNumber(dev);
        if (no < 0) {
            return;
        }
        fdb.flushPort(no);
        fdb.flushPort(Fdb.localOfPort(no));
        ports[no] = null;
        hairpin[no] = false;
        dev.setMaster(null, -1);
        dev.setReceiver(null);
    }

    /** Sets hairpin mode on a port ({@code bridge link set dev X hairpin on}). */
    /**
     * {@code mcast_snooping} (1 by default, and Docker keeps it): a snooping bridge that comes up joins
     * 224.0.0.106 on its own interface, which makes its IGMP layer report that membership.
     */
    public boolean multicastSnooping() {
        return multicastSnooping;
    }

    /** {@code ip link set BR type bridge mcast_snooping 0|1}; takes effect the next time the bridge comes up. */
    public void setMulticastSnooping(boolean on) {
        this.multicastSnooping = on;
    }

    public void setHairpin(AbstractDevice port, boolean on) {
        hairpin[portNumber(port)] = on;
    }

    /** True when the port is in hairpin mode. */
    public boolean hairpin(AbstractDevice port) {
        return hairpin[portNumber(port)];
    }

    /** The port number of {@code dev}, or -1. */
    public int portNumber(NetDevice dev) {
        for (int i = 0; i < portCount; i++) {
            if (ports[i] == dev) {
                return i;
            }
        }
        return -1;
    }

    /** The device of port {@code no}. */
    public AbstractDevice port(int no) {
        return ports[no];
    }

    /** Ports in enslavement order (released ports are skipped). */
    public List<AbstractDevice> ports() {
        List<AbstractDevice> l = new ArrayList<>(portCount);
        for (int i = 0; i < portCount; i++) {
            if (ports[i] != null) {
                l.add(ports[i]);
            }
        }
        return l;
    }

    /** Number of port slots ever used (port numbers are below this). */
    public int portSlots() {
        return portCount;
    }

    /** Bridged IPv4 frames dropped by iptables ({@code bridge-nf-call-iptables}). */
    public long dropNetfilter;

    private PacketFilter brNetfilter;

    /**
     * {@code br_netfilter} with {@code net.bridge.bridge-nf-call-iptables=1} (null turns it off): IPv4
     * frames forwarded between two ports traverse the namespace's PREROUTING, FORWARD and
     * POSTROUTING hooks with the bridge as in and out interface, so conntrack and NAT see
     * container-to-container traffic (Docker loads it for {@code userland-proxy=false} and
     * {@code enable_icc=false}).
     */
    public void setBridgeNetfilter(PacketFilter pf) {
        this.brNetfilter = pf;
    }

    /** Runs the bridged frame through iptables; false when it was dropped or stolen. */
    private boolean brNfForward(PacketBuffer f, long now) {
        PacketFilter pf = brNetfilter;
        byte[] b = f.data();
        int s = f.start();
        if (pf == null || f.length() < Frames.ETH_HLEN + 20 || Bytes.u16(b, s + 12) != Frames.ETH_P_IP) {
            return true;
        }
        f.networkOffset = s + Frames.ETH_HLEN;
        int idx = ifindex();
        int v = pf.process(Hook.PREROUTING, f, idx, 0, now);
        if (v == PacketFilter.ACCEPT) {
            v = pf.process(Hook.FORWARD, f, idx, idx, now);
        }
        if (v == PacketFilter.ACCEPT) {
            v = pf.process(Hook.POSTROUTING, f, 0, idx, now);
        }
        if (v == PacketFilter.ACCEPT) {
            return true;
        }
        if (v == PacketFilter.DROP) {
            dropNetfilter++;
            if (trace != null) {
                trace.trace(now, namespaceName(), "drop", name() + ": bridged frame dropped by iptables (br_netfilter)");
            }
            f.release();
        }
        return false;
    }

    /** Frames dropped: longer than the egress port's MTU ({@code is_skb_forwardable}). */
    public long dropTooBig;

    private void toPort(int i, PacketBuffer f, long now) {
        AbstractDevice p = ports[i];
        if (f.length() > p.mtu() + Frames.ETH_HLEN + 4 && f.gsoSize == 0) {
            dropTooBig++;
            f.release();
            return;
        }
        p.transmit(f, now);
    }

    private boolean forwarding(int i) {
        AbstractDevice p = ports[i];
        return p != null && p.hasCarrier();
    }

    /** Carrier is on while at least one port forwards (so docker0 with no container says NO-CARRIER). */
    @Override
    public boolean hasCarrier() {
        if (!isUp()) {
            return false;
        }
        for (int i = 0; i < portCount; i++) {
            if (forwarding(i)) {
                return true;
            }
        }
        return false;
    }

    /** The rx handler: a frame arrived on port {@code dev}. */
    @Override
    public void receive(NetDevice dev, PacketBuffer f, long now) {
        int in = portNumberFast(dev);
        if (!isUp() || in < 0 || f.length() < Frames.ETH_HLEN) {
            dropBridgeDown++;
            f.release();
            return;
        }
        byte[] b = f.data();
        int s = f.start();
        long dst = MacAddress.readBits(b, s);
        long src = MacAddress.readBits(b, s + 6);
        if (Frames.isGroupMac(src) || src == 0) {
            dropInvalidSrc++;
            if (trace != null) {
                trace.trace(now, namespaceName(), "drop", name() + ": invalid source MAC " + dev.name());
            }
            f.release();
            return;
        }
        fdb.learn(src, in, now);
        if (Frames.isGroupMac(dst)) {
            if (trace != null) {
                trace.trace(now, namespaceName(), "bridge", name() + ": " + macText(dst) + " (in on " + dev.name()
                        + ") is broadcast/multicast: flooded to every other port, and up to " + name());
            }
            flood(f, in, true, now);
            return;
        }
        int out = fdb.lookup(dst, now);
        if (Fdb.isLocal(out)) {
            if (trace != null) {
                trace.trace(now, namespaceName(), "bridge", name() + ": " + macText(dst) + " (in on " + dev.name() + ") is the bridge's own: up to " + name());
            }
            receiveNow(f, now);
        } else if (out >= 0) {
            if (out == in && !hairpin[out]) {
                dropSamePort++;
                if (trace != null) {
                    trace.trace(now, namespaceName(), "drop", name() + ": " + macText(dst) + " is behind ingress port "
                            + dev.name() + " (no hairpin)");
                }
                f.release();
                return;
            }
            if (trace != null) {
                trace.trace(now, namespaceName(), "bridge", name() + ": " + macText(dst) + " learned on "
                        + ports[out].name() + ": forwarded out " + ports[out].name() + " (in on " + dev.name() + ")");
            }
            if (brNetfilter != null && !brNfForward(f, now)) {
                return;
            }
            forwarded++;
            toPort(out, f, now);
        } else {
            if (trace != null) {
                trace.trace(now, namespaceName(), "bridge", name() + ": " + macText(dst) + " unknown: flooded to every port but "
                        + dev.name() + " (where it came in)");
            }
            flood(f, in, false, now);
        }
    }

    private int portNumberFast(NetDevice dev) {
        if (dev instanceof AbstractDevice d && d.master() == this) {
            return d.masterPort();
        }
        return -1;
    }

    /** The bridge device transmits (from its namespace's stack): {@code br_dev_xmit}. */
    @Override
    protected void xmit(PacketBuffer f, long now) {
        if (f.length() < Frames.ETH_HLEN) {
            f.release();
            return;
        }
        long dst = MacAddress.readBits(f.data(), f.start());
        if (Frames.isGroupMac(dst)) {
            flood(f, -1, false, now);
            return;
        }
        int out = fdb.lookup(dst, now);
        if (out >= 0) {
            if (trace != null) {
                trace.trace(now, namespaceName(), "bridge", name() + ": " + macText(dst) + " learned on "
                        + ports[out].name() + ": sent out " + ports[out].name() + " by " + name() + " itself");
            }
            forwarded++;
            toPort(out, f, now);
        } else if (Fdb.isLocal(out)) {
            f.release();
        } else {
            if (trace != null) {
                trace.trace(now, namespaceName(), "bridge", name() + ": " + macText(dst) + " unknown: flooded by " + name() + " itself to every port");
            }
            flood(f, -1, false, now);
        }
    }

    private void flood(PacketBuffer f, int in, boolean local, long now) {
        flooded++;
        int last = -1;
        for (int i = 0; i < portCount; i++) {
            if (forwarding(i) && (i != in || hairpin[i])) {
                if (last >= 0) {
                    PacketBuffer c = pool.acquire(f.length());
                    c.copyFrom(f);
                    toPort(last, c, now);
                }
                last = i;
            }
        }
        if (local) {
            if (last >= 0) {
                PacketBuffer c = pool.acquire(f.length());
                c.copyFrom(f);
                toPort(last, c, now);
            }
            receiveNow(f, now);
        } else if (last >= 0) {
            toPort(last, f, now);
        } else {
            f.release();
        }
    }

    private static String macText(long mac) {
        return dev.simnet.addr.MacAddress.format(mac);
    }
}
