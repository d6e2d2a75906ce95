//! A reader of the front matter most Markdown statements carry: one
//! `key: value` per line, each value plain (`tags: statements-releases`),
//! single-quoted (`date: '2024-10-10'`) or double-quoted, perhaps over
//! several lines with escapes (`title: "A\_title\` …). It gives the fields
//! [`super::split`] gives from the YAML parser, and gives up (`None`) on
//! anything else, which then goes to the parser: comments, blank lines,
//! nested or flow collections, block scalars, tags, anchors, tabs, keys or
//! plain values that YAML would read as something other than a string,
//! characters YAML does not allow, duplicate keys.

use std::collections::BTreeMap;

/// The fields of `yaml` (the front matter between its `---` lines), when
/// it is all in the subset this reader knows.
pub(crate) fn fields(yaml: &str) -> Option<BTreeMap<String, String>> {
    if !yaml.chars().all(is_allowed) {
        return None;
    }
    let mut fields = BTreeMap::new();
    let mut rest = yaml;
    while !rest.is_empty() {
        let (key, after_key) = key(rest)?;
        let (value, after_value) = match after_key.as_bytes().first()? {
            b'"' => double_quoted(&after_key[1..])?,
            b'\'' => single_quoted(&after_key[1..])?,
            _ => plain(after_key)?,
        };
        if fields
            .insert(key.to_string(), value.replace('\u{a0}', " "))
            .is_some()
        {
            return None;
        }
        rest = after_value;
    }
    (!fields.is_empty()).then_some(fields)
}

/// Characters YAML allows in a document, less those this reader leaves to
/// the parser: tabs, carriage returns, the byte order mark, and the line
/// breaks YAML knows beyond `\n` (U+0085, U+2028, U+2029).
fn is_allowed(c: char) -> bool {
    matches!(c,
        '\n'
        | ' '..='~'
        | '\u{a0}'..='\u{2027}'
        | '\u{202a}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fefe}'
        | '\u{ff00}'..='\u{fffd}'
        | '\u{10000}'..)
}

/// A key at the start of a line (`[A-Za-z_][A-Za-z0-9_]*` that YAML reads
/// as a string), its colon and the spaces after: the key and the rest,
/// from the value on.
fn key(text: &str) -> Option<(&str, &str)> {
    let end = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))?;
    let key = &text[..end];
    if !key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') || is_null_or_boolean(key) {
        return None;
    }
    let rest = text[end..].strip_prefix(": ")?;
    Some((key, rest.trim_start_matches(' ')))
}

/// Whether YAML reads the plain scalar `word` as null or a boolean.
fn is_null_or_boolean(word: &str) -> bool {
    matches!(
        word,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// The rest of the text after a value: spaces, then the line break (or
/// the end). `None` when anything else follows on the line.
fn end_of_line(text: &str) -> Option<&str> {
    let text = text.trim_start_matches(' ');
    if text.is_empty() {
        return Some(text);
    }
    text.strip_prefix('\n')
}

/// A plain value, on one line, that YAML reads as a string: it starts with
/// a letter and is no null or boolean, or it starts with a digit and holds
/// a character no number has. Its value and the text after its
/// line.
fn plain(text: &str) -> Option<(String, &str)> {
    let (line, rest) = text.split_once('\n').unwrap_or((text, ""));
    let value = line.trim_end_matches(' ');
    let first = *value.as_bytes().first()?;
    let string = if first.is_ascii_alphabetic() {
        // No number starts with a letter but the infinities and NaN, which
        // YAML keeps as strings.
        !is_null_or_boolean(value)
    } else if first.is_ascii_digit() {
        value
            .bytes()
            .any(|b| !(b.is_ascii_hexdigit() || b"xXoObB._+-".contains(&b)))
    } else {
        false
    };
    // ": " would open a mapping and " #" a comment; an indented line
    // after it would go on with the value.
    if !string
        || value.contains(": ")
        || value.ends_with(':')
        || value.contains(" #")
        || rest.starts_with(' ')
    {
        return None;
    }
    Some((value.to_string(), rest))
}

/// A single-quoted value on one line (after its opening quote): its value
/// (`''` is a quote) and the text after its line.
fn single_quoted(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut rest = text;
    loop {
        let at = rest.find(['\'', '\n'])?;
        if rest.as_bytes()[at] == b'\n' {
            return None;
        }
        value.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                value.push('\'');
                rest = after;
            }
            None => return Some((value, end_of_line(rest)?)),
        }
    }
}

/// A double-quoted value (after its opening quote), perhaps over several
/// lines, each line after the first indented: its value, with escapes
/// and line breaks read as YAML reads them, and the text after its last
/// line.
fn double_quoted(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut rest = text;
    loop {
        let at = rest.find(['"', '\\', '\n'])?;
        let (run, mark) = (&rest[..at], rest.as_bytes()[at]);
        rest = &rest[at + 1..];
        match mark {
            b'"' => {
                value.push_str(run);
                return Some((value, end_of_line(rest)?));
            }
            b'\\' => {
                value.push_str(run);
                let c = rest.chars().next()?;
                rest = &rest[c.len_utf8()..];
                if c == '\n' {
                    // An escaped line break: the lines join with nothing
                    // but a line break for each empty line between.
                    let empty;
                    (empty, rest) = continuation(rest)?;
                    value.extend(std::iter::repeat_n('\n', empty));
                } else {
                    value.push(escaped(c, &mut rest)?);
                }
            }
            _ => {
                // A line break: the spaces around it go; it is a space,
                // or, with empty lines after it, a line break for each.
                value.push_str(run.trim_end_matches(' '));
                let empty;
                (empty, rest) = continuation(rest)?;
                if empty == 0 {
                    value.push(' ');
                }
                value.extend(std::iter::repeat_n('\n', empty));
            }
        }
    }
}

/// The lines that go on with a quoted value after a line break: the
/// number of empty lines (or lines of spaces), and the text from the
/// first character of the next line after its indentation. Only an
/// indented line may go on with the value here.
fn continuation(mut text: &str) -> Option<(usize, &str)> {
    let mut empty = 0;
    loop {
        let trimmed = text.trim_start_matches(' ');
        match trimmed.strip_prefix('\n') {
            Some(after) => {
                empty += 1;
                text = after;
            }
            None => return (trimmed.len() < text.len()).then_some((empty, trimmed)),
        }
    }
}

/// The character an escape stands for: `c` is the character after the
/// backslash, `rest` the text after `c`, moved past the digits of a
/// `\x`, `\u` or `\U` escape.
fn escaped(c: char, rest: &mut &str) -> Option<char> {
    let digits = match c {
        '0' => return Some('\0'),
        'a' => return Some('\u{7}'),
        'b' => return Some('\u{8}'),
        't' => return Some('\t'),
        'n' => return Some('\n'),
        'v' => return Some('\u{b}'),
        'f' => return Some('\u{c}'),
        'r' => return Some('\r'),
        'e' => return Some('\u{1b}'),
        ' ' | '"' | '/' | '\\' => return Some(c),
        'N' => return Some('\u{85}'),
        '_' => return Some('\u{a0}'),
        'L' => return Some('\u{2028}'),
        'P' => return Some('\u{2029}'),
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = rest.get(..digits)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    *rest = &rest[digits..];
    char::from_u32(u32::from_str_radix(hex, 16).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Headers as statements carry them: this reader reads each, as the
    /// parser does.
    #[test]
    fn reads_the_headers_statements_carry_as_the_parser_does() {
        let headers = [
            "date: '2024-10-10'\nmodified_time: 2024-10-10 17:11:52-04:00\npublished_time: 2024-10-10 17:11:51-04:00\nsource_url: https://www.whitehouse.gov/briefing-room/statements-releases/2024/10/10/statement/\ntags: statements-releases\ntitle: \"Statement from Vice President Kamala\\_Harris on the Passing of Former U.S.\\\n  \\ Senator Tim\\_Johnson\"\n",
            "title: \"Readout of President\\_Biden\\u2019s Call with Prime Minister Trudeau\\\n  \\ of\\_Canada\"\ndate: '2022-03-01'\n",
            "title: \"A long title that the writer folded\n  over two lines\"\n",
            "title: \"Paragraphs\n\n  apart\"\nsummit: North American Leaders' Summit 2023\n",
            "title: 'It''s a title'\nlanguage: en\nissuer: CA\n",
            "title: \"Trailing space   \n   folded\"\n",
        ];
        for header in headers {
            let fields = fields(header);
            assert!(fields.is_some(), "not read: {header:?}");
            assert_eq!(fields, crate::frontmatter::parsed(header), "{header:?}");
        }
    }

    /// What this reader leaves to the parser.
    #[test]
    fn leaves_other_yaml_to_the_parser() {
        for yaml in [
            "tags: [a, b]\n",
            "tags:\n- a\n- b\n",
            "# a comment\ntitle: x\n",
            "title: x\n\ndate: y\n",
            "count: 12\n",
            "draft: true\n",
            "title: null\n",
            "title: ~\n",
            "title: >\n  folded\n",
            "title: x # comment\n",
            "title: a: b\n",
            "title: x\ntitle: y\n",
            "title: plain\n  continued\n",
            "title: \"\\q\"\n",
            "title: \"open\n",
            "title:\tx\n",
            "title: x\r\n",
            "true: x\n",
            "",
        ] {
            assert_eq!(fields(yaml), None, "{yaml:?}");
        }
    }

    fn value() -> impl Strategy<Value = String> {
        let double_piece = prop_oneof![
            "[A-Za-z .,:#'-]{0,8}",
            prop::sample::select(vec![
                "\\_",
                "\\u2019",
                "\\x41",
                "\\ ",
                "\\\"",
                "\\\\",
                "\\/",
                "\\n",
                "\\t",
                "\\N",
                "\\L",
                "\\e",
                "\\0",
                "\\q",
                "\\u12",
                "\\ud800",
                "\\U0001F600",
                "\\x4g",
            ])
            .prop_map(String::from),
            prop::sample::select(vec![
                "\n  ",
                "\\\n  ",
                "\n\n  ",
                "   \n   ",
                "\n",
                "\n\n\n    ",
                "\\\n",
                "\n  \n  ",
                "\n \n\n ",
                "\\\n\n  ",
            ])
            .prop_map(String::from),
        ];
        let ending = prop_oneof![
            8 => Just(""),
            1 => prop::sample::select(vec![" ", "  # c", " x", "\n  more"]),
        ];
        prop_oneof![
            3 => "[A-Za-z][A-Za-z0-9 ./_'-]{0,12}",
            1 => "[A-Za-z0-9 :#./_'\"+-]{0,16}",
            1 => prop::sample::select(vec![
                "nope", "Null", "inf", ".5", "1e3", "0x1F", "0o17", "12", "007", "-3", "+4",
                "2024-10-10", "2024-10-10 17:11:52-04:00", "1_000", "yes", "No", "True", "~",
                "NaN", "nan", "Infinity", "inf", "null", "FALSE", "e5", "E",
                "https://example.org/a", "12 Main Street", "3rd", "1.2.3", "0b101",
            ])
            .prop_map(String::from),
            2 => ("[A-Za-z :#'\"\\\\]{0,10}", prop::bool::ANY, ending.clone())
                .prop_map(|(s, double, end)| {
                    let s = if double { s.replace('\'', "''") } else { s };
                    format!("'{s}'{end}")
                }),
            4 => (prop::collection::vec(double_piece, 0..6), ending)
                .prop_map(|(pieces, end)| format!("\"{}\"{end}", pieces.concat())),
            1 => "[ -~\n]{0,12}",
        ]
    }

    fn header() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            8 => prop::sample::select(vec!["title", "date", "tags", "source_url", "_x", "a1"]),
            1 => prop::sample::select(vec!["true", "null", "x", "1a", "", "a-b"]),
        ];
        let colon = prop_oneof![
            8 => Just(": "),
            1 => prop::sample::select(vec![":  ", ":", " : "]),
        ];
        prop::collection::vec((key, colon, value()), 1..5).prop_map(|lines| {
            lines
                .into_iter()
                .map(|(key, colon, value)| format!("{key}{colon}{value}\n"))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whenever this reader answers, the parser answers the same.
        #[test]
        fn answers_as_the_parser_does_or_not_at_all(yaml in header()) {
            if let Some(fields) = fields(&yaml) {
                prop_assert_eq!(Some(fields), crate::frontmatter::parsed(&yaml), "{:?}", yaml);
            }
        }
    }
}
