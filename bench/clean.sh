#!/usr/bin/env bash
# Main-text extraction quality and speed on the public article-extraction
# benchmark pages in ../shared/corpus/html-articles (99 pages).
#
#   bench/clean.sh [PAGES_DIR GROUND_TRUTH]
#
# Prints the benchmark's own 4-gram precision/recall/F1 for `accord clean`
# and the pages per second it cleans.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-../shared/corpus/html-articles/html}
truth=${2:-../shared/corpus/html-articles/ground-truth.json}
scorer=../shared/eval/score_clean.py
[ -d "$pages" ] && [ -f "$truth" ] && [ -f "$scorer" ] || { echo "needs $pages, $truth and $scorer" >&2; exit 1; }
cargo build --release --quiet -p accord-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(ls "$pages" | wc -l)
start=$(date +%s.%N)
target/release/accord clean --format json "$pages" > "$tmp/cleaned.json"
end=$(date +%s.%N)
python3 "$scorer" "$truth" "$tmp/cleaned.json"
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "speed: %d pages in %.2f s, %.0f pages/s\n", n, e - s, n / (e - s) }'
