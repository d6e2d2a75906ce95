//! One file through the pipeline: prepare (decode, clean, metadata), then
//! extract, giving the document and commitments to store; and the storing
//! of many such files in one transaction.

use accord_ingest::{Options, Overrides};
use accord_model::{Commitment, Document};
use std::collections::HashMap;

/// A document with its commitments, ready to store.
pub struct Processed {
    /// The document.
    pub document: Document,
    /// Its commitments.
    pub commitments: Vec<Commitment>,
    /// The texts of its passages for evidence discovery
    /// ([`accord_assess::evidence::passage_texts`] of the units extraction
    /// segmented): an ingest keeps them for its search of evidence rather
    /// than read and segment the document again.
    pub passages: Vec<String>,
}

/// Runs ingest and extraction over one file's bytes, whose
/// [`accord_ingest::content_hash`] is `content_hash`.
pub fn process(
    name: &str,
    path: &str,
    bytes: &[u8],
    content_hash: String,
    overrides: &Overrides,
    options: &Options,
) -> accord_ingest::Result<Processed> {
    let prepared = accord_ingest::prepare_hashed(name, bytes, content_hash, overrides, options)?;
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
    let segmented = accord_extract::segment::segment(&prepared.cleaned.text);
    let extraction =
        accord_extract::extract_segmented(&prepared.cleaned.text, &segmented, &context);
    let passages = accord_assess::evidence::passage_texts(
        segmented.units,
        &accord_assess::evidence::Options::default(),
    );
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
        passages,
    }
}

/// Files stored in one transaction ([`store_batch`]), at most… Each
/// commit writes again the pages of the ledger's indexes its rows fall in
/// (ids are hashes, so they fall all over them): batches of 256 rather
/// than 64 write 155 MB of log rather than 212 for the White House corpus
/// (one core without evidence: 4.27 -> 3.93 s).
pub const BATCH_FILES: usize = 256;
/// …and bytes of input in one batch, at most (or one file, when larger).
pub const BATCH_BYTES: u64 = 16 << 20;

/// Stores processed files in one transaction (a
/// [`accord_store::DocumentBatch`]), in order, after giving each
/// initiative the name the ledger knows it by (names introduced by the
/// batch's earlier files included, as if each file were written on its
/// own). Returns what writing each file did, or why it failed (then nothing
/// of it is stored, and the others are); an error of the batch itself
/// (beginning or committing it) means that none was stored.
///
/// The batch is first written all or nothing, every file together in a few
/// statements ([`accord_store::DocumentBatch::write_documents`]); when a
/// file fails or is found stored already, that transaction is rolled back
/// and the batch written again file by file, with a savepoint each.
pub async fn store_batch(
    store: &accord_store::Store,
    files: &mut [Processed],
) -> Result<Vec<Result<accord_store::Written, accord_store::Error>>, accord_store::Error> {
    let initiatives: Vec<Vec<Vec<String>>> = files
        .iter()
        .map(|f| {
            f.commitments
                .iter()
                .map(|c| c.initiatives.clone())
                .collect()
        })
        .collect();
    // First all together: the names the ledger knows for the batch's
    // initiatives, read once and kept up to date file by file as the
    // ledger's would be, then every file in a few statements.
    let mut batch = store.document_batch_all_or_nothing().await?;
    let keys: Vec<String> = {
        let mut keys: Vec<String> = files
            .iter()
            .flat_map(|f| initiative_keys(&f.commitments))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    };
    let mut known = if keys.is_empty() {
        HashMap::new()
    } else {
        batch.initiative_names(&keys).await?
    };
    let names: Vec<Vec<(String, String)>> = files
        .iter_mut()
        .map(|file| {
            let names = canonical_initiatives(&known, &mut file.commitments);
            learn_names(&mut known, &names);
            names
        })
        .collect();
    let documents: Vec<accord_store::NewDocument> = files
        .iter()
        .zip(&names)
        .map(|(file, names)| accord_store::NewDocument {
            document: &file.document,
            commitments: &file.commitments,
            initiative_names: names,
        })
        .collect();
    if let Ok(written) = batch.write_documents(&documents).await {
        batch.commit().await?;
        return Ok(written.into_iter().map(Ok).collect());
    }
    batch.rollback().await?;
    // Each file as it came, its initiatives named again.
    for (file, initiatives) in files.iter_mut().zip(initiatives) {
        for (c, names) in file.commitments.iter_mut().zip(initiatives) {
            c.initiatives = names;
        }
    }
    let mut batch = store.document_batch().await?;
    let mut results = Vec::with_capacity(files.len());
    for file in files.iter_mut() {
        results.push(write_file(&mut batch, file).await);
    }
    batch.commit().await?;
    Ok(results)
}

/// Takes in the names a file introduces, as storing them does: a new key
/// gets its name, and a name with its acronym replaces a plain one.
fn learn_names(known: &mut HashMap<String, String>, introduced: &[(String, String)]) {
    for (key, name) in introduced {
        match known.get_mut(key) {
            None => {
                known.insert(key.clone(), name.clone());
            }
            Some(old) => {
                if !old.contains(" (") && name.contains(" (") {
                    old.clone_from(name);
                }
            }
        }
    }
}

/// Names a file's initiatives as the batch knows them, then writes it.
async fn write_file(
    batch: &mut accord_store::DocumentBatch,
    file: &mut Processed,
) -> Result<accord_store::Written, accord_store::Error> {
    let keys = initiative_keys(&file.commitments);
    let known = if keys.is_empty() {
        HashMap::new()
    } else {
        batch.initiative_names(&keys).await?
    };
    let names = canonical_initiatives(&known, &mut file.commitments);
    batch
        .write_document(&file.document, &file.commitments, &names)
        .await
}

/// Gives each initiative the name the ledger already knows it by (`known`:
/// key to name, for the keys of the commitments' initiatives; one
/// initiative, one name across documents) and returns the `(key, name)`
/// pairs this document introduces.
pub fn canonical_initiatives(
    known: &HashMap<String, String>,
    commitments: &mut [Commitment],
) -> Vec<(String, String)> {
    let mut introduced: Vec<(String, String)> = Vec::new();
    // Key -> its place in `introduced` (a document may name thousands).
    let mut introduced_at: HashMap<String, usize> = HashMap::new();
    for c in commitments.iter_mut() {
        for name in c.initiatives.iter_mut() {
            let keys = accord_extract::attributes::initiative_keys(name);
            let canonical = keys.iter().find_map(|k| {
                known
                    .get(k)
                    .cloned()
                    .or_else(|| introduced_at.get(k).map(|&i| introduced[i].1.clone()))
            });
            if let Some(canonical) = canonical {
                *name = canonical;
            }
            for key in keys {
                let upgrade =
                    name.contains(" (") && known.get(&key).is_some_and(|k| !k.contains(" ("));
                if (upgrade || !known.contains_key(&key)) && !introduced_at.contains_key(&key) {
                    introduced_at.insert(key.clone(), introduced.len());
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
    introduced
}

/// Every key of the commitments' initiatives, sorted, once each.
pub fn initiative_keys(commitments: &[Commitment]) -> Vec<String> {
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
    keys
}

/// Renames initiatives across the whole ledger to the names the ledger
/// knows them by, so that a document ingested before another spelled an
/// initiative's long form with its acronym gets the same name. Reads only
/// the commitments that name initiatives, a page at a time (memory does not
/// grow with the ledger); returns the summits of the commitments renamed
/// (their pairs may change).
pub async fn canonicalize_ledger(
    store: &accord_store::Store,
) -> Result<std::collections::BTreeSet<String>, accord_store::Error> {
    let mut updates = Vec::new();
    let mut summits = std::collections::BTreeSet::new();
    let mut after = String::new();
    loop {
        let lists = store.initiative_lists(&after, RENAMING_PAGE).await?;
        let Some(last) = lists.last() else { break };
        after = last.id.clone();
        let full = lists.len() == RENAMING_PAGE;
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
        if !full {
            break;
        }
    }
    if !updates.is_empty() {
        store.set_initiatives(&updates).await?;
    }
    Ok(summits)
}

/// Commitments read at a time by [`canonicalize_ledger`].
const RENAMING_PAGE: usize = 5_000;

#[cfg(test)]
mod tests {
    use super::*;
    use accord_model::{Span, Strength, Theme};

    fn commitment(initiatives: &[&str]) -> Commitment {
        Commitment {
            id: "d-001".into(),
            document_id: "d".into(),
            ordinal: 1,
            text: "We will act.".into(),
            span: Span { start: 0, end: 12 },
            section: None,
            actors: Vec::new(),
            strength: Strength::Firm,
            theme: Theme::ClimateEnvironment,
            targets: Vec::new(),
            deadline: None,
            initiatives: initiatives.iter().map(|s| s.to_string()).collect(),
            confidence: 0.9,
        }
    }

    #[test]
    fn initiatives_take_the_names_the_ledger_and_the_document_gave_them() {
        let nadd = "North American Drug Dialogue (NADD)".to_string();
        let known = HashMap::from([
            ("acronym:NADD".to_string(), nadd.clone()),
            (
                "name:north american drug dialogue".to_string(),
                nadd.clone(),
            ),
        ]);
        let mut commitments = vec![
            commitment(&[
                "Global Methane Pledge (GMP)",
                "North American Drug Dialogue",
            ]),
            commitment(&["Global Methane Pledge", "Global Methane Pledge (GMP)"]),
        ];
        let introduced = canonical_initiatives(&known, &mut commitments);
        // The ledger's name wins; then the name the document gave first;
        // one initiative is named once in a commitment.
        let gmp = "Global Methane Pledge (GMP)".to_string();
        assert_eq!(commitments[0].initiatives, [gmp.clone(), nadd]);
        assert_eq!(commitments[1].initiatives, std::slice::from_ref(&gmp));
        assert_eq!(
            introduced,
            [
                ("acronym:GMP".to_string(), gmp.clone()),
                ("name:global methane pledge".to_string(), gmp),
            ]
        );
        // A document naming 40,000 initiatives: each is looked up once, not
        // compared with every one before it.
        let mut many: Vec<Commitment> = (0..40_000)
            .map(|i| commitment(&[&format!("Working Group {i}")]))
            .collect();
        let started = std::time::Instant::now();
        assert_eq!(canonical_initiatives(&known, &mut many).len(), 40_000);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
