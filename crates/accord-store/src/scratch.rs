//! Throw-away ledgers on both backends, for tests and benchmarks: a fresh
//! SQLite file in a temporary folder, or a fresh database on a PostgreSQL
//! server (`ACCORD_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/test`), dropped by [`Scratch::finish`].

use crate::{Backend, Error, Result, Store};
use sqlx::any::AnyPoolOptions;
use sqlx::Executor;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The PostgreSQL server scratch databases are made on.
pub fn postgres_server() -> String {
    std::env::var("ACCORD_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A throw-away ledger.
#[derive(Debug)]
pub struct Scratch {
    /// The open ledger.
    pub store: Store,
    /// Where it is (`--db`).
    pub location: String,
    database: Option<String>,
    _dir: Option<std::path::PathBuf>,
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

impl Scratch {
    /// A new, empty ledger on `backend`.
    pub async fn new(backend: Backend) -> Result<Scratch> {
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("accord_scratch_{}_{n}_{nanos}", std::process::id());
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).map_err(|e| Error::Open {
                    path: dir.display().to_string(),
                    message: e.to_string(),
                })?;
                let path = dir.join("ledger.db");
                let store = Store::open(&path).await?;
                Ok(Scratch {
                    store,
                    location: path.display().to_string(),
                    database: None,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let server = postgres_server();
                let admin = admin_pool(&server).await?;
                admin
                    .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await?;
                admin.close().await;
                let location = with_database(&server, &name);
                let store = Store::connect(&location).await?;
                Ok(Scratch {
                    store,
                    location,
                    database: Some(name),
                    _dir: None,
                })
            }
        }
    }

    /// Closes the ledger and removes it.
    pub async fn finish(mut self) {
        self.store.clone().close().await;
        if let Some(name) = self.database.take() {
            let _ = drop_database(&postgres_server(), &name).await;
        }
        if let Some(dir) = self._dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Scratch {
    /// A scratch SQLite ledger is removed even when its test panics before
    /// [`Scratch::finish`] (a PostgreSQL one needs the async `finish`).
    fn drop(&mut self) {
        if let Some(dir) = self._dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Drops database `name` on the server of `server` (a PostgreSQL URL).
pub async fn drop_database(server: &str, name: &str) -> Result<()> {
    let admin = admin_pool(server).await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await?;
    admin.close().await;
    Ok(())
}

async fn admin_pool(server: &str) -> Result<sqlx::AnyPool> {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new()
        .max_connections(1)
        .connect(server)
        .await
        .map_err(|e| Error::Open {
            path: crate::redact(server),
            message: format!(
                "{e} (the PostgreSQL tests need a server: `.ci/run` starts one, or set ACCORD_TEST_POSTGRES)"
            ),
        })
}

/// The database name of a PostgreSQL URL.
pub(crate) fn database_of(url: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    base[scheme_end..]
        .split_once('/')
        .map(|(_, db)| db.to_string())
        .unwrap_or_default()
}

/// `url` with its database name replaced by `database`.
pub(crate) fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{database}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}
