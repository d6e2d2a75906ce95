#!/usr/bin/env bash
# Where the time of an ingest goes, by the pipeline's own functions: the
# release binary ingests a corpus on one core under `perf record` (CPU
# clock, call graphs unwound from DWARF), and the share of the samples
# spent in each of Accord's functions is printed, callees included
# (inclusive; functions the compiler inlined count as their own), with
# where the samples end up: SQLite, the regular expression engines,
# allocation, the kernel.
#
#   bench/profile.sh [CORPUS_DIR] [INGEST_OPTION...]
#   bench/profile.sh ../shared/corpus/whitehouse --no-evidence
#   TOP=60 CPUS=1 bench/profile.sh      # more lines, another core
#   ACCORD_BIN=/path/to/accord bench/profile.sh  # another build, not built here
#
# Default corpus: ../shared/corpus/whitehouse. Needs `perf` (Debian's
# linux-perf) allowed to sample (kernel.perf_event_paranoid at most 2).
# Samples at 499 Hz: a White House ingest gives about 2,500 samples, so a
# share below 0.5 % is noise. Seconds are CPU seconds of the samples.
# Each sample keeps the innermost 16 KB of its stack: the shares of the
# functions near the top of the stack (`main`, `run`, the per-file
# `process` under the thread pool) are lower bounds, those of the work
# they call (metadata, cleaning, classification …) are whole. A function
# is named by the last segment of its path (`infer`, not
# `accord_ingest::meta::infer`), as its inlined copies are.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/whitehouse}
[ $# -gt 0 ] && shift
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
command -v perf > /dev/null || { echo "needs perf" >&2; exit 1; }
command -v taskset > /dev/null || { echo "needs taskset" >&2; exit 1; }
[ -n "${ACCORD_BIN:-}" ] || cargo build --release --quiet -p accord-cli
bin=${ACCORD_BIN:-$PWD/target/release/accord}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

perf record --quiet -e cpu-clock -F 499 --call-graph dwarf,16384 -o "$tmp/perf.data" \
  taskset -c "${CPUS:-0}" "$bin" --db "$tmp/profile.db" ingest --quiet "$@" "$corpus" > /dev/null
# The names of the functions written in the crates: inlined frames carry
# only their name.
grep -rhoE '\bfn [a-z_][a-z0-9_]*' crates/*/src | sed 's/^fn //' | sort -u > "$tmp/own"
perf script -i "$tmp/perf.data" > "$tmp/samples" 2> /dev/null
python3 - "$tmp/own" "${TOP:-40}" "$corpus" "$*" "$tmp/samples" <<'PY'
import collections, re, sys

own_names = set(open(sys.argv[1]).read().split())
top = int(sys.argv[2])
# Names too common to tell Accord's inlined functions from the standard
# library's or a dependency's.
generic = {
    "new", "next", "find", "get", "from", "into", "map", "fmt", "build", "default",
    "len", "is_empty", "run", "add", "insert", "push", "contains", "text", "regex",
    "is_match", "find_iter", "captures", "matches", "drop", "clone", "eq", "cmp",
    "hash", "deref", "as_str", "as_ref", "iter", "fold", "collect", "extend", "write",
    "read", "parse", "split", "lines", "words", "open", "connect", "execute", "main",
    "search", "index", "key", "keys", "name", "with", "set", "take", "filter", "call",
    "finish", "begin", "commit", "rollback", "list", "show", "stats", "serve", "start",
}
# Where a sample ends up, from its innermost frame.
leaf_kinds = [
    ("kernel", re.compile(r"\[kernel|^\S+ \[k\]|_(?:sys|syscall)|entry_SYSCALL")),
    ("SQLite", re.compile(r"^sqlite3|^(?:vdbe|btree|pager|wal|unix)[A-Z]|^balance_")),
    ("regular expressions", re.compile(r"regex_automata|regex_syntax|aho_corasick|memchr")),
    ("allocation", re.compile(r"malloc|realloc|_rjem_|jemalloc|^free|_int_free|do_rallocx")),
    ("copying and comparing", re.compile(r"^__mem(?:cpy|move|cmp|set)")),
]

def frames_of(sample):
    out = []
    for line in sample.split("\n")[1:]:
        line = line.strip()
        m = re.match(r"^[0-9a-f]+ (.*?)(?:\+0x[0-9a-f]+)? \((.*)\)$", line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out

# Libraries, callees included: a sample counts once if any frame is theirs.
libraries = [
    ("SQLite (statements, commits, checkpoints)", re.compile(r"^sqlite3_(?:step|exec)$")),
    ("YAML front matter", re.compile(r"serde_yaml|unsafe_libyaml")),
    ("HTML parsing", re.compile(r"html5ever|markup5ever|scraper::")),
]

def own(symbol):
    """The name of one of Accord's functions, or None. A path (a function
    not inlined) and an inlined frame (its bare name) of the same function
    give the same name: its last segment, closures folded in."""
    if "accord" in symbol.split("<")[0]:
        path = re.sub(r"<.*>", "", symbol)
        path = re.sub(r"::\{\{closure\}\}|::\{closure#\d+\}", "", path)
        return path.rsplit("::", 1)[-1]
    if symbol in own_names and symbol not in generic:
        return symbol
    return None

samples = open(sys.argv[5]).read().split("\n\n")
inclusive = collections.Counter()
leaf = collections.Counter()
library = collections.Counter()
total = 0
for sample in samples:
    frames = frames_of(sample.strip())
    if not frames:
        continue
    total += 1
    symbol, dso = frames[0]
    kind = "Accord and the rest"
    if "kernel" in dso:
        kind = "kernel"
    else:
        for name, pattern in leaf_kinds:
            if pattern.search(symbol):
                kind = name
                break
    leaf[kind] += 1
    for name, pattern in libraries:
        if any(pattern.search(symbol) for symbol, _ in frames):
            library[name] += 1
    seen = set()
    for symbol, _ in frames:
        name = own(symbol)
        if name and name not in seen:
            seen.add(name)
            inclusive[name] += 1
if total == 0:
    sys.exit("no samples (is perf allowed to sample? see kernel.perf_event_paranoid)")
seconds = total / 499
print(f"corpus:   {sys.argv[3]}{' ' + sys.argv[4] if sys.argv[4] else ''}")
print(f"samples:  {total} ({seconds:.2f} CPU s at 499 Hz)")
print()
print("where the samples end up (innermost frame):")
for name, n in leaf.most_common():
    print(f"  {100 * n / total:5.1f} %  {name}")
print()
print("libraries, callees included:")
for name, _ in libraries:
    print(f"  {100 * library[name] / total:5.1f} %  {library[name] / 499:6.2f} s  {name}")
print()
print(f"Accord's functions, callees included (top {top}):")
for name, n in inclusive.most_common(top):
    print(f"  {100 * n / total:5.1f} %  {n / 499:6.2f} s  {name}")
PY
