//! Prints the units of a cleaned text file (debugging aid).
fn main() {
    let path = std::env::args().nth(1).expect("path");
    let text = std::fs::read_to_string(path).expect("read");
    for u in accord_extract::segment::segment(&text).units {
        let v = accord_extract::classify::classify(&u);
        println!(
            "{:?} {:?} | {} | lead={:?}",
            u.kind,
            v.map(|v| v.confidence),
            u.text.chars().take(120).collect::<String>(),
            u.lead_in
                .as_deref()
                .map(|l| l.chars().take(40).collect::<String>())
        );
    }
}
