#!/bin/sh
# The naive iproute2 baseline for dev.simnet.bench.linux.SetupBench: the same topology the Linux
# backend builds (docker host namespace with N bridges, an internet namespace with its uplink,
# one namespace per container with eth0, MAC, address, default route), done the way a user would
# script it: one `ip` fork per object. Usage: linux-setup-naive.sh up|down RUNID CONTAINERS NETWORKS
# Every object is named snb-RUNID-…, inside namespaces the script creates; nothing in the root namespace.
set -eu
cmd=$1; id=$2; n=$3; m=$4
p="snb-$id"
case "$cmd" in
up)
  ip netns add "$p-host"
  ip netns add "$p-inet"
  ip -n "$p-host" link set lo up
  ip -n "$p-inet" link set lo up
  ip netns exec "$p-host" sysctl -q -w net.ipv4.ip_forward=1
  k=0
  while [ $k -lt "$m" ]; do
    ip -n "$p-host" link add "br-bench$k" type bridge
    ip -n "$p-host" link set "br-bench$k" address "02:42:00:00:0$k:01"
    ip -n "$p-host" addr add "172.$((18 + k)).0.1/16" dev "br-bench$k"
    ip -n "$p-host" link set "br-bench$k" up
    k=$((k + 1))
  done
  ip -n "$p-host" link add eth0 type veth peer name eth0 netns "$p-inet"
  ip -n "$p-host" addr add 203.0.113.1/24 dev eth0
  ip -n "$p-host" link set eth0 up
  ip -n "$p-inet" addr add 203.0.113.254/24 dev eth0
  ip -n "$p-inet" link set eth0 up
  ip -n "$p-host" route add default via 203.0.113.254
  i=0
  while [ $i -lt "$n" ]; do
    k=$((i % m)); h=$((i / m + 2))
    c="$p-c$i"
    ip netns add "$c"
    ip -n "$c" link set lo up
    ip -n "$p-host" link add "vethb$i" type veth peer name eth0 netns "$c"
    ip -n "$p-host" link set "vethb$i" master "br-bench$k"
    ip -n "$p-host" link set "vethb$i" up
    ip -n "$c" link set eth0 address "02:42:ac:$((18 + k)):$(printf %02x $((h / 256))):$(printf %02x $((h % 256)))"
    ip -n "$c" addr add "172.$((18 + k)).$((h / 256)).$((h % 256))/16" dev eth0
    ip -n "$c" link set eth0 up
    ip -n "$c" route add default via "172.$((18 + k)).0.1"
    i=$((i + 1))
  done
  ;;
down)
  i=0
  while [ $i -lt "$n" ]; do
    ip netns del "$p-c$i"
    i=$((i + 1))
  done
  ip netns del "$p-inet"
  ip netns del "$p-host"
  ;;
*)
  echo "usage: $0 up|down RUNID CONTAINERS NETWORKS" >&2; exit 2 ;;
esac
