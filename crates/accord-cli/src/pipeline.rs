//! One file through the pipeline: prepare (decode, clean, metadata), then
//! extract, giving the document and commitments to store.

use accord_ingest::{Options, Overrides};
use accord_model::{Commitment, Document};

/// A document with its commitments, ready to store.
pub struct Processed {
    /// The document.
    pub document: Document,
    /// Its commitments.
    pub commitments: Vec<Commitment>,
}

/// Runs ingest and extraction over one file's bytes.
pub fn process(
    name: &str,
    path: &str,
    bytes: &[u8],
    overrides: &Overrides,
    options: &Options,
) -> accord_ingest::Result<Processed> {
    let prepared = accord_ingest::prepare(name, bytes, overrides, options)?;
    Ok(extract(name, path, prepared))
}

/// Extraction over a prepared file: the document and its commitments.
pub fn extract(name: &str, path: &str, prepared: accord_ingest::Prepared) -> Processed {
    let id = prepared.content_hash[..16].to_string();
    let context = accord_extract::Context {
        summit: prepared.meta.summit.clone(),
        date: prepared.meta.date.as_deref().and_then(|d| {
            chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
        }),
    };
    let extraction = accord_extract::extract(&prepared.cleaned.text, &context);
    let commitments = extraction
        .commitments
        .into_iter()
        .enumerate()
        .map(|(i, found)| Commitment {
            id: format!("{id}-{:03}", i + 1),
            document_id: id.clone(),
            ordinal: i as u32 + 1,
            span: prepared.cleaned.span(found.start, found.end),
            text: found.text,
            section: found.section,
            actors: found.actors,
            strength: found.strength,
            theme: found.theme,
            targets: found.targets,
            deadline: found.deadline,
            initiatives: found.initiatives,
            confidence: found.confidence,
        })
        .collect();
    let document = Document {
        id,
        source_file: name.to_string(),
        source_path: path.to_string(),
        content_hash: prepared.content_hash,
        format: prepared.format,
        meta: prepared.meta,
        original: prepared.original,
        text: prepared.cleaned.text,
    };
    Processed {
        document,
        commitments,
    }
}

/// Gives each initiative the name the ledger already knows it by (one
/// initiative, one name across documents) and returns the `(key, name)`
/// pairs this document introduces.
pub async fn canonical_initiatives(
    store: &accord_store::Store,
    commitments: &mut [Commitment],
) -> Result<Vec<(String, String)>, accord_store::Error> {
    let known = known_names(store, commitments).await?;
    let mut introduced: Vec<(String, String)> = Vec::new();
    for c in commitments.iter_mut() {
        for name in c.initiatives.iter_mut() {
            let keys = accord_extract::attributes::initiative_keys(name);
            let canonical = keys.iter().find_map(|k| {
                known.get(k).cloned().or_else(|| {
                    introduced
                        .iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, n)| n.clone())
                })
            });
            if let Some(canonical) = canonical {
                *name = canonical;
            }
            for key in keys {
                let upgrade =
                    name.contains(" (") && known.get(&key).is_some_and(|k| !k.contains(" ("));
                if (upgrade || !known.contains_key(&key))
                    && !introduced.iter().any(|(k, _)| *k == key)
                {
                    introduced.push((key, name.clone()));
                }
            }
        }
        let mut seen: Vec<String> = Vec::new();
        c.initiatives.retain(|n| {
            if seen.contains(n) {
                false
            } else {
                seen.push(n.clone());
                true
            }
        });
    }
    Ok(introduced)
}

/// The ledger's names for every key of the commitments' initiatives.
async fn known_names(
    store: &accord_store::Store,
    commitments: &[Commitment],
) -> Result<std::collections::HashMap<String, String>, accord_store::Error> {
    let mut keys: Vec<String> = commitments
        .iter()
        .flat_map(|c| {
            c.initiatives
                .iter()
                .flat_map(|i| accord_extract::attributes::initiative_keys(i))
        })
        .collect();
    keys.sort();
    keys.dedup();
    store.initiative_names(&keys).await
}

/// Renames initiatives across the whole ledger to the names the ledger
/// knows them by, so that a document ingested before another spelled an
/// initiative's long form with its acronym gets the same name. Reads only
/// the commitments that name initiatives; returns the summits of the
/// commitments renamed (their pairs may change).
pub async fn canonicalize_ledger(
    store: &accord_store::Store,
) -> Result<std::collections::BTreeSet<String>, accord_store::Error> {
    let lists = store.initiative_lists().await?;
    let mut keys: Vec<String> = lists
        .iter()
        .flat_map(|l| {
            l.initiatives
                .iter()
                .flat_map(|i| accord_extract::attributes::initiative_keys(i))
        })
        .collect();
    keys.sort();
    keys.dedup();
    let known = store.initiative_names(&keys).await?;
    let mut updates = Vec::new();
    let mut summits = std::collections::BTreeSet::new();
    for list in lists {
        let mut renamed: Vec<String> = Vec::new();
        for name in &list.initiatives {
            let keys = accord_extract::attributes::initiative_keys(name);
            let canonical = keys
                .iter()
                .find_map(|k| known.get(k))
                .cloned()
                .unwrap_or_else(|| name.clone());
            if !renamed.contains(&canonical) {
                renamed.push(canonical);
            }
        }
        if renamed != list.initiatives {
            summits.extend(list.summit);
            updates.push((list.id, renamed));
        }
    }
    if !updates.is_empty() {
        store.set_initiatives(&updates).await?;
    }
    Ok(summits)
}
