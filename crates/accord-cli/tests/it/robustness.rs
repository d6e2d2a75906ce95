//! Hard to break: an ingest killed in the middle, and the ledger written
//! and read by several processes at once.
//!
//! - `ingest_killed_midway_loses_nothing_and_resumes`: an `accord ingest`
//!   of three batches of statements is killed (SIGKILL) after it reported
//!   100 of them as added (in its first batch, the second being prepared). The ledger still opens; every file reported as
//!   added is stored with exactly the commitments reported; every stored
//!   document is whole (the same commitments as in an uninterrupted ingest
//!   of the same files); `export` and `serve` (which rebuilds its index)
//!   work; re-running the ingest stores the rest (added + unchanged =
//!   total), and the ledger is then the one an uninterrupted ingest makes.
//! - `serve_answers_while_ingesting_on_sqlite` and `…_on_postgres`: while
//!   `accord serve` runs and reader threads request the JSON API and the
//!   search page, an `accord ingest` of many files succeeds; no request
//!   fails, nothing reports a locked database, and the server shows the new
//!   commitments within a few seconds.
//! - `two_ingests_at_once_on_one_sqlite_file_both_succeed`: two processes
//!   ingest into the same SQLite ledger at once (different files, then the
//!   same files); both succeed and every file is stored exactly once.
//!
//! The statements are small generated files (bullets of the bundled corpus
//! under a heading, and a line naming the file, so that every file has its
//! own content hash), plus the bundled corpus itself for the crash test, so
//! that matching has versions to align.

use crate::{accord, corpus, export, stderr, stdout};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Bullets of the bundled corpus that name no summit (generated statements
/// stay outside every summit, as most statements do).
fn corpus_bullets() -> Vec<String> {
    let mut bullets = Vec::new();
    for entry in std::fs::read_dir(corpus()).expect("bundled corpus") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("corpus file");
        for line in text.lines() {
            let Some(bullet) = line.trim().strip_prefix('•') else {
                continue;
            };
            let lower = bullet.to_lowercase();
            if ["summit", "nals", "g7", "g20", "leaders"]
                .iter()
                .all(|w| !lower.contains(w))
            {
                bullets.push(bullet.trim().to_string());
            }
        }
    }
    bullets.sort();
    assert!(bullets.len() > 40, "too few bullets: {}", bullets.len());
    bullets
}

/// Writes `n` small distinct statements named `{prefix}{i:04}.txt` into
/// `dir`.
fn write_statements(dir: &Path, prefix: &str, n: usize) {
    std::fs::create_dir_all(dir).expect("statement folder");
    let bullets = corpus_bullets();
    for i in 0..n {
        let mut text = format!(
            "Joint statement {prefix}{i} on regional cooperation\n\nThe partners met today and decided to:\n\n"
        );
        for k in 0..3 {
            let bullet = &bullets[(i * 7 + k * 13) % bullets.len()];
            text.push_str(&format!("  • {bullet}\n"));
        }
        text.push_str(&format!("\nStatement {prefix}{i} ends here.\n"));
        std::fs::write(dir.join(format!("{prefix}{i:04}.txt")), text).expect("write statement");
    }
}

/// Commitments of an export, by document id.
fn commitments_by_document(ledger: &Value) -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for c in ledger["commitments"].as_array().expect("commitments") {
        out.entry(c["document_id"].as_str().expect("document_id").to_string())
            .or_default()
            .push(c.clone());
    }
    out
}

/// The numbers of an ingest's totals line: files, added, replaced,
/// unchanged, failed.
fn totals(output: &str) -> [usize; 5] {
    let line = output
        .lines()
        .find(|l| l.contains(" files: "))
        .unwrap_or_else(|| panic!("no totals line in {output}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(5)
        .map(|s| s.parse().expect("number"))
        .collect();
    numbers.try_into().expect("five numbers")
}

#[test]
fn ingest_killed_midway_loses_nothing_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let statements = dir.path().join("statements");
    // Three batches in all, with the bundled corpus: the kill comes while
    // the first is reported, before the last is read.
    let total = 3 * accord_cli::pipeline::BATCH_FILES;
    let bundled = std::fs::read_dir(corpus()).unwrap().count();
    write_statements(&statements, "s", total - bundled);
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, statements.join(path.file_name().unwrap())).unwrap();
    }

    // What an uninterrupted ingest of the same files stores.
    let reference_db = dir.path().join("reference.db");
    let out = accord(
        &reference_db,
        &["ingest", "--quiet", statements.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(totals(&stdout(&out)), [total, total, 0, 0, 0]);
    let reference = export(&reference_db);
    let reference_commitments = commitments_by_document(&reference);

    // The same ingest, killed once it has reported 100 files as added.
    let db = dir.path().join("ledger.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("--db")
        .arg(&db)
        .args(["ingest", statements.to_str().unwrap()])
        .env_remove("ACCORD_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("accord runs");
    let mut reported: Vec<(String, usize)> = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while reported.len() < 100 {
        let line = lines
            .next()
            .expect("ingest ended before 100 files")
            .expect("stdout line");
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"added") {
            let n = words[words.len() - 2].parse().expect("commitment count");
            reported.push((words[1].to_string(), n));
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("killed");
    drop(lines);

    // The ledger opens and holds whole documents only.
    let crashed = export(&db);
    let documents = crashed["documents"].as_array().unwrap();
    let stored = commitments_by_document(&crashed);
    assert!(
        documents.len() >= reported.len() && documents.len() < total,
        "{} documents stored after a kill after {} of {total}",
        documents.len(),
        reported.len()
    );
    let id_of: HashMap<&str, &str> = documents
        .iter()
        .map(|d| {
            (
                d["source_file"].as_str().unwrap(),
                d["id"].as_str().unwrap(),
            )
        })
        .collect();
    for (name, n) in &reported {
        let id = id_of
            .get(name.as_str())
            .unwrap_or_else(|| panic!("{name} was reported added but is not stored"));
        let found = stored.get(*id).map_or(0, Vec::len);
        assert_eq!(
            found, *n,
            "{name}: reported {n} commitments, stored {found}"
        );
    }
    for d in documents {
        let id = d["id"].as_str().unwrap();
        let text = |list: Option<&Vec<Value>>| -> Vec<(String, String)> {
            list.map(|l| {
                l.iter()
                    .map(|c| (c["id"].to_string(), c["text"].to_string()))
                    .collect()
            })
            .unwrap_or_default()
        };
        assert_eq!(
            text(stored.get(id)),
            text(reference_commitments.get(id)),
            "document {} is not whole after the kill",
            d["source_file"]
        );
    }

    // The server opens it and indexes it.
    let server = Server::start(&db);
    let (status, body) = get(&server.address, "/api/v1/summits");
    assert_eq!(status, 200, "{body}");
    assert!(
        server
            .first_line
            .contains(&format!("of {} documents", documents.len())),
        "{}",
        server.first_line
    );
    let server_errors = server.stop();
    assert!(!server_errors.contains("error"), "{server_errors}");

    // Ingesting again stores the rest, and the ledger is the one an
    // uninterrupted ingest makes.
    let out = accord(&db, &["ingest", "--quiet", statements.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let [files, added, replaced, unchanged, failed] = totals(&stdout(&out));
    assert_eq!((files, replaced, failed), (total, 0, 0));
    assert_eq!(unchanged, documents.len());
    assert_eq!(added + unchanged, total);
    assert_eq!(export(&db), reference);
}

/// `accord serve` on a free loopback port, its output drained by threads.
struct Server {
    child: Child,
    address: String,
    first_line: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the server on `db` and waits for its address line.
    fn start(db: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env_remove("ACCORD_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("accord serve runs");
        let errors = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = errors.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = err.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first_line = String::new();
        out.read_line(&mut first_line).expect("serve prints");
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let address = first_line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| {
                panic!(
                    "no address in {first_line:?}; stderr: {}",
                    errors.lock().unwrap()
                )
            })
            .to_string();
        Server {
            child,
            address,
            first_line,
            stderr: errors,
        }
    }

    /// Stops the server and returns what it wrote to standard error.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(50));
        let errors = self.stderr.lock().unwrap().clone();
        errors
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.0 GET: status and body (`0` and the error when the
/// request itself fails).
fn get(address: &str, path: &str) -> (u16, String) {
    let attempt = || -> std::io::Result<(u16, String)> {
        let mut stream = std::net::TcpStream::connect(address)?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n")?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response)?;
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        Ok((status, body))
    };
    attempt().unwrap_or_else(|e| (0, e.to_string()))
}

/// The number of commitments the server shows.
fn served_commitments(address: &str) -> u64 {
    let (status, body) = get(address, "/api/v1/commitments?limit=1");
    assert_eq!(status, 200, "{body}");
    let page: Value = serde_json::from_str(&body).expect("JSON page");
    page["total"].as_u64().expect("total")
}

/// Serves `db` while ingesting a folder of many files into it, with reader
/// threads requesting the API and the search page all along.
fn serve_while_ingesting(db: &Path) {
    let out = accord(db, &["ingest", "--quiet", corpus().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    write_statements(dir.path(), "c", 150);

    let server = Server::start(db);
    let before = served_commitments(&server.address);
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let paths = [
        "/api/v1/commitments?limit=20",
        "/api/v1/search?q=climate",
        "/search?q=energy",
        "/api/v1/commitments?offset=40&limit=20",
    ];
    let readers: Vec<_> = (0..4)
        .map(|k| {
            let (stop, requests, failures) = (stop.clone(), requests.clone(), failures.clone());
            let address = server.address.clone();
            std::thread::spawn(move || {
                let mut i = k;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[i % paths.len()];
                    let (status, body) = get(&address, path);
                    if status != 200 {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{path}: {status} {body}"));
                    }
                    requests.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        })
        .collect();

    let at_start = requests.load(Ordering::Relaxed);
    let out = accord(db, &["ingest", "--quiet", dir.path().to_str().unwrap()]);
    let during = requests.load(Ordering::Relaxed) - at_start;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(totals(&stdout(&out)), [150, 150, 0, 0, 0]);
    assert!(!stderr(&out).contains("locked"), "{}", stderr(&out));

    // The server shows the new commitments within a few seconds.
    let expected = export(db)["commitments"].as_array().unwrap().len() as u64;
    assert!(expected > before);
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut shown = served_commitments(&server.address);
    while shown != expected && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        shown = served_commitments(&server.address);
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().expect("reader thread");
    }
    let server_errors = server.stop();
    assert_eq!(
        shown, expected,
        "the server still shows {shown} commitments"
    );
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed requests: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(during >= 8, "only {during} requests while ingesting");
    assert!(
        !server_errors.contains("locked") && !server_errors.contains("warning"),
        "{server_errors}"
    );
}

#[test]
fn serve_answers_while_ingesting_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    serve_while_ingesting(&dir.path().join("ledger.db"));
}

#[test]
fn serve_answers_while_ingesting_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let scratch = runtime
        .block_on(accord_store::scratch::Scratch::new(
            accord_store::Backend::Postgres,
        ))
        .expect("a scratch PostgreSQL database");
    serve_while_ingesting(Path::new(&scratch.location));
    runtime.block_on(scratch.finish());
}

/// Starts `accord --db DB ingest --quiet DIR`.
fn spawn_ingest(db: &Path, dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("--db")
        .arg(db)
        .args(["ingest", "--quiet"])
        .arg(dir)
        .env_remove("ACCORD_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("accord runs")
}

#[test]
fn two_ingests_at_once_on_one_sqlite_file_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    write_statements(&first, "a", 80);
    write_statements(&second, "b", 80);
    // An existing ledger (two processes creating a new one at once is
    // another matter: both would apply the schema).
    let db = dir.path().join("ledger.db");
    let out = accord(&db, &["ingest", "--quiet", corpus().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Different files: each process adds its own.
    let (a, b) = (spawn_ingest(&db, &first), spawn_ingest(&db, &second));
    for (name, child) in [("first", a), ("second", b)] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{name}: {}", stderr(&out));
        assert_eq!(totals(&stdout(&out)), [80, 80, 0, 0, 0], "{name}");
    }
    let ledger = export(&db);
    assert_eq!(ledger["documents"].as_array().unwrap().len(), 165);

    // The same files twice at once: each is stored once, by one of them.
    let both = dir.path().join("both");
    write_statements(&both, "d", 80);
    let (a, b) = (spawn_ingest(&db, &both), spawn_ingest(&db, &both));
    let mut added = 0;
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{}", stderr(&out));
        let [files, new, replaced, unchanged, failed] = totals(&stdout(&out));
        assert_eq!((files, replaced, failed, new + unchanged), (80, 0, 0, 80));
        added += new;
    }
    assert_eq!(added, 80);
    let ledger = export(&db);
    assert_eq!(ledger["documents"].as_array().unwrap().len(), 245);

    // Every document whole: the commitments of the same files ingested
    // one folder after the other.
    let reference_db = dir.path().join("reference.db");
    for folder in [corpus(), first, second, both] {
        let out = accord(
            &reference_db,
            &["ingest", "--quiet", folder.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let texts = |ledger: &Value| -> BTreeMap<String, Vec<String>> {
        commitments_by_document(ledger)
            .into_iter()
            .map(|(id, list)| (id, list.iter().map(|c| c["text"].to_string()).collect()))
            .collect()
    };
    assert_eq!(texts(&ledger), texts(&export(&reference_db)));
}

/// Two processes that create the same new ledger at once: both apply (or
/// find applied) the schema, and both ingests succeed.
#[test]
fn two_ingests_at_once_on_a_new_sqlite_file_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    write_statements(&first, "a", 20);
    write_statements(&second, "b", 20);
    let db = dir.path().join("new.db");
    for child in [spawn_ingest(&db, &first), spawn_ingest(&db, &second)] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(export(&db)["documents"].as_array().unwrap().len(), 40);
}
