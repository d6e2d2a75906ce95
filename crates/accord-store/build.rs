//! Builds the crate again when a migration is added or changed: the
//! migrations are embedded at compile time (`sqlx::migrate!`), and a new
//! file alone would not otherwise be noticed.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
