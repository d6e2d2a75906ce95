//! The `accord-export/1` JSON shape of a ledger, built from stored rows.
//! One place, used by the CLI's `export` and the web API's export.
//!
//! The shape is one JSON object whose keys are in order (`commitments`,
//! `documents`, `follows_up`, `format`, `same_commitment`).
//! [`Store::write_export`] writes it pretty-printed row by row as it reads
//! the ledger, in memory that does not grow with the ledger;
//! [`write_ledger`] writes it from rows already in memory (the web
//! server's); [`ledger_json`] builds it whole. All spell each row with the
//! same functions, and [`Writer`] prints as `serde_json` does, so they
//! agree to the byte.

use crate::{DocumentRow, Pair, Result, Store};
use accord_model::Commitment;
use futures_util::{Stream, TryStreamExt as _};
use serde_json::{json, Value};
use std::io::Write;

/// The format's name, the value of its `format` key.
pub const FORMAT: &str = "accord-export/1";

/// The whole ledger as `accord-export/1` (see README: the contract of
/// PRODUCT.md with more fields).
pub fn ledger_json(
    documents: &[DocumentRow],
    commitments: &[Commitment],
    same: &[Pair],
    follows: &[Pair],
) -> Value {
    json!({
        "format": FORMAT,
        "documents": documents.iter().map(document_json).collect::<Vec<_>>(),
        "commitments": commitments.iter().map(commitment_json).collect::<Vec<_>>(),
        "same_commitment": same.iter().map(same_json).collect::<Vec<_>>(),
        "follows_up": follows.iter().map(follow_json).collect::<Vec<_>>(),
    })
}

/// Writes rows already in memory as `accord-export/1`, pretty-printed
/// (as [`Store::write_export`] writes) or compact (as
/// `serde_json::to_writer` writes [`ledger_json`]), one row at a time.
pub fn write_ledger(
    out: &mut dyn Write,
    pretty: bool,
    documents: &[DocumentRow],
    commitments: &[Commitment],
    same: &[Pair],
    follows: &[Pair],
) -> Result<()> {
    let mut json = Writer::new(out, pretty)?;
    json.array("commitments")?;
    for c in commitments {
        json.item(&commitment_json(c))?;
    }
    json.array("documents")?;
    for d in documents {
        json.item(&document_json(d))?;
    }
    json.array("follows_up")?;
    for p in follows {
        json.item(&follow_json(p))?;
    }
    json.field("format", &json!(FORMAT))?;
    json.array("same_commitment")?;
    for p in same {
        json.item(&same_json(p))?;
    }
    json.finish()
}

/// A document as the export spells it.
pub fn document_json(d: &DocumentRow) -> Value {
    json!({
        "id": d.id,
        "source_file": d.source_file,
        "title": d.title,
        "issuer": d.issuer,
        "summit": d.summit,
        "date": d.date,
        "language": d.language,
        "kind": d.kind,
        "format": d.format,
        "source_url": d.source_url,
        "content_hash": d.content_hash,
    })
}

/// A commitment as the export spells it.
pub fn commitment_json(c: &Commitment) -> Value {
    json!({
        "id": c.id,
        "document_id": c.document_id,
        "text": c.text,
        "span": {"start": c.span.start, "end": c.span.end},
        "section": c.section,
        "actors": c.actors,
        "strength": c.strength,
        "theme": c.theme,
        "targets": c.targets,
        "deadline": c.deadline,
        "initiatives": c.initiatives,
        "confidence": c.confidence,
    })
}

/// A `same_commitment` pair as the export spells it.
pub fn same_json(p: &Pair) -> Value {
    json!({"a": p.a, "b": p.b, "score": p.score})
}

/// A `follows_up` pair as the export spells it.
pub fn follow_json(p: &Pair) -> Value {
    json!({"later": p.a, "earlier": p.b, "score": p.score, "kind": p.kind})
}

impl Store {
    /// Writes the whole ledger to `out` as `accord-export/1`, exactly as
    /// `serde_json::to_writer_pretty` writes [`ledger_json`] followed by a
    /// line end, but reading and writing one row at a time
    /// ([`Store::commitments_by_document`], then the documents and the
    /// pairs as the database returns them): it holds one document's
    /// commitments at a time, whatever the size of the ledger.
    pub async fn write_export(&self, out: &mut dyn Write) -> Result<()> {
        let mut json = Writer::new(out, true)?;
        json.array("commitments")?;
        let mut documents = std::pin::pin!(self.commitments_by_document());
        while let Some((_, commitments)) = documents.try_next().await? {
            for c in &commitments {
                json.item(&commitment_json(c))?;
            }
        }
        json.array("documents")?;
        write_all(&mut json, self.document_stream(), document_json).await?;
        json.array("follows_up")?;
        write_all(&mut json, self.follows_up_stream(), follow_json).await?;
        json.field("format", &json!(FORMAT))?;
        json.array("same_commitment")?;
        write_all(&mut json, self.same_commitment_stream(), same_json).await?;
        json.finish()
    }
}

/// Writes each row of `rows`, spelled by `spell`, into the open array.
async fn write_all<T>(
    json: &mut Writer<'_>,
    rows: impl Stream<Item = Result<T>>,
    spell: fn(&T) -> Value,
) -> Result<()> {
    let mut rows = std::pin::pin!(rows);
    while let Some(row) = rows.try_next().await? {
        json.item(&spell(&row))?;
    }
    Ok(())
}

/// Writes one JSON object key by key, its arrays item by item, byte for
/// byte as `serde_json` writes the whole object: pretty (two spaces per
/// level, an empty array as `[]`, a line end after the object) or compact.
/// The caller gives the keys in sorted order, as a `serde_json::Value`
/// keeps them.
pub struct Writer<'a> {
    out: &'a mut dyn Write,
    pretty: bool,
    /// Keys written so far.
    keys: usize,
    /// Items written into the open array, if one is open.
    items: Option<usize>,
    /// One item, printed before it is indented.
    buffer: Vec<u8>,
}

impl<'a> Writer<'a> {
    /// Starts the object.
    pub fn new(out: &'a mut dyn Write, pretty: bool) -> Result<Writer<'a>> {
        out.write_all(b"{")?;
        Ok(Writer {
            out,
            pretty,
            keys: 0,
            items: None,
            buffer: Vec::new(),
        })
    }

    /// Closes the open array, if any, and starts the next key.
    fn key(&mut self, name: &str) -> Result<()> {
        self.close_array()?;
        let separator: &[u8] = match (self.pretty, self.keys) {
            (true, 0) => b"\n  ",
            (true, _) => b",\n  ",
            (false, 0) => b"",
            (false, _) => b",",
        };
        self.out.write_all(separator)?;
        serde_json::to_writer(&mut *self.out, name)?;
        self.out.write_all(if self.pretty { b": " } else { b":" })?;
        self.keys += 1;
        Ok(())
    }

    /// A key whose value is written at once.
    pub fn field(&mut self, name: &str, value: &Value) -> Result<()> {
        self.key(name)?;
        self.print(value, 2)
    }

    /// A key whose value is an array, its items to follow.
    pub fn array(&mut self, name: &str) -> Result<()> {
        self.key(name)?;
        self.out.write_all(b"[")?;
        self.items = Some(0);
        Ok(())
    }

    /// One item of the open array.
    ///
    /// # Panics
    /// When no array is open.
    pub fn item(&mut self, value: &Value) -> Result<()> {
        let n = self.items.as_mut().expect("an array is open");
        let separator: &[u8] = match (self.pretty, *n) {
            (true, 0) => b"\n    ",
            (true, _) => b",\n    ",
            (false, 0) => b"",
            (false, _) => b",",
        };
        *n += 1;
        self.out.write_all(separator)?;
        self.print(value, 4)
    }

    /// Prints `value`; pretty, each of its lines after the first indented
    /// by `indent` spaces. (Strings are printed with their line ends
    /// escaped: every line end printed is between values.)
    fn print(&mut self, value: &Value, indent: usize) -> Result<()> {
        if !self.pretty {
            serde_json::to_writer(&mut *self.out, value)?;
            return Ok(());
        }
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, value)?;
        for (i, line) in self.buffer.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
                self.out.write_all(&b"        "[..indent])?;
            }
            self.out.write_all(line)?;
        }
        Ok(())
    }

    fn close_array(&mut self) -> Result<()> {
        match self.items.take() {
            Some(n) if n > 0 && self.pretty => self.out.write_all(b"\n  ]")?,
            Some(_) => self.out.write_all(b"]")?,
            None => {}
        }
        Ok(())
    }

    /// Closes the object (pretty: and ends the line).
    pub fn finish(mut self) -> Result<()> {
        self.close_array()?;
        let end: &[u8] = match (self.pretty, self.keys) {
            (false, _) => b"}",
            (true, 0) => b"}\n",
            (true, _) => b"\n}\n",
        };
        self.out.write_all(end)?;
        Ok(())
    }
}
