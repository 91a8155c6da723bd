#!/usr/bin/env bash
# simnet against ns-3 on the same work: N hosts on one learning bridge, 100 Mbit/s links, each host
# sending a 64-byte UDP echo to its neighbour every 1 ms for 10 simulated seconds
# (shared/anchors/ns3-bridge-echo.cc and dev.simnet.bench.echo.BridgeEchoWorkload).
#
#   benchmarks/ns3-compare.sh                         # N=20 and N=200, 3 repetitions each
#   benchmarks/ns3-compare.sh --reps 5 --sizes "20"   # other repetitions / sizes
#   benchmarks/ns3-compare.sh --seconds 2             # shorter simulated time (quick check)
#   benchmarks/ns3-compare.sh --ns3-arp-queue 3       # ns-3's own ARP pending queue (loses start-up echoes)
#
# Needs Debian's libns3-dev (apt-get install -y libns3-dev) and g++. The anchor is compiled into
# $NS3_BUILD_DIR (default /tmp/simnet-ns3-build), never into the repository.
# The two programs run interleaved (ns-3 first on odd repetitions, simnet first on even ones), one at
# a time, so both see the same machine load. Prints every run, then medians per size: simulated
# frames per wall second (frames = 2 x (requests + replies), as the ns-3 program counts) for each
# and their ratio, and frames per CPU second of the whole process (user+sys, JVM start-up, JIT and
# GC included for simnet) as a cross-check on a loaded machine.
# ns-3 runs with ns3::ArpCache::PendingQueueSize=100 (Linux's unres_qlen is 101): with its default of 3,
# plus ns-3's 0-10 ms ARP request jitter, each client loses about 7 start-up echoes and the two
# programs would not deliver the same number of echoes. --ns3-arp-queue 3 restores ns-3's default.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
reps=3
sizes="20 200"
seconds=10
arpq=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --ns3-arp-queue) arpq="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

anchor="$root/../shared/anchors/ns3-bridge-echo.cc"
[[ -f "$anchor" ]] || anchor="${NS3_ANCHOR:-/work/shared/anchors/ns3-bridge-echo.cc}"
build="${NS3_BUILD_DIR:-/tmp/simnet-ns3-build}"
ns3="$build/ns3-bridge-echo"
jar="benchmarks/target/benchmarks.jar"
java_opts=(-Xms1g -Xmx1g -XX:+UseSerialGC)  # the engine is single-threaded: no parallel GC threads competing for the 2 cores

if [[ ! -d /usr/include/ns3 && ! -d /usr/include/ns3.37 ]]; then
  echo "ns-3 headers not found: apt-get install -y libns3-dev" >&2
  exit 1
fi
mkdir -p "$build"
if [[ ! -x "$ns3" || "$anchor" -nt "$ns3" ]]; then
  echo "building $ns3 ..." >&2
  g++ -O2 -std=c++17 "$anchor" -o "$ns3" \
    $(for m in core network internet csma bridge applications traffic-control; do printf -- "-lns3-%s " $m; done)
fi
if [[ ! -f "$jar" ]] || [[ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]]; then
  echo "building $jar ..." >&2
  mvn -B -q -o -pl benchmarks -am package -DskipTests
fi

# run from a copy, so a rebuild of the jar during a long comparison does not touch the runs
cp "$jar" "$build/benchmarks.jar"
jar="$build/benchmarks.jar"

log="$(mktemp /tmp/simnet-ns3-compare.XXXXXX)"
trap 'rm -f "$log" "$log.t"' EXIT

# run TOOL N REP: appends "TOOL N REP <program's line> cpu_s=U+S" to the log
run() {
  local tool="$1" n="$2" rep="$3" line
  if [[ "$tool" == ns3 ]]; then
    line="$(NS_ATTRIBUTE_DEFAULT="ns3::ArpCache::PendingQueueSize=$arpq" /usr/bin/time -f '%U %S' -o "$log.t" "$ns3" "$n" "$seconds")"
  else
    line="$(/usr/bin/time -f '%U %S' -o "$log.t" java "${java_opts[@]}" -cp "$jar" \
      dev.simnet.bench.echo.BridgeEchoWorkload "$n" "$seconds")"
  fi
  local cpu
  cpu="$(awk '{printf "%.2f", $1 + $2}' "$log.t")"
  echo "$tool n=$n rep=$rep $line cpu_s=$cpu" | tee -a "$log"
}

echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ') $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(java -version 2>&1 | head -1); ns-3 $(dpkg-query -W -f '${Version}' libns3-dev 2>/dev/null || echo '?')"
echo "# command: benchmarks/ns3-compare.sh --reps $reps --sizes \"$sizes\" --seconds $seconds --ns3-arp-queue $arpq"
for n in $sizes; do
  for ((r = 1; r <= reps; r++)); do
    if ((r % 2 == 1)); then run ns3 "$n" "$r"; run simnet "$n" "$r"; else run simnet "$n" "$r"; run ns3 "$n" "$r"; fi
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| hosts | ns-3 frames/wall s | simnet frames/wall s | ratio (wall) | ns-3 frames/CPU s | simnet frames/CPU s | ratio (CPU) | requests | replies ns-3 | replies simnet |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk '
  function med(key,   n, i, j, t, a) {
    n = cnt[key]; for (i = 1; i <= n; i++) a[i] = v[key, i]
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function put(key, x) { v[key, ++cnt[key]] = x }
  {
    tool = $1; n = substr($2, 3)
    for (i = 4; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    frames = 2 * (f["requests"] + f["replies"])
    put(tool SUBSEP n SUBSEP "wall", f["frames_per_wall_s"])
    put(tool SUBSEP n SUBSEP "cpu", frames / f["cpu_s"])
    put(tool SUBSEP n SUBSEP "replies", f["replies"])
    req[n] = f["requests"]
    if (!(n in seen)) { seen[n] = 1; order[++ns] = n }
  }
  END {
    for (k = 1; k <= ns; k++) {
      n = order[k]
      nw = med("ns3" SUBSEP n SUBSEP "wall"); sw = med("simnet" SUBSEP n SUBSEP "wall")
      nc = med("ns3" SUBSEP n SUBSEP "cpu"); sc = med("simnet" SUBSEP n SUBSEP "cpu")
      printf "| %d | %.0f | %.0f | %.1f× | %.0f | %.0f | %.1f× | %d | %d | %d |\n", n, nw, sw, sw / nw, nc, sc, sc / nc, req[n],
        med("ns3" SUBSEP n SUBSEP "replies"), med("simnet" SUBSEP n SUBSEP "replies")
    }
  }' "$log"
