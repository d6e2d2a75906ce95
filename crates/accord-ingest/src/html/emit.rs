//! Writing the kept lines with their markers, each anchored to where its
//! first word is in the HTML.

use super::{Kind, Line};
use crate::clean::Cleaned;

/// The kept lines, in output order, as [`Cleaned`] text with anchors.
pub(super) fn emit(html: &str, lines: &[Line], kept: &[usize]) -> Cleaned {
    // Locate in document order, so the cursor only moves forward.
    let mut order: Vec<usize> = kept.to_vec();
    order.sort_unstable();
    let mut locator = Locator::new(html);
    let mut position = vec![0; lines.len()];
    for &i in &order {
        position[i] = locator.find(&lines[i].text);
    }
    let mut cleaned = Cleaned::new();
    let mut previous: Option<&Line> = None;
    for &i in kept {
        let line = &lines[i];
        if previous.is_some_and(|p| p.group != line.group || p.kind != line.kind) {
            cleaned.end_block();
        }
        let marker = match line.kind {
            Kind::Heading(level) => format!("{} ", "#".repeat(level as usize)),
            Kind::Item => "- ".to_string(),
            Kind::Para | Kind::Row => String::new(),
        };
        // Anchored so that the first word, after the marker, maps exactly.
        cleaned.push_line(
            &format!("{marker}{}", line.text),
            position[i].saturating_sub(marker.len()),
        );
        previous = Some(line);
    }
    cleaned.end_block();
    cleaned
}

/// The first run of letters and digits of a word: "“We" gives "We".
fn first_alnum_run(word: &str) -> &str {
    word.split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
}

/// Finds where lines start in the source, best effort.
struct Locator<'a> {
    html: &'a str,
    cursor: usize,
    /// Bytes that failed searches may still scan before the search window
    /// shrinks, so a page whose lines cannot be found stays linear.
    budget: usize,
}

impl<'a> Locator<'a> {
    /// Window of a search once the budget is spent.
    const SMALL_WINDOW: usize = 1024;

    /// Starts at `<body`, so the head's `<title>` is not taken for the
    /// page's `<h1>`.
    fn new(html: &'a str) -> Self {
        let body = html
            .as_bytes()
            .windows(5)
            .position(|w| w.eq_ignore_ascii_case(b"<body"));
        Locator {
            html,
            cursor: body.unwrap_or(0),
            budget: 4 * html.len() + (1 << 20),
        }
    }

    /// Where `text` starts: its first word after the cursor, else its first
    /// run of letters and digits (the first word may hold an entity), else
    /// the cursor. The cursor then moves past the text's last word, so the
    /// next line is not found inside this one.
    fn find(&mut self, text: &str) -> usize {
        let first = text.split_whitespace().next().unwrap_or("");
        let alnum = first_alnum_run(first);
        let needles = if alnum == first {
            [first, ""]
        } else {
            [first, alnum]
        };
        let found = needles
            .into_iter()
            .find_map(|needle| self.search(needle).map(|at| (at, needle.len())));
        let Some((at, len)) = found else {
            return self.cursor;
        };
        self.cursor = at + len;
        if let Some(last) = text.split_whitespace().skip(1).last() {
            let end = self
                .html
                .floor_char_boundary(self.cursor.saturating_add(8 * text.len() + 256));
            if let Some(i) = self.html[self.cursor..end].find(first_alnum_run(last)) {
                self.cursor += i;
            }
        }
        at
    }

    fn search(&mut self, needle: &str) -> Option<usize> {
        // An empty needle would match anywhere.
        if needle.is_empty() {
            return None;
        }
        let end = if self.budget > 0 {
            self.html.len()
        } else {
            self.html
                .floor_char_boundary(self.cursor.saturating_add(Self::SMALL_WINDOW))
        };
        let hay = &self.html[self.cursor..end];
        let mut from = 0;
        // A few tries to skip matches inside words and inside tags.
        for _ in 0..8 {
            let Some(i) = hay[from..].find(needle) else {
                break;
            };
            let at = self.cursor + from + i;
            if self.in_text(at, at + needle.len()) {
                return Some(at);
            }
            from += i + needle.len();
        }
        self.budget = self.budget.saturating_sub(hay.len());
        None
    }

    /// The match `at..end` is a whole word of text, not part of a longer
    /// word or of a tag.
    fn in_text(&self, at: usize, end: usize) -> bool {
        let before = &self.html[..at];
        let inside_word = before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            || self.html[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if inside_word {
            return false;
        }
        let near = &before[before.floor_char_boundary(at.saturating_sub(512))..];
        match near.rfind(['<', '>']) {
            Some(j) => near.as_bytes()[j] == b'>',
            None => true,
        }
    }
}
