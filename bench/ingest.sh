#!/usr/bin/env bash
# Ingest throughput and peak memory, end to end, against a plain read of
# the same files; the time of each phase of the ingest (files, matching,
# evidence discovery).
#
#   bench/ingest.sh [CORPUS_DIR]
#   CPUS=0 bench/ingest.sh        # the read and the ingests on core 0 only
#   ACCORD_BIN=/path/to/accord bench/ingest.sh   # another build, not built here
#   RUNS=5 bench/ingest.sh        # each ingest 5 times (default 3)
#
# Default corpus: ../shared/corpus/whitehouse (6,448 statements, 38 MB;
# 52 MB on disk). CPUS, a list of cores as `taskset -c` takes it, pins the
# measured commands (not the build) to those cores.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/whitehouse}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
[ -n "${ACCORD_BIN:-}" ] || cargo build --release --quiet -p accord-cli
bin=${ACCORD_BIN:-target/release/accord}
pin=()
if [ -n "${CPUS:-}" ]; then
  command -v taskset > /dev/null || { echo "CPUS needs taskset" >&2; exit 1; }
  pin=(taskset -c "$CPUS")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bytes=$(find "$corpus" -type f \( -name '*.md' -o -name '*.txt' -o -name '*.html' -o -name '*.htm' -o -name '*.gz' \) -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
files=$(find "$corpus" -type f \( -name '*.md' -o -name '*.txt' -o -name '*.html' -o -name '*.htm' -o -name '*.gz' \) | wc -l)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

# The physical floor: read every file (cold cache is not forced). A
# single read varies by half from run to run (spawning `cat`, the page
# cache): the fastest of three is the floor.
read_s=
for _ in 1 2 3; do
  start=$(date +%s.%N)
  find "$corpus" -type f -print0 | "${pin[@]}" xargs -0 cat > /dev/null
  s=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')
  read_s=$(awk -v a="${read_s:-$s}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')
done

# Each ingest RUNS times (default 3), alternating with and without
# evidence discovery: one run alone drifts by 10 to 20 % on a machine
# shared with others, so the fastest and the median are reported.
runs=${RUNS:-3}
seconds() { grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'; }
walls=() walls_ne=()
for run in $(seq "$runs"); do
  # Not quiet: the lines after the files give the time of each phase (the
  # file lines go to a file, a few milliseconds).
  rm -f "$tmp"/bench.db*
  /usr/bin/time -v "${pin[@]}" "$bin" --db "$tmp/bench.db" ingest "$corpus" > "$tmp/out$run" 2> "$tmp/time$run" || true
  walls+=("$(seconds "$tmp/time$run")")
  # The same without evidence discovery (left for later).
  rm -f "$tmp"/bench.db*
  /usr/bin/time -v "${pin[@]}" "$bin" --db "$tmp/bench.db" ingest --quiet --no-evidence "$corpus" > /dev/null 2> "$tmp/time-ne$run" || true
  walls_ne+=("$(seconds "$tmp/time-ne$run")")
done
fastest() { printf '%s\n' "$@" | sort -g | head -1; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# The phases shown are those of the fastest run with evidence.
best=$(for i in "${!walls[@]}"; do echo "${walls[$i]} $((i + 1))"; done | sort -g | head -1 | cut -d' ' -f2)
cp "$tmp/out$best" "$tmp/out"
wall=$(fastest "${walls[@]}")
rss_kb=$(cat "$tmp"/time[0-9]* | grep 'Maximum resident set size' | awk '{print $NF}' | sort -n | tail -1)
commitments=$(grep -o '[0-9]* commitments extracted' "$tmp/out" | cut -d' ' -f1)
wall_med=$(median "${walls[@]}")
wall_ne=$(fastest "${walls_ne[@]}")
wall_ne_med=$(median "${walls_ne[@]}")

echo "corpus:          $corpus ($files files, $mb MB)${CPUS:+, on cores $CPUS}; fastest of $runs runs"
grep -E '^[0-9]+ files: ' "$tmp/out" | tail -1
phase_s() { grep -E "^$1: " "$tmp/out" | grep -oE '\(([0-9.]+) s' | tr -d '( s'; }
echo "phases:          files $(grep -E '^[0-9]+ files: ' "$tmp/out" | grep -oE 'in [0-9.]+ s' | tr -d 'in s') s, matching $(phase_s matched) s, evidence $(phase_s evidence) s"
awk -v mb="$mb" -v w="$wall" -v m="$wall_med" -v r="$read_s" -v rss="$rss_kb" -v c="$commitments" 'BEGIN {
  printf "ingest:          %.2f s, %.1f MB/s (median %.2f s, %.1f MB/s), %d commitments\n", w, mb / w, m, mb / m, c
  printf "plain read:      %.3f s (%.0f MB/s, fastest of 3); ingest/read ratio %.0fx\n", r, mb / r, w / r
  printf "peak memory:     %.0f MB (the highest of all runs)\n", rss / 1024
}'
awk -v mb="$mb" -v w="$wall_ne" -v m="$wall_ne_med" -v r="$read_s" 'BEGIN {
  printf "no evidence:     %.2f s, %.1f MB/s (median %.2f s, %.1f MB/s), ingest/read ratio %.0fx (--no-evidence)\n", w, mb / w, m, mb / m, w / r
}'
