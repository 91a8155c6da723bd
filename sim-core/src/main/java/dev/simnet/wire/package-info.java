/**
 * Wire formats of the engine, shaped after smoltcp's {@code src/wire}: per format a zero-copy
 * view over {@code (byte[], offset, length)} with a getter and setter per field
 * ({@link dev.simnet.wire.EthernetFrame}, {@link dev.simnet.wire.ArpPacket},
 * {@link dev.simnet.wire.Ipv4Packet}, {@link dev.simnet.wire.IcmpPacket},
 * {@link dev.simnet.wire.UdpPacket}, {@link dev.simnet.wire.TcpPacket}) and a small value record
 * that parses (validating) and emits ({@code EthernetRepr}, {@code ArpRepr}, {@code Ipv4Repr},
 * {@code IcmpRepr}, {@code UdpRepr}, {@code TcpRepr}); the Internet checksum with RFC 1624
 * incremental updates ({@link dev.simnet.wire.Checksum}); ICMP errors built as Linux builds them
 * ({@link dev.simnet.wire.IcmpErrors}); one-line tcpdump-style summaries
 * ({@link dev.simnet.wire.PacketFormatter}).
 *
 * <p>Untrusted bytes go through {@code wrapChecked}/{@code checkLen} (throwing
 * {@link dev.simnet.wire.MalformedPacketException} with a {@code Reason}) or, on the per-packet
 * path, through the static {@code validate(buf, off, len)} checks that return 0 or a reason code
 * and a reused view rebound with {@code wrap}; after a successful check no accessor can fail.
 * Views allocate nothing; reprs are for control paths and tests.
 */
package dev.simnet.wire;
