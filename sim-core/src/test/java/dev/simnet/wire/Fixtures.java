package dev.simnet.wire;

/**
 * Frames from a real capture, as {@code tcpdump -nn -e -xx} printed them. Made with
 * {@code src/test/resources/dev/simnet/wire/swire-capture.sh}: three network namespaces
 * swire-a (172.18.0.2/16, 02:42:ac:12:00:02) -- swire-r (router: 172.18.0.1/16 and 10.99.0.1/24,
 * ip_forward=1, MTU 1280 towards swire-b) -- swire-b (10.99.0.2/24), joined by veth pairs with
 * transmit checksum offload switched off (ethtool -K tx off) so checksums are real; tcpdump -w on
 * swire-a's eth0 while swire-a ran iputils ping (plain, -t 1, -M do -s 1400, to an unrouted
 * address), OpenBSD nc -u to a closed and an open port, and nc TCP connections to an open and a
 * closed port. Linux 6.18 kernel, 2026-11-29. The whole capture is
 * {@code swire-capture.pcap} beside the script.
 */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code 02:42:ac:12:00:02 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 172.18.0.1 tell 172.18.0.2, length 28} */
    static final byte[] ARP_REQUEST = Hex.parse("""
            0x0000:  ffff ffff ffff 0242 ac12 0002 0806 0001
            0x0010:  0800 0604 0001 0242 ac12 0002 ac12 0002
            0x0020:  0000 0000 0000 ac12 0001
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype ARP (0x0806), length 42: Reply 172.18.0.1 is-at 02:42:ac:12:00:01, length 28} */
    static final byte[] ARP_REPLY = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0806 0001
            0x0010:  0800 0604 0002 0242 ac12 0001 ac12 0001
            0x0020:  0242 ac12 0002 ac12 0002
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 98: 172.18.0.2 > 172.18.0.1: ICMP echo request, id 11043, seq 1, length 64} */
    static final byte[] ICMP_ECHO_REQUEST = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  0054 4059 4000 4001 a228 ac12 0002 ac12
            0x0020:  0001 0800 b0d3 2b23 0001 fc26 0c6b 0000
            0x0030:  0000 4fa3 0500 0000 0000 1011 1213 1415
            0x0040:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0050:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0060:  3637
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype IPv4 (0x0800), length 98: 172.18.0.1 > 172.18.0.2: ICMP echo reply, id 11043, seq 1, length 64} */
    static final byte[] ICMP_ECHO_REPLY = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0800 4500
            0x0010:  0054 0f31 0000 4001 1351 ac12 0001 ac12
            0x0020:  0002 0000 b8d3 2b23 0001 fc26 0c6b 0000
            0x0030:  0000 4fa3 0500 0000 0000 1011 1213 1415
            0x0040:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0050:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0060:  3637
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 98: 172.18.0.2 > 10.99.0.2: ICMP echo request, id 11045, seq 1, length 64} */
    static final byte[] ICMP_ECHO_REQUEST_TTL1 = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  0054 7371 4000 0101 4fbf ac12 0002 0a63
            0x0020:  0002 0800 50ba 2b25 0001 fc26 0c6b 0000
            0x0030:  0000 afba 0500 0000 0000 1011 1213 1415
            0x0040:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0050:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0060:  3637
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype IPv4 (0x0800), length 126: 172.18.0.1 > 172.18.0.2: ICMP time exceeded in-transit, length 92} */
    static final byte[] ICMP_TIME_EXCEEDED = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0800 45c0
            0x0010:  0070 0f32 0000 4001 1274 ac12 0001 ac12
            0x0020:  0002 0b00 f4ff 0000 0000 4500 0054 7371
            0x0030:  4000 0101 4fbf ac12 0002 0a63 0002 0800
            0x0040:  50ba 2b25 0001 fc26 0c6b 0000 0000 afba
            0x0050:  0500 0000 0000 1011 1213 1415 1617 1819
            0x0060:  1a1b 1c1d 1e1f 2021 2223 2425 2627 2829
            0x0070:  2a2b 2c2d 2e2f 3031 3233 3435 3637
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 1442: 172.18.0.2 > 10.99.0.2: ICMP echo request, id 11046, seq 1, length 1408} */
    static final byte[] ICMP_ECHO_REQUEST_DF_1400 = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  0594 0000 4000 4001 7ef0 ac12 0002 0a63
            0x0020:  0002 0800 dc65 2b26 0001 fc26 0c6b 0000
            0x0030:  0000 77c4 0500 0000 0000 1011 1213 1415
            0x0040:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0050:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0060:  3637 3839 3a3b 3c3d 3e3f 4041 4243 4445
            0x0070:  4647 4849 4a4b 4c4d 4e4f 5051 5253 5455
            0x0080:  5657 5859 5a5b 5c5d 5e5f 6061 6263 6465
            0x0090:  6667 6869 6a6b 6c6d 6e6f 7071 7273 7475
            0x00a0:  7677 7879 7a7b 7c7d 7e7f 8081 8283 8485
            0x00b0:  8687 8889 8a8b 8c8d 8e8f 9091 9293 9495
            0x00c0:  9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5
            0x00d0:  a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5
            0x00e0:  b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5
            0x00f0:  c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5
            0x0100:  d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5
            0x0110:  e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5
            0x0120:  f6f7 f8f9 fafb fcfd feff 0001 0203 0405
            0x0130:  0607 0809 0a0b 0c0d 0e0f 1011 1213 1415
            0x0140:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0150:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0160:  3637 3839 3a3b 3c3d 3e3f 4041 4243 4445
            0x0170:  4647 4849 4a4b 4c4d 4e4f 5051 5253 5455
            0x0180:  5657 5859 5a5b 5c5d 5e5f 6061 6263 6465
            0x0190:  6667 6869 6a6b 6c6d 6e6f 7071 7273 7475
            0x01a0:  7677 7879 7a7b 7c7d 7e7f 8081 8283 8485
            0x01b0:  8687 8889 8a8b 8c8d 8e8f 9091 9293 9495
            0x01c0:  9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5
            0x01d0:  a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5
            0x01e0:  b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5
            0x01f0:  c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5
            0x0200:  d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5
            0x0210:  e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5
            0x0220:  f6f7 f8f9 fafb fcfd feff 0001 0203 0405
            0x0230:  0607 0809 0a0b 0c0d 0e0f 1011 1213 1415
            0x0240:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0250:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0260:  3637 3839 3a3b 3c3d 3e3f 4041 4243 4445
            0x0270:  4647 4849 4a4b 4c4d 4e4f 5051 5253 5455
            0x0280:  5657 5859 5a5b 5c5d 5e5f 6061 6263 6465
            0x0290:  6667 6869 6a6b 6c6d 6e6f 7071 7273 7475
            0x02a0:  7677 7879 7a7b 7c7d 7e7f 8081 8283 8485
            0x02b0:  8687 8889 8a8b 8c8d 8e8f 9091 9293 9495
            0x02c0:  9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5
            0x02d0:  a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5
            0x02e0:  b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5
            0x02f0:  c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5
            0x0300:  d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5
            0x0310:  e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5
            0x0320:  f6f7 f8f9 fafb fcfd feff 0001 0203 0405
            0x0330:  0607 0809 0a0b 0c0d 0e0f 1011 1213 1415
            0x0340:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0350:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0360:  3637 3839 3a3b 3c3d 3e3f 4041 4243 4445
            0x0370:  4647 4849 4a4b 4c4d 4e4f 5051 5253 5455
            0x0380:  5657 5859 5a5b 5c5d 5e5f 6061 6263 6465
            0x0390:  6667 6869 6a6b 6c6d 6e6f 7071 7273 7475
            0x03a0:  7677 7879 7a7b 7c7d 7e7f 8081 8283 8485
            0x03b0:  8687 8889 8a8b 8c8d 8e8f 9091 9293 9495
            0x03c0:  9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5
            0x03d0:  a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5
            0x03e0:  b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5
            0x03f0:  c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5
            0x0400:  d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5
            0x0410:  e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5
            0x0420:  f6f7 f8f9 fafb fcfd feff 0001 0203 0405
            0x0430:  0607 0809 0a0b 0c0d 0e0f 1011 1213 1415
            0x0440:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0450:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0460:  3637 3839 3a3b 3c3d 3e3f 4041 4243 4445
            0x0470:  4647 4849 4a4b 4c4d 4e4f 5051 5253 5455
            0x0480:  5657 5859 5a5b 5c5d 5e5f 6061 6263 6465
            0x0490:  6667 6869 6a6b 6c6d 6e6f 7071 7273 7475
            0x04a0:  7677 7879 7a7b 7c7d 7e7f 8081 8283 8485
            0x04b0:  8687 8889 8a8b 8c8d 8e8f 9091 9293 9495
            0x04c0:  9697 9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5
            0x04d0:  a6a7 a8a9 aaab acad aeaf b0b1 b2b3 b4b5
            0x04e0:  b6b7 b8b9 babb bcbd bebf c0c1 c2c3 c4c5
            0x04f0:  c6c7 c8c9 cacb cccd cecf d0d1 d2d3 d4d5
            0x0500:  d6d7 d8d9 dadb dcdd dedf e0e1 e2e3 e4e5
            0x0510:  e6e7 e8e9 eaeb eced eeef f0f1 f2f3 f4f5
            0x0520:  f6f7 f8f9 fafb fcfd feff 0001 0203 0405
            0x0530:  0607 0809 0a0b 0c0d 0e0f 1011 1213 1415
            0x0540:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0550:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0560:  3637 3839 3a3b 3c3d 3e3f 4041 4243 4445
            0x0570:  4647 4849 4a4b 4c4d 4e4f 5051 5253 5455
            0x0580:  5657 5859 5a5b 5c5d 5e5f 6061 6263 6465
            0x0590:  6667 6869 6a6b 6c6d 6e6f 7071 7273 7475
            0x05a0:  7677
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype IPv4 (0x0800), length 590: 172.18.0.1 > 172.18.0.2: ICMP 10.99.0.2 unreachable - need to frag (mtu 1280), length 556} */
    static final byte[] ICMP_FRAG_NEEDED = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0800 45c0
            0x0010:  0240 0f33 0000 4001 10a3 ac12 0001 ac12
            0x0020:  0002 0304 0ec9 0000 0500 4500 0594 0000
            0x0030:  4000 4001 7ef0 ac12 0002 0a63 0002 0800
            0x0040:  dc65 2b26 0001 fc26 0c6b 0000 0000 77c4
            0x0050:  0500 0000 0000 1011 1213 1415 1617 1819
            0x0060:  1a1b 1c1d 1e1f 2021 2223 2425 2627 2829
            0x0070:  2a2b 2c2d 2e2f 3031 3233 3435 3637 3839
            0x0080:  3a3b 3c3d 3e3f 4041 4243 4445 4647 4849
            0x0090:  4a4b 4c4d 4e4f 5051 5253 5455 5657 5859
            0x00a0:  5a5b 5c5d 5e5f 6061 6263 6465 6667 6869
            0x00b0:  6a6b 6c6d 6e6f 7071 7273 7475 7677 7879
            0x00c0:  7a7b 7c7d 7e7f 8081 8283 8485 8687 8889
            0x00d0:  8a8b 8c8d 8e8f 9091 9293 9495 9697 9899
            0x00e0:  9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9
            0x00f0:  aaab acad aeaf b0b1 b2b3 b4b5 b6b7 b8b9
            0x0100:  babb bcbd bebf c0c1 c2c3 c4c5 c6c7 c8c9
            0x0110:  cacb cccd cecf d0d1 d2d3 d4d5 d6d7 d8d9
            0x0120:  dadb dcdd dedf e0e1 e2e3 e4e5 e6e7 e8e9
            0x0130:  eaeb eced eeef f0f1 f2f3 f4f5 f6f7 f8f9
            0x0140:  fafb fcfd feff 0001 0203 0405 0607 0809
            0x0150:  0a0b 0c0d 0e0f 1011 1213 1415 1617 1819
            0x0160:  1a1b 1c1d 1e1f 2021 2223 2425 2627 2829
            0x0170:  2a2b 2c2d 2e2f 3031 3233 3435 3637 3839
            0x0180:  3a3b 3c3d 3e3f 4041 4243 4445 4647 4849
            0x0190:  4a4b 4c4d 4e4f 5051 5253 5455 5657 5859
            0x01a0:  5a5b 5c5d 5e5f 6061 6263 6465 6667 6869
            0x01b0:  6a6b 6c6d 6e6f 7071 7273 7475 7677 7879
            0x01c0:  7a7b 7c7d 7e7f 8081 8283 8485 8687 8889
            0x01d0:  8a8b 8c8d 8e8f 9091 9293 9495 9697 9899
            0x01e0:  9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7 a8a9
            0x01f0:  aaab acad aeaf b0b1 b2b3 b4b5 b6b7 b8b9
            0x0200:  babb bcbd bebf c0c1 c2c3 c4c5 c6c7 c8c9
            0x0210:  cacb cccd cecf d0d1 d2d3 d4d5 d6d7 d8d9
            0x0220:  dadb dcdd dedf e0e1 e2e3 e4e5 e6e7 e8e9
            0x0230:  eaeb eced eeef f0f1 f2f3 f4f5 f6f7 f8f9
            0x0240:  fafb fcfd feff 0001 0203 0405 0607
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 48: 172.18.0.2.40000 > 10.99.0.2.9999: UDP, length 6} */
    static final byte[] UDP_HELLO = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  0022 170d 4000 4011 6d45 ac12 0002 0a63
            0x0020:  0002 9c40 270f 000e 422d 6865 6c6c 6f0a
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype IPv4 (0x0800), length 76: 10.99.0.2 > 172.18.0.2: ICMP 10.99.0.2 udp port 9999 unreachable, length 42} */
    static final byte[] ICMP_PORT_UNREACHABLE = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0800 45c0
            0x0010:  003e c069 0000 3f01 041d 0a63 0002 ac12
            0x0020:  0002 0303 b395 0000 0000 4500 0022 170d
            0x0030:  4000 3f11 6e45 ac12 0002 0a63 0002 9c40
            0x0040:  270f 000e 422d 6865 6c6c 6f0a
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 74: 172.18.0.2.40002 > 10.99.0.2.8080: Flags [S], seq 413823205, win 64480, options [mss 1240,sackOK,TS val 4153897151 ecr 0,nop,wscale 10], length 0} */
    static final byte[] TCP_SYN = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  003c 0775 4000 4006 7cce ac12 0002 0a63
            0x0020:  0002 9c42 1f90 18aa 70e5 0000 0000 a002
            0x0030:  fbe0 e8c5 0000 0204 04d8 0402 080a f797
            0x0040:  70bf 0000 0000 0103 030a
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype IPv4 (0x0800), length 74: 10.99.0.2.8080 > 172.18.0.2.40002: Flags [S.], seq 3625390932, ack 413823206, win 65084, options [mss 1240,sackOK,TS val 3416435193 ecr 4153897151,nop,wscale 10], length 0} */
    static final byte[] TCP_SYN_ACK = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0800 4500
            0x0010:  003c 0000 4000 3f06 8543 0a63 0002 ac12
            0x0020:  0002 1f90 9c42 d817 1354 18aa 70e6 a012
            0x0030:  fe3c 8550 0000 0204 04d8 0402 080a cba2
            0x0040:  a9f9 f797 70bf 0103 030a
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 66: 172.18.0.2.40002 > 10.99.0.2.8080: Flags [.], ack 1, win 63, options [nop,nop,TS val 4153897151 ecr 3416435193], length 0} */
    static final byte[] TCP_ACK_TS = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  0034 0776 4000 4006 7cd5 ac12 0002 0a63
            0x0020:  0002 9c42 1f90 18aa 70e6 d817 1355 8010
            0x0030:  003f b141 0000 0101 080a f797 70bf cba2
            0x0040:  a9f9
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 71: 172.18.0.2.40002 > 10.99.0.2.8080: Flags [P.], seq 1:6, ack 1, win 63, options [nop,nop,TS val 4153897151 ecr 3416435193], length 5: HTTP} */
    static final byte[] TCP_PSH_DATA = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  0039 0777 4000 4006 7ccf ac12 0002 0a63
            0x0020:  0002 9c42 1f90 18aa 70e6 d817 1355 8018
            0x0030:  003f ce71 0000 0101 080a f797 70bf cba2
            0x0040:  a9f9 6461 7461 0a
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype IPv4 (0x0800), length 54: 10.99.0.2.8081 > 172.18.0.2.40003: Flags [R.], seq 0, ack 702930979, win 0, length 0} */
    static final byte[] TCP_RST_ACK = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0800 4500
            0x0010:  0028 0000 4000 3f06 8557 0a63 0002 ac12
            0x0020:  0002 1f91 9c43 0000 0000 29e5 e023 5014
            0x0030:  0000 337a 0000
            """);

    /** {@code 02:42:ac:12:00:02 > 02:42:ac:12:00:01, ethertype IPv4 (0x0800), length 98: 172.18.0.2 > 192.168.10.1: ICMP echo request, id 11057, seq 1, length 64} */
    static final byte[] ICMP_ECHO_REQUEST_UNROUTED = Hex.parse("""
            0x0000:  0242 ac12 0001 0242 ac12 0002 0800 4500
            0x0010:  0054 3810 4000 4001 8bdb ac12 0002 c0a8
            0x0020:  0a01 0800 575c 2b31 0001 fe26 0c6b 0000
            0x0030:  0000 a60c 0600 0000 0000 1011 1213 1415
            0x0040:  1617 1819 1a1b 1c1d 1e1f 2021 2223 2425
            0x0050:  2627 2829 2a2b 2c2d 2e2f 3031 3233 3435
            0x0060:  3637
            """);

    /** {@code 02:42:ac:12:00:01 > 02:42:ac:12:00:02, ethertype IPv4 (0x0800), length 126: 172.18.0.1 > 172.18.0.2: ICMP net 192.168.10.1 unreachable, length 92} */
    static final byte[] ICMP_NET_UNREACHABLE = Hex.parse("""
            0x0000:  0242 ac12 0002 0242 ac12 0001 0800 45c0
            0x0010:  0070 10a4 0000 4001 1102 ac12 0001 ac12
            0x0020:  0002 0300 fcff 0000 0000 4500 0054 3810
            0x0030:  4000 4001 8bdb ac12 0002 c0a8 0a01 0800
            0x0040:  575c 2b31 0001 fe26 0c6b 0000 0000 a60c
            0x0050:  0600 0000 0000 1011 1213 1415 1617 1819
            0x0060:  1a1b 1c1d 1e1f 2021 2223 2425 2627 2829
            0x0070:  2a2b 2c2d 2e2f 3031 3233 3435 3637
            """);
}
