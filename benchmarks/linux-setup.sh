#!/bin/sh
# Builds the benchmarks jar and runs the Linux backend setup/teardown comparison (needs root).
# Usage: benchmarks/linux-setup.sh [containers=100] [networks=4] [reps=5]
set -eu
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar dev.simnet.bench.linux.SetupBench "${1:-100}" "${2:-4}" "${3:-5}" benchmarks/linux-setup-naive.sh
