//! Bytes to text: gzip, UTF-8, UTF-16 with a byte-order mark, then
//! Windows-1252. Refuses empty, binary and oversized input.

use crate::{Error, Result};
use std::io::Read;

/// Decodes the bytes of the file `name`. A name ending in `.gz` (or bytes
/// starting with the gzip magic) is decompressed first, within `max_bytes`.
pub fn decode(name: &str, bytes: &[u8], max_bytes: u64) -> Result<String> {
    if bytes.len() as u64 > max_bytes {
        return Err(Error::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    if name.ends_with(".gz") || bytes.starts_with(&[0x1f, 0x8b]) {
        let out = read_within(flate2::read::MultiGzDecoder::new(bytes), max_bytes, 0)
            .map_err(|e| Error::Gzip(e.to_string()))?
            .ok_or(Error::TooLong {
                what: crate::Unsized::Decompressed,
                limit: max_bytes,
            })?;
        return decode_text(&out);
    }
    decode_text(bytes)
}

/// Reads `reader` to its end if it holds at most `max_bytes` (`None` if it
/// holds more: only one byte more is read), starting with room for
/// `capacity` bytes. A stream, a device or a decompressed file has no size
/// to check before reading.
pub fn read_within(
    reader: impl Read,
    max_bytes: u64,
    capacity: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(max_bytes + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max_bytes).then_some(bytes))
}

/// Decodes uncompressed bytes.
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let text = if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors && encoding != encoding_rs::UTF_8 {
            return Err(Error::Binary(format!("invalid {} data", encoding.name())));
        }
        text.into_owned()
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_string()
    } else {
        if let Some(reason) = binary_reason(bytes) {
            return Err(Error::Binary(reason));
        }
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        text.into_owned()
    };
    if let Some(reason) = binary_reason(text.as_bytes()) {
        return Err(Error::Binary(reason));
    }
    if text.trim().is_empty() {
        return Err(Error::Empty);
    }
    Ok(text)
}

/// Why bytes look binary: NUL bytes, or many control characters.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if let Some(at) = memchr::memchr(0, sample) {
        return Some(format!("NUL byte at offset {at}"));
    }
    // Counted in bytes, 255 at a time: a loop the compiler vectorises.
    let controls: usize = sample
        .chunks(255)
        .map(|chunk| {
            chunk.iter().fold(0u8, |n, &b| {
                n + u8::from(b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
            })
        })
        .map(usize::from)
        .sum();
    if controls * 20 > sample.len() {
        return Some(format!(
            "{controls} control bytes in the first {} bytes",
            sample.len()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_common_encodings() {
        assert_eq!(decode_text("café".as_bytes()).unwrap(), "café");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("café".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16).unwrap(), "café");
        assert_eq!(decode_text(b"caf\xe9 \x93q\x94").unwrap(), "café “q”");
    }

    #[test]
    fn refuses_empty_binary_and_huge() {
        assert!(matches!(decode_text(b""), Err(Error::Empty)));
        assert!(matches!(decode_text(b" \n\t "), Err(Error::Empty)));
        assert!(matches!(
            decode_text(b"\x7fELF\x02\x01\x00\x00"),
            Err(Error::Binary(_))
        ));
        assert!(matches!(
            decode("a.txt", &[b'a'; 100], 10),
            Err(Error::TooLarge {
                size: 100,
                limit: 10
            })
        ));
        let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut bomb, &[b'a'; 100_000]).unwrap();
        let bomb = bomb.finish().unwrap();
        let refused = decode("a.md.gz", &bomb, 1_000).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "decompressed, the file holds more than 1000 bytes, the limit"
        );
    }

    /// More than one control byte in twenty is binary, one in twenty is
    /// not, wherever they fall (across the counter's chunks of 255 bytes);
    /// line breaks, tabs and form feeds are not control bytes here.
    #[test]
    fn one_control_byte_in_twenty_is_the_limit() {
        for n in [50, 51] {
            for stride in [1, 7, 19] {
                let mut text = vec![b'a'; 1000];
                for i in 0..n {
                    text[(200 + i * stride) % 1000] = 0x1b;
                }
                text[999] = b'\n';
                text[100] = b'\t';
                text[101] = 0x0c;
                let binary = matches!(decode_text(&text), Err(Error::Binary(_)));
                assert_eq!(binary, n == 51, "{n} control bytes, stride {stride}");
            }
        }
    }
}
