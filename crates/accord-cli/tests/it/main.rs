//! End-to-end tests of the `accord` binary: real files, real SQLite and
//! PostgreSQL databases, the real process; and of the batches its library
//! stores (`batch`).

mod bad_input;
mod batch;
mod compliance;
mod ledger;
mod robustness;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The bundled corpus.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/nals")
}

/// Runs `accord --db DB ARGS…`.
pub fn accord(db: &Path, args: &[&str]) -> Output {
    accord_with_stdin(db, args, None)
}

/// Runs `accord --db DB ARGS…` with `stdin` as standard input.
pub fn accord_with_stdin(db: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ACCORD_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("accord runs");
    if let Some(bytes) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(bytes)
            .expect("write stdin");
    }
    child.wait_with_output().expect("accord finishes")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The ledger as JSON.
pub fn export(db: &Path) -> serde_json::Value {
    let out = accord(db, &["export", "--format", "json"]);
    assert!(out.status.success(), "export failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("export is JSON")
}
