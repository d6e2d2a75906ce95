//! `accord match` and the matching step after each ingest: computes the
//! `same_commitment` and `follows_up` pairs one summit series at a time.
//!
//! Pairs never cross a series (versions are of one summit, follow-ups go
//! to earlier summits of the same series), and each series is weighed on
//! its own (term weights from its own commitments), so a series' pairs
//! depend on its documents only: after an ingest only the series it
//! touched are matched again, and memory is bounded by the largest series,
//! not the ledger.

use accord_match::{summit_series, AlignOptions, Corpus, Item, LinkOptions};
use accord_store::{Pair, Store};
use std::collections::{BTreeMap, BTreeSet};

/// Counts of one matching run.
#[derive(Debug, Default)]
pub struct Matched {
    /// `same_commitment` pairs written.
    pub same: usize,
    /// `follows_up` pairs written.
    pub follows: usize,
    /// Commitments considered (those whose document has a summit).
    pub items: usize,
    /// Series matched.
    pub series: usize,
    /// Seconds taken.
    pub seconds: f64,
}

/// Computes the pairs of every series again (`accord match`).
pub async fn rematch(store: &Store) -> anyhow::Result<Matched> {
    rematch_series(store, None).await
}

/// Computes again the pairs of the series of these summits (those an
/// ingest added documents to, removed documents from or renamed
/// initiatives in).
pub async fn rematch_summits(store: &Store, summits: &BTreeSet<String>) -> anyhow::Result<Matched> {
    let series: BTreeSet<String> = summits.iter().map(|s| summit_series(s).0).collect();
    rematch_series(store, Some(&series)).await
}

/// Computes the pairs of the given series (all when `None`), one series at
/// a time, each written in its own transaction. When another process
/// changes the ledger meanwhile, the series is computed again from the new
/// ledger rather than written over newer pairs.
async fn rematch_series(store: &Store, only: Option<&BTreeSet<String>>) -> anyhow::Result<Matched> {
    let started = std::time::Instant::now();
    let mut matched = Matched::default();
    let mut read_at = store.fingerprint().await?;
    let mut series = series_summits(store).await?;
    let names: Vec<String> = match only {
        Some(only) => only.iter().cloned().collect(),
        None => series.keys().cloned().collect(),
    };
    for name in names {
        let mut attempts = 0;
        loop {
            let summits = series.get(&name).cloned().unwrap_or_default();
            let (same, follows, items) = match_series(store, &summits).await?;
            if let Some(now) = store
                .replace_pairs_of_summits_if(&summits, &same, &follows, &read_at)
                .await?
            {
                read_at = now;
                matched.same += same.len();
                matched.follows += follows.len();
                matched.items += items;
                matched.series += 1;
                break;
            }
            attempts += 1;
            if attempts == ATTEMPTS {
                anyhow::bail!(
                    "the ledger kept changing while matching ({ATTEMPTS} attempts); run `accord match` when the other ingest is done"
                );
            }
            // Another writer came in between: read the ledger again.
            read_at = store.fingerprint().await?;
            series = series_summits(store).await?;
        }
    }
    matched.seconds = started.elapsed().as_secs_f64();
    Ok(matched)
}

/// Times a series is computed again before matching gives up.
const ATTEMPTS: usize = 5;

/// The summits of the ledger's documents by series.
async fn series_summits(store: &Store) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let summits = store.summits().await?;
    let mut series: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for summit in summits {
        series
            .entry(summit_series(&summit).0)
            .or_default()
            .push(summit);
    }
    Ok(series)
}

/// The pairs of one series' commitments, and how many there were.
async fn match_series(
    store: &Store,
    summits: &[String],
) -> anyhow::Result<(Vec<Pair>, Vec<Pair>, usize)> {
    let items: Vec<Item> = store
        .commitments_of_summits(summits)
        .await?
        .into_iter()
        .map(|c| Item {
            id: c.id,
            document_id: c.document_id,
            summit: Some(c.summit),
            text: c.text,
            initiatives: c.initiatives,
        })
        .collect();
    let corpus = Corpus::new(&items);
    let aligned = accord_match::align(&items, &corpus, &AlignOptions::default());
    let links = accord_match::link_aligned(&items, &corpus, &LinkOptions::default(), &aligned);
    let same: Vec<Pair> = aligned
        .into_iter()
        .map(|p| Pair {
            a: p.a,
            b: p.b,
            score: p.score,
            kind: None,
        })
        .collect();
    let follows: Vec<Pair> = links
        .into_iter()
        .map(|p| Pair {
            a: p.a,
            b: p.b,
            score: p.score,
            kind: p.kind.map(|k| k.as_str().to_string()),
        })
        .collect();
    Ok((same, follows, items.len()))
}
