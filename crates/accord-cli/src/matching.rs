//! `accord match` and the matching step after each ingest: recomputes the
//! `same_commitment` and `follows_up` pairs of the whole ledger.

use accord_match::{AlignOptions, Corpus, Item, LinkOptions};
use accord_store::{Filter, Pair, Store};
use std::collections::HashMap;

/// Counts of one matching run.
pub struct Matched {
    /// `same_commitment` pairs.
    pub same: usize,
    /// `follows_up` pairs.
    pub follows: usize,
    /// Commitments considered (those whose document has a summit).
    pub items: usize,
    /// Seconds taken.
    pub seconds: f64,
}

/// Recomputes every pair from the stored commitments. When another
/// process changes the ledger meanwhile, the pairs are computed again from
/// the new ledger rather than written over newer ones.
pub async fn rematch(store: &Store) -> anyhow::Result<Matched> {
    for _ in 0..ATTEMPTS {
        let read_at = store.fingerprint().await?;
        if let Some(matched) = match_once(store, &read_at).await? {
            return Ok(matched);
        }
    }
    anyhow::bail!(
        "the ledger kept changing while matching ({ATTEMPTS} attempts); run `accord match` when the other ingest is done"
    )
}

/// Times [`rematch`] recomputes before it gives up.
const ATTEMPTS: usize = 5;

/// One computation of every pair from the ledger at `read_at`; `None` when
/// the ledger changed before they could be written.
async fn match_once(store: &Store, read_at: &str) -> anyhow::Result<Option<Matched>> {
    let started = std::time::Instant::now();
    let summits: HashMap<String, Option<String>> = store
        .documents()
        .await?
        .into_iter()
        .map(|d| (d.id, d.summit))
        .collect();
    let items: Vec<Item> = store
        .commitments(&Filter::default())
        .await?
        .into_iter()
        .filter_map(|c| {
            let summit = summits.get(&c.document_id).cloned().flatten()?;
            Some(Item {
                id: c.id,
                document_id: c.document_id,
                summit: Some(summit),
                text: c.text,
                initiatives: c.initiatives,
            })
        })
        .collect();
    let corpus = Corpus::new(&items);
    let aligned = accord_match::align(&items, &corpus, &AlignOptions::default());
    let same: Vec<Pair> = aligned
        .iter()
        .cloned()
        .map(|p| Pair {
            a: p.a,
            b: p.b,
            score: p.score,
            kind: None,
        })
        .collect();
    let follows: Vec<Pair> = accord_match::link(&items, &corpus, &LinkOptions::default())
        .into_iter()
        .map(|p| Pair {
            a: p.a,
            b: p.b,
            score: p.score,
            kind: p.kind.map(|k| k.as_str().to_string()),
        })
        .collect();
    if !store.replace_pairs_if(&same, &follows, read_at).await? {
        return Ok(None);
    }
    Ok(Some(Matched {
        same: same.len(),
        follows: follows.len(),
        items: items.len(),
        seconds: started.elapsed().as_secs_f64(),
    }))
}
