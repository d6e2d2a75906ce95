//! The pipeline glue the `accord` binary runs and the stage benchmark
//! measures: one file through ingest and extraction (`pipeline`), matching
//! over the ledger (`matching`), and compliance commands with evidence
//! discovery (`compliance`). One copy, so what is measured is what runs.

pub mod compliance;
pub mod matching;
pub mod pipeline;

/// Blocks of at least this many bytes get pages of their own from the
/// system, returned as soon as they are freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const OWN_PAGES_FROM: libc::c_int = 1024 * 1024;

/// Fixes the size from which the allocator maps a block on its own
/// ([`OWN_PAGES_FROM`]). glibc raises that size each time such a block is
/// freed, up to 32 MB, after which a batch's large texts and lists come
/// from the heap and leave it in pieces that cannot be given back: evidence
/// discovery over 16 copies of the White House corpus peaked at 193 MB
/// resident with the moving size and at 163 MB with a fixed one, no slower.
/// Called once, first thing in `main`.
pub fn bound_heap_growth() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator;
    // it has no preconditions.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_PAGES_FROM);
    }
}

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
