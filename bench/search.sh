#!/usr/bin/env bash
# Search latency under load and page render times of `accord serve`.
#
#   bench/search.sh [CORPUS_DIR] [DB]
#
# Ingests CORPUS_DIR (default: ../shared/corpus/whitehouse, 6,448
# statements) into DB (default: target/bench-search/ledger.db; kept between
# runs, and re-ingesting unchanged files changes nothing), serves it with
# the release binary on a free loopback port, then:
#   - drives /api/v1/search with `wrk` (32 connections, 30 s, a rotation of
#     queries) and prints the median and p99 latency (bars: 10 ms, 50 ms);
#   - times every main page (best and worst of 5) (bar: 100 ms).
# Needs `wrk` (Debian package wrk) and `curl`.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/whitehouse}
db=${2:-target/bench-search/ledger.db}
duration=${DURATION:-30s}
connections=${CONNECTIONS:-32}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

cargo build --release --quiet -p accord-cli
bin=target/release/accord
mkdir -p "$(dirname "$db")"
tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "ingesting $corpus into $db"
"$bin" --db "$db" ingest --quiet "$corpus" | tail -2 || true

"$bin" --db "$db" serve --addr 127.0.0.1:0 --refresh 0 > "$tmp/serve.out" 2> "$tmp/serve.err" &
server=$!
for _ in $(seq 1 600); do
  grep -q '^serving' "$tmp/serve.out" 2> /dev/null && break
  kill -0 "$server" 2> /dev/null || { cat "$tmp/serve.err" >&2; exit 1; }
  sleep 0.1
done
head -1 "$tmp/serve.out"
base=$(grep -o 'http://[0-9.:]*' "$tmp/serve.out" | head -1)

cat > "$tmp/queries.lua" <<'EOF'
-- A rotation of searches: single words, phrases, filters, facets.
local queries = {
  "q=methane", "q=climate", "q=supply%20chains", "q=fentanyl", "q=vaccine",
  "q=semiconductor", "q=Ukraine", "q=clean%20energy", "q=migration",
  "q=%22critical%20minerals%22", "q=trade&issuer=US", "q=health&theme=health",
  "q=infrastructure%20investment", "q=will", "q=security&strength=firm",
  "q=refugees%20OR%20asylum",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/search?" .. queries[(i % #queries) + 1])
end
EOF

echo
echo "search: wrk, $connections connections, $duration, GET /api/v1/search (16 queries in turn)"
curl -fsS "$base/api/v1/search?q=methane" > /dev/null
wrk -t2 -c"$connections" -d"$duration" --latency -s "$tmp/queries.lua" "$base" > "$tmp/wrk.out"
sed -n '/Latency Distribution/,/99%/p' "$tmp/wrk.out"
grep -E 'Requests/sec|requests in|Non-2xx|Socket errors' "$tmp/wrk.out" || true
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'; }
median=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out" | to_ms)
p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out" | to_ms)
verdict() { awk -v v="$1" -v bar="$2" 'BEGIN { print (v < bar) ? "ok" : "OVER" }'; }
echo "search median: $median ms (bar 10 ms: $(verdict "$median" 10)); p99: $p99 ms (bar 50 ms: $(verdict "$p99" 50))"

echo
echo "pages: best / worst of 5, server-side time to the last byte on loopback (bar 100 ms)"
first_value() { awk -v key="\"$1\":\"" 'i = index($0, key) { rest = substr($0, i + length(key)); print substr(rest, 1, index(rest, "\"") - 1); exit }' "$2"; }
curl -fsS "$base/api/v1/search?q=methane&limit=1" > "$tmp/hit.json"
commitment=$(first_value id "$tmp/hit.json")
document=$(first_value document_id "$tmp/hit.json")
curl -fsS "$base/api/v1/summits" > "$tmp/summits.json"
summit=$(first_value summit "$tmp/summits.json" | sed 's/ /%20/g')
pages=(
  "/"
  "/search"
  "/search?q=climate"
  "/search?q=will"
  "/commitments/$commitment"
  "/documents/$document"
  "/compare?summit=$summit"
  "/lineage?theme=climate_environment"
  "/lineage?commitment=$commitment"
  "/dashboard"
)
worst_all=0
for page in "${pages[@]}"; do
  times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$base$page")")
  done
  printf '%s\n' "${times[@]}" | awk -v page="$page" '
    { if ($1 != 200) bad = $1; ms = $2 * 1000; if (min == "" || ms < min) min = ms; if (ms > max) max = ms }
    END { printf "  %-45s %7.1f ms / %7.1f ms%s\n", page, min, max, bad ? "  (status " bad ")" : "" }'
  worst=$(printf '%s\n' "${times[@]}" | awk '{ ms = $2 * 1000; if (ms > max) max = ms } END { printf "%.1f", max }')
  worst_all=$(awk -v a="$worst_all" -v b="$worst" 'BEGIN { print (b > a) ? b : a }')
done
echo "slowest page: $worst_all ms (bar 100 ms: $(verdict "$worst_all" 100))"
