package dev.simnet.device;

import dev.simnet.capture.FrameTap;
import dev.simnet.packet.PacketBuffer;

/**
 * What every simulated device shares: identity, state, counters, capture taps, the egress queueing
 * discipline and the receive side ({@code netif_rx} into the {@link Backlog}, then the installed
 * {@link FrameReceiver}). Subclasses implement only the driver's {@link #xmit}.
 *
 * <pre>
 *  transmit() ── qdisc (netem, optional) ── hardXmit(): tx counters, taps OUT ── xmit() (driver)
 *  netifRx() ── Backlog ── receiveNow(): rx counters, taps IN ── receiver (stack or bridge)
 * </pre>
 *
 * Taps see a frame where {@code tcpdump -i dev} would: after the qdisc on egress (a frame netem
 * drops is never seen), on receive before the stack.
 */
public abstract class AbstractDevice implements NetDevice {
    private static final FrameTap[] NO_TAPS = new FrameTap[0];

    /** The kind of device, as {@code ip -d link} would name it. */
    public enum Kind { LOOPBACK, VETH, BRIDGE, OTHER }

    private final String name;
    private final Kind kind;
    private int ifindex;
    private long mac;
    private int mtu;
    private boolean up;
    private String namespaceName = "";
    private Object owner;
    private final DeviceCounters counters = new DeviceCounters();
    private FrameTap[] taps = NO_TAPS;
    private FrameReceiver receiver;
    private Qdisc qdisc;
    private Backlog backlog;
    private AbstractDevice master;
    private int masterPort = -1;
    private int txQueueLen = 1000;

    /** A device named {@code name} of kind {@code kind}. */
    protected AbstractDevice(String name, Kind kind, long mac, int mtu) {
        this.name = name;
        this.kind = kind;
        this.mac = mac;
        this.mtu = mtu;
    }

    @Override
    public String name() {
        return name;
    }

    /** The kind of device. */
    public Kind kind() {
        return kind;
    }

    @Override
    public int ifindex() {
        return ifindex;
    }

    /** Assigned by the namespace when the device is added to it. */
    public void attach(Object owner, String namespaceName, int ifindex, Backlog backlog) {
        this.owner = owner;
        this.namespaceName = namespaceName;
        this.ifindex = ifindex;
        this.backlog = backlog;
    }

    /** The namespace object that owns this device (set by {@link #attach}). */
    public Object owner() {
        return owner;
    }

    /** The name of the owning namespace. */
    public String namespaceName() {
        return namespaceName;
    }

    @Override
    public long mac() {
        return mac;
    }

    /** Changes the MAC ({@code ip link set address}). */
    public void setMac(long mac) {
        this.mac = mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Changes the MTU ({@code ip link set mtu}). */
    public void setMtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " outside 68..65535");
        }
        this.mtu = mtu;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    /** Sets the administrative state. */
    public void setUp(boolean up) {
        this.up = up;
    }

    @Override
    public boolean hasCarrier() {
        return up;
    }

    /** {@code qlen} as {@code ip link} prints it (0: not printed). */
    public int txQueueLen() {
        return txQueueLen;
    }

    /**
     * Sets {@code txqueuelen} (default 1000, the kernel's {@code DEFAULT_TX_QUEUE_LEN}); Docker creates its
     * veth pairs with 0, which {@code ip link} shows by printing no {@code qlen} at all.
     */
    public void setTxQueueLen(int len) {
        if (len < 0) {
            throw new IllegalArgumentException("txqueuelen must be >= 0: " + len);
        }
        this.txQueueLen = len;
    }

    @Override
    public DeviceCounters counters() {
        return counters;
    }

    @Override
    public void setReceiver(FrameReceiver receiver) {
        this.receiver = receiver;
    }

    /** The installed receiver (stack or bridge). */
    public FrameReceiver receiver() {
        return receiver;
    }

    @Override
    public void addTap(FrameTap tap) {
        FrameTap[] n = java.util.Arrays.copyOf(taps, taps.length + 1);
        n[taps.length] = tap;
        taps = n;
    }

    /** Installs an egress queueing discipline (netem), or null for none ({@code noqueue}). */
    public void setQdisc(Qdisc qdisc) {
        this.qdisc = qdisc;
    }

    /** The egress queueing discipline, or null. */
    public Qdisc qdisc() {
        return qdisc;
    }

    /** The bridge this device is a port of, or null. */
    public AbstractDevice master() {
        return master;
    }

    /** Sets the master device (bridge enslavement) and this device's port number on it. */
    public void setMaster(AbstractDevice master, int port) {
        this.master = master;
        this.masterPort = master == null ? -1 : port;
    }

    /** This device's port number on its master bridge, or -1. */
    public int masterPort() {
        return masterPort;
    }

    @Override
    public void transmit(PacketBuffer frame, long now) {
        if (!up) {
            counters.txDropped++;
            frame.release();
            return;
        }
        if (!hasCarrier()) {
            // up without carrier (an empty bridge, a veth whose peer is down): the kernel has swapped the
            // qdisc for noop (dev_deactivate), which drops before any capture and counts nothing on the device
            frame.release();
            return;
        }
        Qdisc q = qdisc;
        if (q != null) {
            q.enqueue(frame, now);
        } else {
            hardXmit(frame, now);
        }
    }

    /** The frame leaves the queueing discipline for the driver: counters, taps, then {@link #xmit}. */
    public final void hardXmit(PacketBuffer frame, long now) {
        if (!up) {
            counters.txDropped++;
            frame.release();
            return;
        }
        counters.txPackets++;
        counters.txBytes += frame.length();
        FrameTap[] t = taps;
        for (FrameTap tap : t) {
            tap.frame(now, namespaceName, name, ifindex, FrameTap.Direction.OUT, frame.data(), frame.start(), frame.length());
        }
        xmit(frame, now);
    }

    /** The driver: deliver the frame (to a peer, to itself, to bridge ports). Owns the buffer. */
    protected abstract void xmit(PacketBuffer frame, long now);

    /** {@code netif_rx}: queue a received frame for processing after the current one. */
    public void netifRx(PacketBuffer frame, long now) {
        if (backlog == null || !backlog.enqueue(this, frame, now)) {
            counters.rxDropped++;
            frame.release();
        }
    }

    /** Processes a received frame now: counters, taps, receiver. Called from the backlog. */
    public void receiveNow(PacketBuffer frame, long now) {
        if (!up) {
            counters.rxDropped++;
            frame.release();
            return;
        }
        countRx(frame);
        FrameTap[] t = taps;
        for (FrameTap tap : t) {
            tap.frame(now, namespaceName, name, ifindex, FrameTap.Direction.IN, frame.data(), frame.start(), frame.length());
        }
        frame.ingressIfindex = ifindex;
        FrameReceiver r = receiver;
        if (r == null) {
            counters.rxDropped++;
            frame.release();
            return;
        }
        r.receive(this, frame, now);
    }

    private void countRx(PacketBuffer frame) {
        counters.rxPackets++;
        counters.rxBytes += frame.length();
        if ((frame.data()[frame.start()] & 1) != 0) {
            counters.rxMulticast++;
        }
    }

    @Override
    public String toString() {
        return namespaceName + ":" + name;
    }
}
