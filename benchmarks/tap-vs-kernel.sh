#!/bin/sh
# Datapath comparison between two containers (needs root, /dev/net/tun, iperf3, python3; slirp4netns and
# pasta from the slirp4netns and passt packages for the userspace anchors):
# kernel (veth + bridge) vs TAP (simnet's engine) vs slirp4netns / pasta.
# Usage: benchmarks/tap-vs-kernel.sh [seconds=5] [reps=3] [paths=kernel,tap,tap-nooffload,slirp4netns,pasta,slirp4netns-65520,pasta-65520]
set -eu
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar dev.simnet.bench.tap.TapVsKernel "${1:-5}" "${2:-3}" \
  "${3:-kernel,tap,tap-nooffload,slirp4netns,pasta,slirp4netns-65520,pasta-65520}"
