//! The server's state: the store, and a read-only snapshot of the ledger
//! ([`Ledger`]) with its search index, rebuilt whenever the store's
//! fingerprint changes.
//!
//! Handlers read the snapshot and never wait on the database for lists,
//! counts or searches; only pages that need a document's full text read
//! the store. The snapshot is derived data: it can always be rebuilt from
//! the database.

use crate::error::Error;
use crate::limits::LoginThrottle;
use accord_model::Commitment;
use accord_search::{Entry, SearchIndex};
use accord_store::{DocumentRow, Filter, Pair, Store};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// A read-only snapshot of the whole ledger, with lookups and the search
/// index.
#[derive(Debug)]
pub struct Ledger {
    /// The store's fingerprint when the snapshot was taken.
    pub fingerprint: String,
    /// Documents, ordered by summit, issuer, date and file.
    pub documents: Vec<DocumentRow>,
    /// Commitments, ordered by summit, issuer, file, document id and
    /// ordinal.
    pub commitments: Vec<Commitment>,
    /// `same_commitment` pairs.
    pub same: Vec<Pair>,
    /// `follows_up` pairs (`a` is the later commitment).
    pub follows: Vec<Pair>,
    /// The full-text index of the commitments.
    pub search: SearchIndex,
    document_index: HashMap<String, usize>,
    commitment_index: HashMap<String, usize>,
    by_document: HashMap<String, Vec<usize>>,
    same_of: HashMap<String, Vec<usize>>,
    follows_of: HashMap<String, Vec<usize>>,
}

impl Ledger {
    /// Reads the whole ledger from `store` and indexes it.
    pub async fn load(store: &Store) -> Result<Ledger, Error> {
        let fingerprint = store.fingerprint().await?;
        let documents = store.documents().await?;
        let commitments = store.commitments(&Filter::default()).await?;
        let same = store.same_commitment().await?;
        let follows = store.follows_up().await?;
        tokio::task::spawn_blocking(move || {
            Ledger::build(fingerprint, documents, commitments, same, follows)
        })
        .await
        .map_err(|e| Error::Internal(format!("index build stopped: {e}")))?
    }

    /// Builds a snapshot from rows already read.
    pub fn build(
        fingerprint: String,
        documents: Vec<DocumentRow>,
        commitments: Vec<Commitment>,
        same: Vec<Pair>,
        follows: Vec<Pair>,
    ) -> Result<Ledger, Error> {
        let document_index: HashMap<String, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let commitment_index = commitments
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let mut by_document: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in commitments.iter().enumerate() {
            by_document
                .entry(c.document_id.clone())
                .or_default()
                .push(i);
        }
        let mut same_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in same.iter().enumerate() {
            same_of.entry(p.a.clone()).or_default().push(i);
            same_of.entry(p.b.clone()).or_default().push(i);
        }
        let mut follows_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in follows.iter().enumerate() {
            follows_of.entry(p.a.clone()).or_default().push(i);
            follows_of.entry(p.b.clone()).or_default().push(i);
        }
        let entries: Vec<Entry> = commitments
            .iter()
            .map(|c| {
                let document = document_index.get(&c.document_id).map(|&i| &documents[i]);
                Entry {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    section: c.section.clone(),
                    initiatives: c.initiatives.clone(),
                    summit: document.and_then(|d| d.summit.clone()),
                    issuer: document.and_then(|d| d.issuer.clone()),
                    theme: c.theme.as_str().to_string(),
                    strength: c.strength.as_str().to_string(),
                    actors: c.actors.clone(),
                    has_target: !c.targets.is_empty(),
                    deadline_year: c.deadline.as_deref().and_then(year_of),
                }
            })
            .collect();
        let search = SearchIndex::build(&entries)?;
        Ok(Ledger {
            fingerprint,
            documents,
            commitments,
            same,
            follows,
            search,
            document_index,
            commitment_index,
            by_document,
            same_of,
            follows_of,
        })
    }

    /// A document by id.
    pub fn document(&self, id: &str) -> Option<&DocumentRow> {
        self.document_index.get(id).map(|&i| &self.documents[i])
    }

    /// A commitment by id.
    pub fn commitment(&self, id: &str) -> Option<&Commitment> {
        self.commitment_index.get(id).map(|&i| &self.commitments[i])
    }

    /// The document of a commitment.
    pub fn document_of(&self, commitment: &Commitment) -> Option<&DocumentRow> {
        self.document(&commitment.document_id)
    }

    /// The same commitment in other versions: `(other id, score)`, best
    /// first.
    pub fn same_as(&self, id: &str) -> Vec<(&str, f64)> {
        let mut out: Vec<(&str, f64)> = self
            .same_of
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| {
                let p = &self.same[i];
                (
                    if p.a == id {
                        p.b.as_str()
                    } else {
                        p.a.as_str()
                    },
                    p.score,
                )
            })
            .collect();
        out.sort_by(|x, y| y.1.total_cmp(&x.1));
        out
    }

    /// Earlier commitments this one follows up, best first.
    pub fn earlier_of(&self, id: &str) -> Vec<&Pair> {
        self.links_of(id, |p| p.a == id)
    }

    /// Later commitments that follow this one up, best first.
    pub fn later_of(&self, id: &str) -> Vec<&Pair> {
        self.links_of(id, |p| p.b == id)
    }

    fn links_of(&self, id: &str, keep: impl Fn(&Pair) -> bool) -> Vec<&Pair> {
        let mut out: Vec<&Pair> = self
            .follows_of
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.follows[i])
            .filter(|p| keep(p))
            .collect();
        out.sort_by(|x, y| y.score.total_cmp(&x.score));
        out
    }

    /// How many commitments a document has.
    pub fn n_commitments_of(&self, document_id: &str) -> usize {
        self.by_document.get(document_id).map_or(0, Vec::len)
    }

    /// The commitments of one document, in ledger order (cheaper than
    /// [`Ledger::commitments_of`], which sorts them by ordinal).
    pub fn commitments_of_unordered(&self, document_id: &str) -> impl Iterator<Item = &Commitment> {
        self.by_document
            .get(document_id)
            .into_iter()
            .flatten()
            .map(|&i| &self.commitments[i])
    }

    /// The commitments of one document, in order.
    pub fn commitments_of(&self, document_id: &str) -> Vec<&Commitment> {
        let mut of_document: Vec<&Commitment> = self
            .by_document
            .get(document_id)
            .into_iter()
            .flatten()
            .map(|&i| &self.commitments[i])
            .collect();
        of_document.sort_by_key(|c| c.ordinal);
        of_document
    }
}

/// The year of an ISO date (`2030`, `2030-06`, `2030-06-30`).
pub fn year_of(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

/// What every handler shares: the store, the current [`Ledger`], and
/// whether people who are not logged in may read.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    ledger: Arc<RwLock<Arc<Ledger>>>,
    anonymous_read: bool,
    logins: Arc<LoginThrottle>,
}

impl AppState {
    /// Reads the ledger from `store` and builds the search index. Anyone
    /// may read until [`AppState::with_anonymous_read`] says otherwise.
    pub async fn load(store: Store) -> Result<AppState, Error> {
        let ledger = Ledger::load(&store).await?;
        Ok(AppState {
            store,
            ledger: Arc::new(RwLock::new(Arc::new(ledger))),
            anonymous_read: true,
            logins: Arc::new(LoginThrottle::default()),
        })
    }

    /// The same state, with reading by people who are not logged in allowed
    /// (`true`, the default) or not (`false`: every page but the login
    /// page redirects to it, and every API call answers 401, until they
    /// log in or give a token).
    pub fn with_anonymous_read(mut self, allowed: bool) -> AppState {
        self.anonymous_read = allowed;
        self
    }

    /// Whether people who are not logged in may read.
    pub fn anonymous_read(&self) -> bool {
        self.anonymous_read
    }

    /// The same state, with at most `max_attempts` failed logins a user
    /// name in `window` (by default ten a quarter of an hour).
    pub fn with_login_throttle(mut self, max_attempts: usize, window: Duration) -> AppState {
        self.logins = Arc::new(LoginThrottle::new(max_attempts, window));
        self
    }

    /// The count of login attempts a user name.
    pub fn logins(&self) -> &LoginThrottle {
        &self.logins
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current snapshot of the ledger.
    pub fn ledger(&self) -> Arc<Ledger> {
        match self.ledger.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Rebuilds the snapshot if the store changed since it was taken;
    /// returns whether it did.
    pub async fn refresh(&self) -> Result<bool, Error> {
        let fingerprint = self.store.fingerprint().await?;
        if fingerprint == self.ledger().fingerprint {
            return Ok(false);
        }
        let ledger = Arc::new(Ledger::load(&self.store).await?);
        match self.ledger.write() {
            Ok(mut guard) => *guard = ledger,
            Err(poisoned) => *poisoned.into_inner() = ledger,
        }
        Ok(true)
    }

    /// Checks the store every `every` and rebuilds the snapshot when it
    /// changed (after an `accord ingest` while the server runs). Runs
    /// until the runtime stops.
    pub fn spawn_refresher(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                if let Err(e) = state.refresh().await {
                    eprintln!("warning: cannot refresh the ledger: {e}");
                }
            }
        })
    }
}
