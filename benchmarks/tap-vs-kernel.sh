#!/bin/sh
# Datapath comparison between two containers (c2c) and from a container to the internet namespace through
# the Docker host's NAT (nat) (needs root, /dev/net/tun, iperf3, python3, iptables; slirp4netns and pasta from
# the slirp4netns and passt packages for the userspace anchors):
# kernel (veth + bridge + iptables-nft) vs TAP (simnet's engine) vs slirp4netns / pasta.
# Usage: benchmarks/tap-vs-kernel.sh [seconds=5] [reps=3] [paths=kernel,tap,tap-threads,tap-segmented,tap-nooffload,slirp4netns,pasta,slirp4netns-65520,pasta-65520] [cases=c2c,nat]
set -eu
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar dev.simnet.bench.tap.TapVsKernel "${1:-5}" "${2:-3}" \
  "${3:-kernel,tap,tap-threads,tap-segmented,tap-nooffload,slirp4netns,pasta,slirp4netns-65520,pasta-65520}" "${4:-c2c,nat}"
