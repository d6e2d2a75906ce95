//! Lines that are furniture by their text alone: interface labels,
//! counters, date stamps, bylines, image credits, copyright and promotion
//! lines, footer markers. Lexicons in English, French and Spanish, and a
//! little Portuguese.

use crate::clean::{normalise, word_count};

/// Generic interface labels in English, French and Spanish, normalised.
const FURNITURE_LINES: &[&str] = &[
    "skip navigation",
    "ir al contenido principal",
    "ir al contenido",
    "saltar al contenido principal",
    "main content",
    "menu",
    "main menu",
    "toggle navigation",
    "open menu",
    "close menu",
    "search",
    "buscar",
    "rechercher",
    "print",
    "imprimir",
    "imprimer",
    "print this page",
    "share",
    "share on facebook",
    "share on twitter",
    "share on x",
    "share on linkedin",
    "share via email",
    "partager",
    "partager cette page",
    "compartir",
    "tweet",
    "email",
    "e mail",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "reddit",
    "pinterest",
    "instagram",
    "youtube",
    "copy link",
    "stay connected",
    "sign up",
    "subscribe",
    "suscríbete",
    "s'abonner",
    "scroll to top",
    "back to top",
    "top of page",
    "return to top",
    "go to top",
    "haut de la page",
    "retour en haut de la page",
    "volver arriba",
    "ir arriba",
    "comments are closed",
    "accept all cookies",
    "accept cookies",
    "accept all",
    "reject all",
    "cookie settings",
    "manage cookies",
    "in english",
    "en français",
    "en español",
    "read more",
    "learn more",
    "continue reading",
    "lire la suite",
    "leer más",
    "ver más",
    "home",
    "accueil",
    "inicio",
    "you are here",
    "vous êtes ici",
    "usted está aquí",
    "advertisement",
    "publicidad",
    "close",
    "cerrar",
    "fermer",
    "yes",
    "no",
    "sí",
    "oui",
    "non",
    "previous",
    "next",
    "advert",
    "caption",
    "sign in",
    "log in",
    "sign out",
    "log out",
    "register",
    "don't miss",
    "explore further",
    "sponsored",
    "sponsored links",
    "like this",
    "like loading",
    "loading",
    "comments",
    "see more",
];

/// Beginnings of furniture lines, normalised.
const FURNITURE_PREFIXES: &[&str] = &[
    "date modified",
    "date de modification",
    "fecha de modificación",
    "last updated",
    "page details",
    "skip to",
    "passer au",
    "opt in to",
    "follow us",
    "síguenos",
    "suivez nous",
    "share this",
    "sign up for",
    "subscribe to",
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "nous utilisons des témoins",
    "utilizamos cookies",
    "usamos cookies",
    "was this page helpful",
    "did you find what you",
    "¿fue fácil",
    "¿te fue útil",
    "¿encontraste",
    "cette page vous a t elle été utile",
    "report a problem",
    "signaler un problème",
    "reportar un problema",
    "we'll be in touch",
    "we will be in touch",
    "you have been successfully subscribed",
    "thanks for subscribing",
    "thank you for subscribing",
    "if you enjoyed this article",
    "this slideshow requires javascript",
    "this document is subject to copyright",
    "like this story",
    "word count",
    "wordcount",
    "reading time",
    "read time",
    "temps de lecture",
    "tiempo de lectura",
    "tempo de leitura",
    "image caption",
    "media caption",
    "image copyright",
];

/// Names of languages, as written on language toggles.
const LANGUAGES: &[&str] = &[
    "english",
    "français",
    "francais",
    "español",
    "espanol",
    "deutsch",
    "italiano",
    "português",
    "en",
    "fr",
    "es",
    "中文",
    "русский",
    "العربية",
    "日本語",
    "한국어",
];

/// Words of the longest line any rule here drops (a caption); longer lines
/// are text.
const LONGEST_FURNITURE: usize = 80;

/// True for a line that is furniture by its text alone.
pub(super) fn is_furniture_text(text: &str) -> bool {
    if text.split_whitespace().nth(LONGEST_FURNITURE).is_some() {
        return false;
    }
    if !text.chars().any(char::is_alphabetic) && text.chars().count() < 6 {
        // Only symbols and counters: "|", "»", "©", "6".
        return true;
    }
    let n = normalise(text);
    let words: Vec<&str> = n.split(' ').collect();
    if words.len() <= 8 && FURNITURE_LINES.contains(&n.as_str()) {
        return true;
    }
    if words.len() <= 5 && words.iter().all(|w| LANGUAGES.contains(w)) {
        return true;
    }
    if words.len() <= 40 && FURNITURE_PREFIXES.iter().any(|p| starts_with_words(&n, p)) {
        return true;
    }
    is_counter(&words)
        || is_promo(&words)
        || is_byline(text)
        || is_date_label(text)
        || is_image_credit(text, &n)
        || is_copyright(text, &n)
        || is_contact(text)
        || is_report_credit(&n)
}

/// A short paragraph selling a newsletter or the author's social accounts:
/// "Get the day's top headlines … by subscribing to our newsletter.",
/// "Email Jane Doe at … or follow her on Twitter."
fn is_promo(words: &[&str]) -> bool {
    if words.len() > 50 {
        return false;
    }
    let newsletter = words.iter().any(|w| w.starts_with("newsletter"))
        && words.iter().any(|w| {
            w.starts_with("subscrib") || w.starts_with("inbox") || *w == "signup" || *w == "sign"
        });
    let follow = words.windows(3).any(|w| {
        w[0] == "follow"
            && matches!(w[1], "him" | "her" | "them" | "us" | "me")
            && matches!(w[2], "on" | "at")
    }) && words.iter().any(|w| SOCIAL.contains(w));
    newsletter || follow
}

/// Social networks an author may be followed on.
const SOCIAL: &[&str] = &[
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "youtube",
    "tiktok",
    "threads",
    "mastodon",
    "bluesky",
];

/// Counters shown beside an article: "12 comments", "1 of 6", "1 - 5 of
/// 36", "5 min read", page numbers.
fn is_counter(words: &[&str]) -> bool {
    let number = |w: &&str| w.chars().all(|c| c.is_ascii_digit() || c == 'k');
    let numbers: Vec<u32> = words.iter().map_while(|w| w.parse().ok()).collect();
    if words.len() >= 2
        && numbers.len() == words.len()
        && numbers
            .windows(2)
            .all(|p| p[0].checked_add(1) == Some(p[1]))
    {
        // A pager: "1 2 3 4 5 6 7 8".
        return true;
    }
    match words {
        [count @ .., last] if count.len() <= 2 && count.iter().all(number) => {
            COUNTED.contains(last)
        }
        [a, "of", b] => number(a) && number(b),
        [a, b, "of", c] => number(a) && number(b) && number(c),
        [minutes, "min" | "mins" | "minute" | "minutes", "read"] => number(minutes),
        _ => false,
    }
}

/// What a counter counts.
const COUNTED: &[&str] = &[
    "comment",
    "comments",
    "share",
    "shares",
    "view",
    "views",
    "like",
    "likes",
    "reply",
    "replies",
    "comentarios",
    "commentaires",
];

/// Words opening a line that dates the page: "Published: 10:48, Tue, Nov
/// 19, 2019", "Updated at 1:23 p.m.", "Posted on March 30, 2015 by Admin".
const DATE_LABELS: &[&str] = &[
    "published",
    "first published",
    "updated",
    "last updated",
    "posted",
    "posted on",
    "modified",
    "last modified",
    "publié",
    "publié le",
    "mis à jour",
    "publicado",
    "publicado el",
    "actualizado",
    "actualizado el",
];

/// A short line that dates the page or names its author with a date: a
/// date label followed by a date, a year or a time ("Posted on March 30,
/// 2015 by Admin"), "by NAME — DATE", or a date with a time of day ("Nov.
/// 20, 2019 5:52 AM EST"). A bare date ("January 10, 2023") is a dateline
/// and stays.
pub(super) fn is_date_label(text: &str) -> bool {
    if text.split_whitespace().nth(16).is_some() || !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let n = normalise(text);
    let words = word_count(&n);
    if words > 16 {
        return false;
    }
    let date = || crate::meta::parse_date(text).is_some();
    // The label is followed by "on", "at", ":", a number or the date, not
    // by a name ("Updated plan for 2030").
    let labelled = DATE_LABELS.iter().any(|label| {
        n.strip_prefix(label).is_some_and(|rest| {
            let next = rest.split_whitespace().next().unwrap_or("");
            let colon = text
                .trim_start()
                .chars()
                .take(label.chars().count() + 2)
                .any(|c| c == ':');
            rest.starts_with(' ')
                && (matches!(next, "on" | "at" | "el" | "le" | "à")
                    || next.starts_with(|c: char| c.is_ascii_digit())
                    || colon
                    || date())
        })
    });
    let byline = starts_with_words(&n, "by") && words <= 10;
    let numbers = n
        .split(' ')
        .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .count();
    let day_and_year = words <= 8 && numbers >= 2 && has_year(&n);
    ((labelled || byline) && (day_and_year || has_clock_time(text) || date()))
        || (words <= 12 && has_clock_time(text) && (has_year(&n) || date()))
}

/// "By Jane Doe", "By JANE DOE and John Smith": an author's name under
/// the title. "By the President of the United States" is not one.
fn is_byline(text: &str) -> bool {
    let mut words = text.split_whitespace();
    if !matches!(words.next(), Some("By" | "BY" | "by")) {
        return false;
    }
    let names: Vec<&str> = words.collect();
    (1..=6).contains(&names.len())
        && names.iter().all(|w| {
            matches!(*w, "and" | "&" | "y" | "et")
                || w.chars().next().is_some_and(char::is_uppercase)
        })
}

/// A time of day: "10:48", "1:23 p.m.".
fn has_clock_time(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    })
}

/// A word of a normalised line that is a year from 1900 to 2099.
fn has_year(n: &str) -> bool {
    n.split(' ').any(|w| {
        w.len() == 4
            && (w.starts_with("19") || w.starts_with("20"))
            && w.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Words opening the credit in a caption: "(Image: Getty)", "(AP
/// Photo/Evan Vucci)", "(credit: NASA)".
const CREDIT_WORDS: &[&str] = &[
    "image", "images", "photo", "photos", "picture", "pictures", "pic", "credit", "credits",
    "foto", "fotos", "crédit", "crédito", "ap", "reuters", "getty", "afp", "epa",
];

/// A caption or credit line: it ends with a credit in brackets, or it is
/// a short "Photo: …" or "Image credit: …" line.
fn is_image_credit(text: &str, n: &str) -> bool {
    let t = text.trim_end();
    if let Some(open) = t.strip_suffix(')').and_then(|rest| rest.rfind('(')) {
        let inside = normalise(&t[open..]);
        let first = inside.split(' ').next().unwrap_or("");
        if CREDIT_WORDS.contains(&first)
            && (inside.contains("photo") || inside.contains("image") || t[open..].contains(':'))
        {
            return true;
        }
    }
    word_count(n) <= 12
        && [
            "photo",
            "photos",
            "photo credit",
            "image",
            "image credit",
            "image source",
            "picture",
            "credit",
            "foto",
            "crédit photo",
        ]
        .iter()
        .any(|label| {
            let mut head = t.chars().take(label.chars().count() + 4);
            starts_with_words(n, label) && head.any(|c| c == ':' || c == '/')
        })
}

/// "© 2019 Example Media. All rights reserved."
fn is_copyright(text: &str, n: &str) -> bool {
    word_count(n) <= 12
        && (text.trim_start().starts_with('©')
            || n.contains("all rights reserved")
            || n.contains("tous droits réservés")
            || n.contains("todos los derechos reservados")
            || starts_with_words(n, "copyright"))
}

/// A line that is only an e-mail address or a social handle: the author's
/// contact under an article.
fn is_contact(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() <= 2
        && words.iter().all(|w| {
            let at = w.find('@');
            at.is_some_and(|at| at == 0 || w[at..].contains('.'))
        })
}

/// Credits of the reporters: "Associated Press writers … contributed to
/// this report.", "(Reporting by …; editing by …)".
fn is_report_credit(n: &str) -> bool {
    word_count(n) <= 50
        && (n.ends_with("contributed to this report")
            || n.ends_with("contributed reporting")
            || n.ends_with("contributed to this article")
            || starts_with_words(n, "reporting by")
            || starts_with_words(n, "writing by")
            || starts_with_words(n, "editing by"))
}

/// Lines opening a page's footer or widget area.
const FOOTER_MARKERS: &[&str] = &[
    "stay connected",
    "comments are closed",
    "related",
    "related articles",
    "related links",
    "related content",
    "related news",
    "related stories",
    "related posts",
    "more news",
    "more stories",
    "share this",
    "was this page helpful",
    "date modified",
    "date de modification",
    "leave a reply",
    "leave a comment",
    "follow us",
    "sign up for",
    "you may also like",
    "recommended",
    "most popular",
    "most read",
    "read next",
    "about the author",
    "tags",
    "noticias relacionadas",
    "contenido relacionado",
    "¿fue fácil encontrar",
    "¿te fue útil",
    "encuesta",
    "à lire aussi",
    "sur le même sujet",
    "explore further",
    "tell us what you think",
];

/// A line opening the footer: a footer marker, or a comment count.
pub(super) fn is_footer_marker(text: &str) -> bool {
    if text.split_whitespace().nth(16).is_some() {
        return false;
    }
    let n = normalise(text);
    let comments = n.strip_suffix("comments").is_some_and(|count| {
        count.is_empty() || count.trim_end().bytes().all(|b| b.is_ascii_digit())
    });
    comments || (word_count(&n) <= 8 && FOOTER_MARKERS.iter().any(|m| starts_with_words(&n, m)))
}

/// `text` starts with the words of `prefix`.
pub(super) fn starts_with_words(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}
