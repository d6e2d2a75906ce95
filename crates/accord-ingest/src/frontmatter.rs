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
                Some(fields) => (fields, body_start),
                None => (BTreeMap::new(), 0),
            };
        }
        pos += line.len();
    }
    (BTreeMap::new(), 0)
}

/// The scalar fields of `yaml` as the YAML parser reads them, if it is a
/// mapping.
fn parsed(yaml: &str) -> Option<BTreeMap<String, String>> {
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

    #[test]
    fn broken_yaml_is_kept_as_text() {
        let (fields, start) = split("---\n: : [\n---\nBody\n");
        assert!(fields.is_empty());
        assert_eq!(start, 0);
    }
}
