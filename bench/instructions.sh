#!/usr/bin/env bash
# Instructions executed by each stage of ingest, counted by valgrind's
# callgrind: the same figures run after run, whatever else the machine is
# doing, where wall times drift by 15 % or more within minutes. For
# comparing two builds, stage by stage.
#
#   bench/instructions.sh [FILES]
#
# Runs the stage bench (`cargo bench -p accord-cli --bench stages`) on the
# first FILES files (default 1500) of ACCORD_BENCH_CORPUS (default
# ../shared/corpus/whitehouse) under callgrind, one core, and prints each
# stage's instructions and instructions per input byte. Prepare and extract
# include the one-time compilation of the built-in patterns (about 0.36
# billion instructions), which a larger FILES spreads thinner. Takes about
# a minute per 1000 files.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-1500}
command -v valgrind > /dev/null || { echo "needs valgrind" >&2; exit 1; }
bench=$(cargo bench --quiet -p accord-cli --bench stages --no-run --message-format=json 2> /dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "stages" and m.get("executable"):
        print(m["executable"])')
[ -x "$bench" ] || { echo "stage bench not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One dump after each stage's report: dump N holds stage N's instructions.
(cd crates/accord-cli && ACCORD_BENCH_LIMIT=$files taskset -c 0 valgrind --tool=callgrind \
  --dump-after='stages::Report::stage' --callgrind-out-file="$tmp/cg" \
  "$bench" --bench > "$tmp/out" 2> "$tmp/err") || { cat "$tmp/err" >&2; exit 1; }
grep -E '^(corpus|input):' "$tmp/out"
python3 - "$tmp" <<'PY'
import glob, re, sys
tmp = sys.argv[1]
out = open(f"{tmp}/out").read()
mb = float(re.search(r"^input: ([0-9.]+) MB", out, re.M).group(1))
stages = re.findall(r"^(read|prepare|extract|store|match|evidence) ", out, re.M)
def per_byte(n):
    # The input is printed to a tenth of a MB: none for a few small files.
    return f"{n / (mb * 1e6):>9.1f}" if mb > 0 else f"{'-':>9}"
def part(path):
    m = re.search(r"\.(\d+)$", path)
    # The dump at exit has no number: it comes last.
    return int(m.group(1)) if m else 1 << 30
dumps = sorted(glob.glob(f"{tmp}/cg*"), key=part)
counts = []
for path in dumps:
    for line in open(path):
        if line.startswith(("summary:", "totals:")):
            counts.append(int(line.split()[1]))
            break
if len(counts) < len(stages):
    sys.exit(f"expected {len(stages)} dumps, found {len(counts)}")
print(f"{'stage':<10} {'instructions':>16} {'per byte':>9}")
total = 0
for name, n in zip(stages, counts):
    if name != "read":
        total += n
    print(f"{name:<10} {n:>16,} {per_byte(n)}")
print(f"{'prepare..evidence':<10} {total:>9,} {per_byte(total)}")
PY
