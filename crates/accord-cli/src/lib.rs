//! The pipeline glue the `accord` binary runs and the stage benchmark
//! measures: one file through ingest and extraction (`pipeline`), matching
//! over the ledger (`matching`), and compliance commands with evidence
//! discovery (`compliance`). One copy, so what is measured is what runs.

pub mod compliance;
pub mod matching;
pub mod pipeline;

/// Gives the memory the allocator holds free back to the system (glibc
/// keeps it otherwise, in every thread's arena, and the resident size of a
/// long run grows phase after phase and batch after batch though its heap
/// does not). Called between phases of an ingest and between batches of
/// evidence discovery; it costs a few milliseconds.
pub fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; it has no
    // preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
