package dev.simnet.dns;

/** The transport a DNS message arrived on or is sent over. */
public enum DnsProto {
    /** UDP: answers limited to 512 bytes or the client's EDNS size, TC set when cut. */
    UDP,
    /** TCP: length-prefixed messages (RFC 1035 4.2.2), no size limit below 65535. */
    TCP
}
