package dev.simnet.linux.netlink;

/**
 * rtnetlink constants ({@code include/uapi/linux/netlink.h}, {@code rtnetlink.h}, {@code if_link.h},
 * {@code if_addr.h}, {@code veth.h}). Only the ones the backend sends or reads.
 */
public final class Rtnl {
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** Set on an NLMSG_ERROR reply that carries extended-ack TLVs. */
    public static final int NLM_F_ACK_TLVS = 0x200;
    public static final int NLMSGERR_ATTR_MSG = 1;

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_NEWROUTE = 24;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int IFLA_PROTINFO = 12;
    public static final int IFLA_BRPORT_MODE = 4;

    public static final int IFINFOMSG_LEN = 16;
    public static final int IFADDRMSG_LEN = 8;
    public static final int RTMSG_LEN = 12;

    public static final int IFF_UP = 0x1;

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_TXQLEN = 13;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_NUM_TX_QUEUES = 31;
    public static final int IFLA_NUM_RX_QUEUES = 32;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int IFLA_INFO_SLAVE_DATA = 5;
    public static final int IFLA_BRPORT_STATE = 1;
    /** {@code BR_STATE_FORWARDING}: the port passes frames both ways. */
    public static final int BR_STATE_FORWARDING = 3;
    public static final int VETH_INFO_PEER = 1;

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_BROADCAST = 4;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;

    public static final int RT_TABLE_MAIN = 254;
    public static final int RTPROT_BOOT = 3;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RTN_UNICAST = 1;

    /** Kernel limit on interface names, without the terminating NUL ({@code IFNAMSIZ - 1}). */
    public static final int IFNAME_MAX = 15;

    private Rtnl() {
    }

    /** Rounds up to the 4-byte alignment of netlink messages and attributes. */
    public static int align(int n) {
        return (n + 3) & ~3;
    }
}
