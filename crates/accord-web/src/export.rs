//! Exports: the whole ledger as `accord-export/1` JSON, and commitments
//! (a search's hits, or the ledger) as CSV.
//!
//! The ledger's exports are written into the response body as the client
//! reads it ([`streamed`]): the server holds a few chunks of an export at
//! a time, not a copy of the ledger in another shape.

use crate::error::{with_content_type, Error, Result};
use crate::state::Ledger;
use crate::views::CommitmentOut;
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use std::borrow::Borrow;
use std::io::{self, Write};
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

/// The ledger in the shape of `accord export --format json` (compact).
/// `place`, the request's place among those in progress, is held until
/// the body is sent.
pub fn ledger_json(ledger: Arc<Ledger>, place: Option<OwnedSemaphorePermit>) -> Response {
    streamed("application/json", None, place, move |out| {
        accord_store::export::write_ledger(
            out,
            false,
            &ledger.documents,
            &ledger.commitments,
            &ledger.same,
            &ledger.follows,
        )
        .map_err(io::Error::other)
    })
}

/// Every commitment of the ledger as CSV, one row each, served as the
/// download `accord-ledger.csv`; `place` as for [`ledger_json`].
pub fn ledger_csv(ledger: Arc<Ledger>, place: Option<OwnedSemaphorePermit>) -> Response {
    streamed(
        "text/csv; charset=utf-8",
        Some("accord-ledger.csv"),
        place,
        move |out| {
            let rows = ledger
                .commitments
                .iter()
                .map(|c| (CommitmentOut::new(&ledger, c), None));
            write_csv(out, rows, false).map_err(io::Error::other)
        },
    )
}

/// Commitments as CSV, one row each (with a relevance score column when
/// `scores` is given), served as a download named `file_name` (a constant
/// name of plain characters).
pub fn csv_response(
    items: &[CommitmentOut],
    scores: Option<&[f32]>,
    file_name: &'static str,
) -> Result<Response> {
    let mut bytes = Vec::new();
    let rows = items.iter().enumerate().map(|(i, c)| {
        let score = scores.map(|s| s.get(i).copied().unwrap_or(0.0));
        (c, score)
    });
    write_csv(&mut bytes, rows, scores.is_some())
        .map_err(|e| Error::Internal(format!("cannot write CSV: {e}")))?;
    let mut response = with_content_type(bytes, "text/csv; charset=utf-8");
    attachment(&mut response, file_name);
    Ok(response)
}

/// Writes the header and one row per commitment (with its score when
/// `scored`).
fn write_csv<C: Borrow<CommitmentOut>>(
    out: &mut dyn Write,
    rows: impl Iterator<Item = (C, Option<f32>)>,
    scored: bool,
) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut header_row = vec![
        "id",
        "document_id",
        "summit",
        "issuer",
        "date",
        "section",
        "actors",
        "strength",
        "theme",
        "targets",
        "deadline",
        "initiatives",
        "text",
    ];
    if scored {
        header_row.push("score");
    }
    writer.write_record(&header_row)?;
    for (c, score) in rows {
        let c = c.borrow();
        let targets: Vec<&str> = c.targets.iter().map(|t| t.phrase.as_str()).collect();
        let mut row = vec![
            neutralise(&c.id),
            neutralise(&c.document_id),
            neutralise(c.summit.as_deref().unwrap_or("")),
            neutralise(c.issuer.as_deref().unwrap_or("")),
            neutralise(c.date.as_deref().unwrap_or("")),
            neutralise(c.section.as_deref().unwrap_or("")),
            neutralise(&c.actors.join(" ")),
            c.strength.clone(),
            c.theme.clone(),
            neutralise(&targets.join("; ")),
            neutralise(c.deadline.as_deref().unwrap_or("")),
            neutralise(&c.initiatives.join("; ")),
            neutralise(&c.text),
        ];
        if scored {
            row.push(format!("{:.3}", score.unwrap_or(0.0)));
        }
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}

/// Marks `response` as a download named `file_name`.
fn attachment(response: &mut Response, file_name: &str) {
    if let Ok(value) =
        header::HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
}

/// Bytes of a response body in chunks of this size.
const CHUNK: usize = 64 * 1024;

/// Chunks written but not yet sent to the client, at most.
const CHUNKS_AHEAD: usize = 4;

/// A response (of `content_type`, a download when `file_name` is given)
/// whose body `write` writes on a blocking thread, sent a chunk at a time
/// as the client reads it: memory holds a few chunks whatever the size of
/// the body. When the client goes away, `write` sees its next write fail
/// and stops; when `write` fails, the body ends with an error (the client
/// sees the transfer cut short, not a complete file). `place`, the
/// request's place among those in progress ([`crate::limits::InFlight`]),
/// is given up when the body ends or is dropped.
pub fn streamed(
    content_type: &'static str,
    file_name: Option<&'static str>,
    place: Option<OwnedSemaphorePermit>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'static,
) -> Response {
    let (sender, receiver) = mpsc::channel(CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut body = BodyWriter {
            sender,
            buffer: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = write(&mut body).and_then(|()| body.flush()) {
            // Nobody reads when the client went away; the error is for
            // a reader still there.
            let _ = body.sender.blocking_send(Err(e));
        }
    });
    let chunks = futures_util::stream::unfold((receiver, place), |(mut receiver, place)| async {
        receiver
            .recv()
            .await
            .map(|chunk| (chunk, (receiver, place)))
    });
    let mut response = with_content_type(Body::from_stream(chunks), content_type);
    if let Some(name) = file_name {
        attachment(&mut response, name);
    }
    response
}

/// Sends what is written to it to a response body, a chunk at a time.
struct BodyWriter {
    sender: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl BodyWriter {
    fn send(&mut self) -> io::Result<()> {
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        self.sender
            .blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for BodyWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            Ok(())
        } else {
            self.send()
        }
    }
}

/// Ingested text as a spreadsheet's plain text (see
/// [`accord_model::spreadsheet_text`]).
fn neutralise(value: &str) -> String {
    accord_model::spreadsheet_text(value).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;
    use std::time::Duration;

    /// Every byte written, over many chunks, reaches the body in order.
    #[tokio::test]
    async fn a_streamed_body_is_what_was_written() {
        let written: Vec<u8> = (0..300_000_u32).map(|i| (i % 251) as u8).collect();
        let expected = written.clone();
        let response = streamed(
            "application/octet-stream",
            Some("x.bin"),
            None,
            move |out| {
                for piece in written.chunks(1000) {
                    out.write_all(piece)?;
                }
                Ok(())
            },
        );
        assert_eq!(
            response.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"x.bin\""
        );
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body.len(), expected.len());
        assert!(body == expected);
    }

    /// A write that fails cuts the body short with an error, after the
    /// chunks sent before it.
    #[tokio::test]
    async fn a_failed_write_ends_the_body_with_an_error() {
        let response = streamed("text/plain", None, None, |out| {
            out.write_all(&[b'x'; CHUNK + 10])?;
            Err(io::Error::other("the ledger went away"))
        });
        let mut body = response.into_body();
        let mut received = 0;
        let error = loop {
            match body.frame().await {
                Some(Ok(frame)) => received += frame.into_data().map_or(0, |d| d.len()),
                Some(Err(e)) => break e.to_string(),
                None => panic!("the body ended without an error"),
            }
        };
        assert_eq!(received, CHUNK + 10, "the chunk sent before the error came");
        assert!(error.contains("the ledger went away"), "{error}");
    }

    /// When the client goes away, the writer's next writes fail, and it
    /// stops instead of writing the rest of the export.
    #[tokio::test]
    async fn the_writer_stops_when_the_client_goes_away() {
        let (told, told_of) = std::sync::mpsc::channel();
        let response = streamed("text/plain", None, None, move |out| {
            let mut written = 0_usize;
            let result = loop {
                if let Err(e) = out.write_all(&[b'x'; 1024]) {
                    break e;
                }
                written += 1024;
                assert!(written < 1 << 30, "nobody stopped the writer");
            };
            told.send(result.kind()).unwrap();
            Err(result)
        });
        let mut body = response.into_body();
        body.frame().await.unwrap().unwrap();
        drop(body);
        let kind = told_of.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!(kind, io::ErrorKind::BrokenPipe);
    }
}
