//! Storing a batch of files in one transaction (`pipeline::store_batch`),
//! on both backends: a file that fails in the middle leaves nothing of
//! itself and the rest of the batch is stored; the same content twice is
//! stored once; initiative names introduced by an earlier file of the batch
//! are known to the later ones.

use accord_cli::pipeline::{self, Processed};
use accord_ingest::{Options, Overrides};
use accord_store::scratch::Scratch;
use accord_store::{Backend, Filter, Written};

fn processed(name: &str, text: &str) -> Processed {
    pipeline::process(
        name,
        &format!("/statements/{name}"),
        text.as_bytes(),
        accord_ingest::content_hash(text.as_bytes()),
        &Overrides::default(),
        &Options::default(),
    )
    .expect("a statement")
}

fn statement(topic: &str) -> String {
    format!(
        "# Joint statement on {topic}\n\nThe leaders decided to:\n\n\
         - Launch the North American {topic} Initiative (NA{initial}I) to cut emissions by 2030.\n\
         - Convene a working group on {topic} within six months.\n",
        initial = &topic[..1].to_uppercase(),
    )
}

#[tokio::test]
async fn a_file_failing_in_a_batch_leaves_nothing_and_the_rest_is_stored() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let scratch = Scratch::new(backend)
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        let store = &scratch.store;
        let a = processed("a.md", &statement("methane"));
        let mut broken = processed("b.md", &statement("forests"));
        // Two commitments with one id: the write fails after the document
        // row and its first statements.
        let first = broken.commitments[0].clone();
        broken.commitments.push(first);
        let mut again = processed("a-copy.md", &statement("methane"));
        again.document.source_path = "/elsewhere/a-copy.md".into();
        let c = processed("c.md", &statement("oceans"));
        let (a_id, b_id, c_id) = (
            a.document.id.clone(),
            broken.document.id.clone(),
            c.document.id.clone(),
        );
        let mut files = vec![a, broken, again, c];
        let results = pipeline::store_batch(store, &mut files)
            .await
            .expect("the batch is committed");
        assert_eq!(results.len(), 4);
        assert_eq!(results[0].as_ref().ok(), Some(&Written::Added));
        assert!(results[1].is_err(), "{:?}", results[1]);
        assert_eq!(results[2].as_ref().ok(), Some(&Written::Unchanged));
        assert_eq!(results[3].as_ref().ok(), Some(&Written::Added));

        let ids: Vec<String> = store
            .documents()
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(ids.len(), 2, "{backend:?}: {ids:?}");
        assert!(ids.contains(&a_id) && ids.contains(&c_id) && !ids.contains(&b_id));
        let commitments = store.commitments(&Filter::default()).await.unwrap();
        assert!(commitments.iter().all(|c| c.document_id != b_id));
        assert_eq!(
            commitments.len(),
            files[0].commitments.len() + files[3].commitments.len()
        );
        scratch.finish().await;
    }
}

#[tokio::test]
async fn a_batch_stores_what_files_stored_one_by_one_store() {
    let texts = [
        ("1.md", "# Statement\n\nThe leaders decided to:\n\n- Launch the Clean Ports Initiative to cut emissions.\n"),
        ("2.md", "# Statement\n\nThe leaders decided to:\n\n- Expand the Clean Ports Initiative (CPI) to ten ports by 2030.\n"),
        ("3.md", "# Statement\n\nThe leaders decided to:\n\n- Fund the CPI with $10 million.\n"),
    ];
    let mut by_batch = Vec::new();
    for one_by_one in [false, true] {
        let scratch = Scratch::new(Backend::Sqlite).await.expect("ledger");
        let mut files: Vec<Processed> = texts.iter().map(|(n, t)| processed(n, t)).collect();
        if one_by_one {
            for file in files.chunks_mut(1) {
                pipeline::store_batch(&scratch.store, file).await.unwrap();
            }
        } else {
            pipeline::store_batch(&scratch.store, &mut files)
                .await
                .unwrap();
        }
        let commitments = scratch.store.commitments(&Filter::default()).await.unwrap();
        by_batch.push(commitments);
        scratch.finish().await;
    }
    assert!(
        by_batch[0]
            .iter()
            .filter(|c| !c.initiatives.is_empty())
            .count()
            >= 2,
        "{:?}",
        by_batch[0]
    );
    assert_eq!(by_batch[0], by_batch[1]);
}
