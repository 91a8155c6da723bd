#!/bin/bash
# Captures the wire fixtures of sim-core (dev.simnet.wire.Fixtures, swire-capture.pcap).
# Run as root on a machine with iproute2, tcpdump, iputils-ping, netcat-openbsd and ethtool;
# everything happens inside the namespaces swire-a, swire-r, swire-b, which are deleted at exit.
# Writes /tmp/swire/a.pcap.
# Creates swire-a -- swire-r -- swire-b, captures on swire-a's eth0, then deletes everything.
set -x
cleanup() { for n in swire-a swire-r swire-b; do ip netns del $n 2>/dev/null; done; }
trap cleanup EXIT
cleanup
for n in swire-a swire-r swire-b; do ip netns add $n; ip -n $n link set lo up; done
ip -n swire-a link add eth0 type veth peer name eth0 netns swire-r
ip -n swire-r link add eth1 type veth peer name eth0 netns swire-b
ip -n swire-a link set eth0 address 02:42:ac:12:00:02
ip -n swire-r link set eth0 address 02:42:ac:12:00:01
ip -n swire-r link set eth1 address 02:42:0a:63:00:01
ip -n swire-b link set eth0 address 02:42:0a:63:00:02
ip -n swire-a addr add 172.18.0.2/16 dev eth0
ip -n swire-r addr add 172.18.0.1/16 dev eth0
ip -n swire-r addr add 10.99.0.1/24 dev eth1
ip -n swire-b addr add 10.99.0.2/24 dev eth0
ip -n swire-r link set eth1 mtu 1280
ip -n swire-b link set eth0 mtu 1280
for n in swire-a swire-r swire-b; do ip -n $n link set eth0 up; done
ip -n swire-r link set eth1 up
# no checksum offload, so captured frames carry real checksums (needs ethtool)
ip netns exec swire-a ethtool -K eth0 tx off >/dev/null
ip netns exec swire-r ethtool -K eth0 tx off >/dev/null
ip netns exec swire-r ethtool -K eth1 tx off >/dev/null
ip netns exec swire-b ethtool -K eth0 tx off >/dev/null
ip -n swire-a route add default via 172.18.0.1
ip -n swire-b route add default via 10.99.0.1
ip netns exec swire-r sysctl -qw net.ipv4.ip_forward=1
ip netns exec swire-a tcpdump -i eth0 -U -w /tmp/swire/a.pcap -s 0 2>/tmp/swire/tcpdump.err &
TD=$!
sleep 2
ip netns exec swire-a ping -c 1 172.18.0.1
ip netns exec swire-a ping -c 1 -p 0102 -s 16 10.99.0.2
ip netns exec swire-a ping -c 1 -t 1 10.99.0.2
ip netns exec swire-a ping -c 1 -M do -s 1400 10.99.0.2
echo hello | ip netns exec swire-a nc -u -w 1 -p 40000 10.99.0.2 9999
ip netns exec swire-b nc -u -l -p 5353 >/tmp/swire/udp.out &
U=$!
ip netns exec swire-b nc -l -p 8080 >/tmp/swire/tcp.out &
T=$!
sleep 1
echo world | ip netns exec swire-a nc -u -w 1 -p 40001 10.99.0.2 5353
echo data | ip netns exec swire-a nc -N -w 2 -p 40002 10.99.0.2 8080
ip netns exec swire-a nc -z -w 1 -p 40003 10.99.0.2 8081
ip netns exec swire-a ping -c 1 192.168.10.1
sleep 1
kill $U $T 2>/dev/null
kill $TD; wait $TD
# Reference decodings used by PacketFormatterTest (timestamps cut off):
#   tcpdump -nn -S -r a.pcap | cut -d' ' -f2- > swire-capture.tcpdump-nn-S.txt
#   tcpdump -nn -S -e -r a.pcap | cut -d' ' -f2- > swire-capture.tcpdump-nn-S-e.txt
