//! Recomputes the pairs of an `accord-export/1` file with the current
//! matching code, for tuning thresholds without rebuilding the binary:
//!
//!     cargo run -p accord-match --example rematch -- ledger.json > out.json
//!
//! `ALIGN=strong=0.5,best=0.2,…` and `LINK=threshold=0.25,…` override the
//! thresholds of [`AlignOptions`] and [`LinkOptions`]; `EXPLAIN=ID,ID`
//! prints, for those commitments, their closest matches in each other
//! document of their series.
//!
//! Items are ordered as `accord match` reads them (summit, issuer, source
//! file, ordinal) and matched one summit series at a time.
use accord_match::{summit_series, AlignOptions, Corpus, Item, LinkOptions};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

fn main() {
    let path = std::env::args().nth(1).expect("usage: rematch EXPORT.json");
    let mut export: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let documents: HashMap<String, &Value> = export["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| (d["id"].as_str().unwrap_or_default().to_string(), d))
        .collect();
    let mut rows: Vec<(String, String, String, u64, Item)> = Vec::new();
    for c in export["commitments"].as_array().expect("commitments") {
        let document = documents[c["document_id"].as_str().unwrap_or_default()];
        let Some(summit) = document["summit"].as_str() else {
            continue;
        };
        let id = c["id"].as_str().unwrap_or_default().to_string();
        let ordinal = id
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        rows.push((
            summit.to_string(),
            document["issuer"].as_str().unwrap_or_default().to_string(),
            document["source_file"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            ordinal,
            Item {
                id,
                document_id: c["document_id"].as_str().unwrap_or_default().to_string(),
                summit: Some(summit.to_string()),
                text: c["text"].as_str().unwrap_or_default().to_string(),
                initiatives: c["initiatives"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        ));
    }
    rows.sort_by(|a, b| (&a.0, &a.1, &a.2, a.3).cmp(&(&b.0, &b.1, &b.2, b.3)));
    let mut series: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for (summit, _, _, _, item) in rows {
        series
            .entry(summit_series(&summit).0)
            .or_default()
            .push(item);
    }
    let (mut same, mut follows) = (Vec::new(), Vec::new());
    let explain: Vec<String> = std::env::var("EXPLAIN")
        .map(|v| v.split(',').map(String::from).collect())
        .unwrap_or_default();
    for items in series.values() {
        let corpus = Corpus::new(items);
        for (i, item) in items.iter().enumerate() {
            if !explain.iter().any(|e| item.id.ends_with(e.as_str())) {
                continue;
            }
            let general = if corpus.is_general(i) {
                " (general)"
            } else {
                ""
            };
            eprintln!("== {}{general} {}", item.id, item.text);
            let mut by_doc: BTreeMap<&str, Vec<(f64, f64, usize)>> = BTreeMap::new();
            for (j, other) in items.iter().enumerate() {
                if other.document_id != item.document_id {
                    let s = corpus.similarity(i, j);
                    let b = corpus
                        .bundle_similarity(j, i)
                        .max(corpus.bundle_similarity(i, j));
                    by_doc
                        .entry(other.document_id.as_str())
                        .or_default()
                        .push((s, b, j));
                }
            }
            for (doc, mut list) in by_doc {
                list.sort_by(|a, b| b.0.total_cmp(&a.0));
                eprintln!("  in {doc}:");
                for (s, b, j) in list.into_iter().take(6) {
                    let t = &items[j].text;
                    eprintln!(
                        "    {s:.3} (part {b:.3}) {} {}",
                        items[j].id,
                        &t[..t.len().min(110)]
                    );
                }
            }
        }
        let aligned = accord_match::align(items, &corpus, &align_options());
        let links = accord_match::link_aligned(items, &corpus, &link_options(), &aligned);
        same.extend(
            aligned
                .iter()
                .map(|p| json!({"a": p.a, "b": p.b, "score": p.score})),
        );
        follows.extend(links.iter().map(|p| {
            json!({"later": p.a, "earlier": p.b, "score": p.score,
                   "kind": p.kind.map(|k| k.as_str())})
        }));
    }
    export["same_commitment"] = Value::Array(same);
    export["follows_up"] = Value::Array(follows);
    println!("{}", serde_json::to_string(&export).expect("json"));
}

/// `name=value,…` from an environment variable.
fn settings(var: &str) -> HashMap<String, f64> {
    std::env::var(var)
        .unwrap_or_default()
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().parse().expect("number")))
        .collect()
}

/// [`AlignOptions`] with the overrides of `ALIGN=strong=0.5,best=0.2,…`.
fn align_options() -> AlignOptions {
    let set = settings("ALIGN");
    let mut o = AlignOptions::default();
    let get = |k: &str, d: f64| set.get(k).copied().unwrap_or(d);
    o.strong = get("strong", o.strong);
    o.best = get("best", o.best);
    o.general = get("general", o.general);
    o.one_way = get("one_way", o.one_way);
    o.near = get("near", o.near);
    o.triangle = get("triangle", o.triangle);
    o.part = get("part", o.part);
    o
}

/// [`LinkOptions`] with the overrides of `LINK=threshold=0.25,mutual=0.5,…`.
fn link_options() -> LinkOptions {
    let set = settings("LINK");
    let mut o = LinkOptions::default();
    let get = |k: &str, d: f64| set.get(k).copied().unwrap_or(d);
    o.threshold = get("threshold", o.threshold);
    o.mutual = get("mutual", o.mutual);
    o.general = get("general", o.general);
    o.version_alignment = get("version_alignment", o.version_alignment);
    o.version = get("version", o.version);
    o
}
