#!/usr/bin/env bash
# How ingest time and memory grow with the corpus: the corpus replicated
# 1x, 4x and 16x, each copy made distinct (a line "Copy N." appended to
# every file, so no content hash repeats), ingested into a fresh ledger by
# the release binary.
#
#   bench/scale.sh [CORPUS_DIR]
#   SCALES="1 4" bench/scale.sh          # fewer, smaller runs
#   LIMIT=600 bench/scale.sh             # stop a run after 600 s
#   ACCORD_BIN=/path/to/accord bench/scale.sh   # another build, not built here
#
# Default corpus: ../shared/corpus/whitehouse (6,448 statements, 38 MB).
# Prints, per scale: files, MB, wall time, MB/s, the time of the per-file
# loop and of the work after it (initiative renaming, matching, evidence
# discovery), of matching and of evidence discovery alone, the evidence
# suggestions found, peak RSS; then the time and peak RSS of reading the
# ledger back (`export --format json`, `evidence list`); then time per MB
# and peak RSS of the largest scale against the smallest (linear growth:
# time per MB stays flat, memory stays under the bar of 300 MB), the
# memory of reading back, and evidence time per suggestion.
#
# Evidence grows with what it finds: a later statement may report on any
# earlier commitment, whatever its summit, so the later copies of a
# replicated corpus report on the commitments of every earlier copy, and
# the suggestions grow as the square of the copies. The last line compares
# evidence time with that output.
#
# Each copy after the first is a ledger of other summits (SUMMITS=distinct,
# the default): an accord.yaml in each of its folders names the summit of
# every statement as one of a series of its own ("G7 2023" becomes
# "G7copyN 2023"), so the corpus grows as a ledger of N times as many
# summits would. With SUMMITS=shared the copies keep their
# summits, so every summit has N times its versions and the pairs between
# them grow as N squared whatever the code does (a ledger of the same
# statements republished N times). The summits come from a first ingest of
# the corpus (the 1x run when there is one).
#
# Each scale's copy and ledger live in a temporary folder (TMPDIR) removed
# after its run; the script refuses to start without room for the largest.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/whitehouse}
scales=${SCALES:-1 4 16}
limit=${LIMIT:-3600}
summits_mode=${SUMMITS:-distinct}
case "$summits_mode" in distinct|shared) ;; *) echo "SUMMITS is distinct or shared" >&2; exit 1 ;; esac
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
[ -n "${ACCORD_BIN:-}" ] || cargo build --release --quiet -p accord-cli
bin=${ACCORD_BIN:-$PWD/target/release/accord}

is_statement() { find "$1" -type f ! -path '*/.*' ! -iname 'readme*' ! -iname 'licen[sc]e*' ! -name accord.yaml "${@:2}"; }
corpus_bytes=$(is_statement "$corpus" -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
largest=$(printf '%s\n' $scales | sort -n | tail -1)
# The copy, plus a ledger about twice its size (original and clean text).
needed_kb=$(( corpus_bytes * largest * 4 / 1024 ))
tmp_root=${TMPDIR:-/tmp}
free_kb=$(df -Pk "$tmp_root" | awk 'NR == 2 { print $4 }')
if [ "$free_kb" -lt "$needed_kb" ]; then
  echo "not enough room in $tmp_root: ${largest}x needs about $(( needed_kb / 1024 )) MB, $(( free_kb / 1024 )) MB free" >&2
  exit 1
fi

work=
summits=$(mktemp "$tmp_root/accord-summits.XXXXXX")
cleanup() { if [ -n "$work" ]; then rm -rf "$work"; fi; rm -f "$summits"; }
trap cleanup EXIT

# "file name<TAB>summit" of every statement with a summit, from a ledger.
summits_of() {
  "$bin" --db "$1" export --format json | python3 -c '
import json, sys
for d in json.load(sys.stdin)["documents"]:
    if d.get("summit"):
        print(d["source_file"] + "\t" + d["summit"])' > "$summits"
}

# Writes in every folder of copy $2 (under $1) an accord.yaml that gives
# each statement's summit a series of its own: "G7 2023" becomes
# "G7copy2 2023". (A summit named "G7 2023 (copy 2)" would be read back as
# the known summit G7 2023, so the copies of the G7, G20, NALS and Summit of
# the Americas statements would all join the first copy's summits.)
rename_summits() {
  python3 - "$1" "$2" "$summits" <<'PY'
import json, os, sys
root, copy, table = sys.argv[1], sys.argv[2], sys.argv[3]
summit = dict(line.rstrip("\n").split("\t", 1) for line in open(table) if "\t" in line)
def renamed(name):
    first, _, rest = name.partition(" ")
    return f"{first}copy{copy} {rest}".strip()
for folder, _, names in os.walk(root):
    entries = {n: {"summit": renamed(summit[n])} for n in names if n in summit}
    if entries:
        with open(os.path.join(folder, "accord.yaml"), "w") as f:
            json.dump({"files": entries}, f)  # JSON is YAML
PY
}

# Runs the command given, writing its peak RSS in kB to $1.
peak_rss() {
  local out=$1; shift
  if [ -x /usr/bin/time ] && /usr/bin/time -v true 2> /dev/null; then
    /usr/bin/time -v -o "$out.time" "$@"
    local status=$?
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$out.time" > "$out"
    return $status
  fi
  # No GNU time: sample the child's VmHWM (its peak so far) until it ends.
  "$@" &
  local pid=$! hwm=0 now
  while kill -0 "$pid" 2> /dev/null; do
    now=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2> /dev/null || true)
    if [ -n "$now" ]; then hwm=$now; fi
    sleep 0.05
  done
  wait "$pid"
  local status=$?
  echo "$hwm" > "$out"
  return $status
}

# Runs a command that reads the whole ledger of this scale back (the
# export, the list of every pending suggestion), its output thrown away,
# writing its peak RSS in kB to $1; prints its wall time.
timed_read() {
  local out=$1; shift
  local t0; t0=$(date +%s.%N)
  peak_rss "$out" "$bin" --db "$work/ledger.db" "$@" > /dev/null 2> "$work/err" || echo "${n}x: $* failed" >&2
  awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'
}

printf '%-6s %8s %9s %9s %8s %9s %9s %9s %12s %8s %8s %11s %9s %9s %8s %8s\n' scale files MB wall_s MB/s loop_s after_s peak_MB s_per_100MB match_s evid_s suggestions export_s export_MB list_s list_MB
results=()
for n in $scales; do
  work=$(mktemp -d "$tmp_root/accord-scale.XXXXXX")
  for copy in $(seq 1 "$n"); do
    mkdir -p "$work/in/copy-$copy"
    cp -r "$corpus/." "$work/in/copy-$copy"
    find "$work/in/copy-$copy" \( -name '.*' -o -iname 'readme*' -o -iname 'licen[sc]e*' -o -name accord.yaml \) -type f -delete
    find "$work/in/copy-$copy" -type f -print0 | xargs -0 sh -c 'for f; do printf "\nCopy %s.\n" "$0" >> "$f"; done' "$copy"
    if [ "$summits_mode" = distinct ] && [ "$copy" -gt 1 ]; then
      if [ ! -s "$summits" ]; then
        echo "reading the summits of $corpus once..." >&2
        "$bin" --db "$work/summits.db" ingest "$corpus" --quiet > /dev/null 2>&1 || true
        summits_of "$work/summits.db"
        rm -f "$work/summits.db"*
      fi
      rename_summits "$work/in/copy-$copy" "$copy"
    fi
  done
  bytes=$(find "$work/in" -type f ! -name accord.yaml -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  files=$(find "$work/in" -type f ! -name accord.yaml | wc -l)
  sync
  start=$(date +%s.%N)
  status=0
  # Not --quiet: the lines after the totals time matching and evidence.
  peak_rss "$work/rss" timeout "$limit" "$bin" --db "$work/ledger.db" ingest "$work/in" > "$work/out" 2> "$work/err" || status=$?
  end=$(date +%s.%N)
  if [ "$status" -eq 124 ]; then
    echo "${n}x: stopped after LIMIT=$limit s (the wall time below is the limit)" >&2
  elif [ "$status" -ne 0 ]; then
    echo "${n}x: ingest exited with $status" >&2
    tail -5 "$work/err" >&2
  fi
  # The totals line: "N files: … (X MB in Y s)" times the per-file loop.
  loop=$(grep -o 'MB in [0-9.]* s' "$work/out" | awk '{ print $3 }' | tail -1)
  # "matched: … (X s)" and "evidence: N new suggestions … (Y s; …)".
  match_s=$(grep -E '^matched:' "$work/out" | grep -o '([0-9.]* s)' | tr -d '()s ' | tail -1)
  evid_s=$(grep -E '^evidence:' "$work/out" | grep -o '([0-9.]* s;' | tr -d '(;s ' | tail -1)
  found=$(grep -E '^evidence:' "$work/out" | awk '{ print $2 }' | tail -1)
  rss_kb=$(cat "$work/rss")
  export_s=$(timed_read "$work/export.rss" export --format json)
  list_s=$(timed_read "$work/list.rss" evidence list)
  line=$(awk -v n="$n" -v f="$files" -v b="$bytes" -v s="$start" -v e="$end" -v l="${loop:-0}" -v r="$rss_kb" \
    -v ms="${match_s:-0}" -v es="${evid_s:-0}" -v found="${found:-0}" \
    -v xs="$export_s" -v xr="$(cat "$work/export.rss")" -v ls="$list_s" -v lr="$(cat "$work/list.rss")" 'BEGIN {
    mb = b / 1e6; w = e - s
    printf "%-6s %8d %9.1f %9.2f %8.2f %9.2f %9.2f %9.0f %12.2f %8.2f %8.2f %11d %9.2f %9.0f %8.2f %8.0f", n "x", f, mb, w, mb / w, l, w - l, r / 1024, 100 * w / mb, ms, es, found, xs, xr / 1024, ls, lr / 1024
  }')
  echo "$line"
  grep -E '^[0-9]+ files:' "$work/out" | sed 's/^/       /'
  if [ "$summits_mode" = distinct ] && [ ! -s "$summits" ] && [ "$status" -eq 0 ]; then
    summits_of "$work/ledger.db"
  fi
  results+=("$line")
  rm -rf "$work"
  work=
done

if [ "${#results[@]}" -ge 2 ]; then
  printf '%s\n' "${results[@]}" | awk '
    NR == 1 { s0 = $1; t0 = $9; m0 = $8; l0 = $6 / $3; e0 = $11; g0 = $12; x0 = $14; v0 = $16 }
    { s1 = $1; t1 = $9; m1 = $8; l1 = $6 / $3; e1 = $11; g1 = $12; x1 = $14; v1 = $16 }
    END {
      printf "\ntime per MB, %s against %s: %.2fx (%s); per-file loop per MB: %.2fx\n", s1, s0, t1 / t0, (t1 / t0 <= 1.25) ? "linear" : "worse than linear", l1 / l0
      printf "peak memory, %s against %s: %.0f MB against %.0f MB (%.2fx; bar 300 MB: %s)\n", s1, s0, m1, m0, m1 / m0, (m1 < 300) ? "ok" : "OVER"
      printf "reading it back, %s against %s: export %.0f MB against %.0f MB, evidence list %.0f MB against %.0f MB\n", s1, s0, x1, x0, v1, v0
      if (g0 > 0 && g1 > 0)
        printf "evidence, %s against %s: %.1fx the suggestions, %.1fx the time; %.2f against %.2f ms per suggestion\n", s1, s0, g1 / g0, e1 / e0, 1000 * e1 / g1, 1000 * e0 / g0
    }'
fi
