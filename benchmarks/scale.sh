#!/usr/bin/env bash
# Scale: a generated compose project of C containers on K networks (replicas, network aliases, two
# services per hundred on two networks) built into the simulator, then every container resolves a
# name and pings a peer (dev.simnet.bench.scale.ScaleWorkload: ping -c 1 through SimEngine, the name
# over simulated UDP/TCP to Docker's embedded DNS at 127.0.0.11).
#
#   benchmarks/scale.sh                                   # 1000/10, 2500/25, 5000/50, 10000/100
#   benchmarks/scale.sh --sizes "10000/100"               # one size
#   JAVA_OPTS="-Xmx2g -XX:+UseSerialGC" benchmarks/scale.sh   # other JVM options
#
# Default JVM options: -Xmx2g (the 2 GiB budget), -Xmn1g (the build's short-lived garbage dies young),
# serial GC (the engine is single-threaded), C1 only (-XX:TieredStopAtLevel=1: the run is mostly
# one-off code — parsers, control plane, tools — and C2 compilation cost more CPU than it saved).
# Prints each run, then a table with per-container figures, to show growth is linear.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sizes="1000/10 2500/25 5000/50 10000/100"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
read -r -a java_opts <<< "${JAVA_OPTS:--Xmx2g -Xmn1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"

jar="benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit)" ]]; then
  echo "building $jar ..." >&2
  mvn -B -q -o -pl benchmarks -am package -DskipTests
fi
runjar="$(mktemp /tmp/simnet-scale.XXXXXX.jar)"
log="$(mktemp /tmp/simnet-scale.XXXXXX.log)"
trap 'rm -f "$runjar" "$log" "$log.t"' EXIT
cp "$jar" "$runjar"

echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ') $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(java -version 2>&1 | head -1); JVM options: ${java_opts[*]}"
echo "# command: benchmarks/scale.sh --sizes \"$sizes\""
for s in $sizes; do
  c="${s%/*}"; k="${s#*/}"
  out="$(/usr/bin/time -f '%U %S %M' -o "$log.t" java "${java_opts[@]}" -cp "$runjar" dev.simnet.bench.scale.ScaleWorkload "$c" "$k")"
  echo "$out"
  read -r u sy rss < "$log.t"
  echo "process: cpu_s=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }') max_rss_mib=$((rss / 1024))"
  echo "RESULT $c $k $(echo "$out" | tr '\n' ' ') proc_cpu_s=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }') rss_mib=$((rss / 1024))" >> "$log"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| containers | networks | build wall s | build CPU s (main thread) | heap after build MiB | heap peak MiB | resolve+ping wall s | resolve+ping CPU s | ok | events | events/wall s | process CPU s | µs build CPU / container | KiB heap / container |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk '{
  for (i = 4; i <= NF; i++) { n = split($i, kv, "="); if (n == 2) f[kv[1]] = kv[2] }
  # two fields share a name (wall_s, cpu_s) in the ping line: take them from their position
  line = $0
  match(line, /resolve_and_ping: ok=[0-9\/]+ wall_s=[0-9.]+ cpu_s=[0-9.]+/); rp = substr(line, RSTART, RLENGTH)
  split(rp, p, /[ =]/)
  printf "| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.1f |\n", $2, $3, f["build_total_s"], f["build_cpu_s"],
    f["heap_used_after_build_mib"], f["heap_peak_mib"], p[5], p[7], p[3], f["events"], f["events_per_wall_s"], f["proc_cpu_s"],
    f["build_cpu_s"] * 1e6 / $2, f["heap_used_after_build_mib"] * 1024 / $2
}' "$log"
