//! YAML front matter at the top of Markdown files (`---` … `---`).
//!
//! Most front matter is a flat list of `key: value` lines. Those are read
//! by [`simple`], a reader of that subset of YAML which answers as the
//! YAML parser would or not at all; anything else goes to the parser.

mod simple;

use std::collections::BTreeMap;

/// Splits off the front matter: returns its scalar fields as strings and the
/// byte offset where the body starts. Text without front matter, or with
/// front matter that is not valid YAML, yields no fields and offset 0 (the
/// block is then kept as text, so nothing is silently lost).
pub fn split(text: &str) -> (BTreeMap<String, String>, usize) {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (BTreeMap::new(), 0);
    };
    let header_len = text.len() - rest.len();
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let yaml = &rest[..pos];
            let body_start = header_len + pos + line.len();
            return match simple::fields(yaml).or_else(|| parsed(yaml)) {
                Some(mut fields) => {
                    fields.values_mut().for_each(drop_controls);
                    (fields, body_start)
                }
                None => (BTreeMap::new(), 0),
            };
        }
        pos += line.len();
    }
    (BTreeMap::new(), 0)
}

/// Takes out of a value the control characters other than line breaks and
/// tabs that an escape (`"\0"`, `"\x07"`) may write: they belong in no
/// title or date, and PostgreSQL cannot store a NUL.
fn drop_controls(value: &mut String) {
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        value.retain(|c| !c.is_control() || c == '\n' || c == '\t');
    }
}

/// The parser refuses values nested deeper than this (its recursion
/// limit).
pub(crate) const MAX_NESTING: usize = 128;

/// Whether `yaml` opens flow collections (`[`, `{`) [`MAX_NESTING`] deep
/// or more (counting brackets in quoted text too): inside the mapping that
/// front matter is, more levels than the parser takes. Its scanner is
/// quadratic in that depth (100,000 levels took half a minute) before it
/// refuses them: such text is not given to it.
pub(crate) fn nests_too_deep(yaml: &str) -> bool {
    let mut depth = 0usize;
    for b in yaml.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth >= MAX_NESTING {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The scalar fields of `yaml` as the YAML parser reads them, if it is a
/// mapping.
fn parsed(yaml: &str) -> Option<BTreeMap<String, String>> {
    if nests_too_deep(yaml) {
        return None;
    }
    match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) {
        Ok(serde_yaml_ng::Value::Mapping(map)) => Some(
            map.into_iter()
                .filter_map(|(k, v)| Some((scalar(&k)?, scalar(&v)?)))
                .collect(),
        ),
        _ => None,
    }
}

fn scalar(value: &serde_yaml_ng::Value) -> Option<String> {
    use serde_yaml_ng::Value;
    match value {
        Value::String(s) => Some(s.replace('\u{a0}', " ")),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Sequence(items) => {
            let parts: Vec<String> = items.iter().filter_map(scalar).collect();
            Some(parts.join(", "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_body_offset() {
        let text = "---\ntitle: \"A title\"\ndate: '2021-11-18'\ntags: [a, b]\n---\nBody\n";
        let (fields, start) = split(text);
        assert_eq!(fields["title"], "A title");
        assert_eq!(fields["date"], "2021-11-18");
        assert_eq!(fields["tags"], "a, b");
        assert_eq!(&text[start..], "Body\n");
    }

    /// Escapes may write control characters into a value: they are taken
    /// out, whichever reader read it (the flat one, or the parser for the
    /// list), line breaks and tabs kept.
    #[test]
    fn control_characters_written_by_escapes_are_taken_out() {
        let text = "---\ntitle: \"Joint\\0 Statement\\x07\"\nsummit: 'NALS 2023'\nnote: \"a\\tb\\nc\"\ntags: [\"x\\0y\", z]\n---\nBody\n";
        let (fields, start) = split(text);
        assert_eq!(fields["title"], "Joint Statement");
        assert_eq!(fields["note"], "a\tb\nc");
        assert_eq!(fields["tags"], "xy, z");
        assert_eq!(&text[start..], "Body\n");
        let flat = "---\ntitle: \"Joint\\0 Statement\"\n---\nBody\n";
        assert!(simple::fields(&flat[4..flat.len() - 9]).is_some());
        assert_eq!(split(flat).0["title"], "Joint Statement");
    }

    #[test]
    fn flow_collections_nested_beyond_the_parsers_limit_are_kept_as_text() {
        let nested =
            |depth: usize| format!("title: T\nx: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        // The parser reads the deepest nesting it allows, refuses one
        // level more, and is not asked about the rest.
        let deepest = nested(MAX_NESTING - 1);
        assert!(!nests_too_deep(&deepest));
        assert_eq!(parsed(&deepest).unwrap()["title"], "T");
        let deeper = nested(MAX_NESTING);
        assert!(nests_too_deep(&deeper));
        assert!(serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&deeper).is_err());
        let started = std::time::Instant::now();
        let text = format!("---\n{}---\nBody\n", nested(100_000));
        assert_eq!(split(&text), (BTreeMap::new(), 0));
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn broken_yaml_is_kept_as_text() {
        let (fields, start) = split("---\n: : [\n---\nBody\n");
        assert!(fields.is_empty());
        assert_eq!(start, 0);
    }
}
