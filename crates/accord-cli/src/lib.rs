//! The pipeline glue the `accord` binary runs and the stage benchmark
//! measures: one file through ingest and extraction (`pipeline`), matching
//! over the ledger (`matching`), and compliance commands with evidence
//! discovery (`compliance`). One copy, so what is measured is what runs.

pub mod compliance;
pub mod matching;
pub mod pipeline;

/// A walk of the folder `root`, each folder's entries in file name order,
/// as `accord ingest` reads a folder.
///
/// The entries of a folder are compared by their whole paths: siblings'
/// paths are the folder's path joined with their names, so they order as
/// their names do, and comparing them costs a byte comparison, where
/// taking each name out of its path again for every comparison was most
/// of the time of walking a large folder.
pub fn walk(root: &std::path::Path) -> walkdir::WalkDir {
    walkdir::WalkDir::new(root).sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
}

/// The allocator of Rust's memory: jemalloc, whose size classes and
/// per-thread caches serve the many small strings and lists of the
/// pipeline faster than the system's allocator (a one-core White House
/// ingest: 5.9 to 5.5 s) at about the same peak. SQLite allocates from
/// the system's allocator still.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Blocks of at least this many bytes get pages of their own from the
/// system's allocator, returned as soon as they are freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const OWN_PAGES_FROM: libc::c_int = 1024 * 1024;

/// Fixes the size from which the system's allocator maps a block on its
/// own ([`OWN_PAGES_FROM`]). glibc raises that size each time such a block
/// is freed, up to 32 MB, after which large blocks come from the heap and
/// leave it in pieces that cannot be given back. Called once, first thing
/// in `main`.
pub fn bound_heap_growth() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator;
    // it has no preconditions.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_PAGES_FROM);
    }
}

/// Gives the memory the allocators hold free back to the system (they
/// keep it otherwise, and the resident size of a long run grows phase
/// after phase and batch after batch though its heap does not). Called
/// between phases of an ingest and between batches of evidence discovery;
/// it costs a few milliseconds.
pub fn return_free_memory() {
    #[cfg(not(target_env = "msvc"))]
    // SAFETY: "arena.<all>.purge" takes and gives no value: every pointer
    // is null and the length 0, as jemalloc asks; the name is a
    // NUL-terminated string.
    unsafe {
        /// `arena.<i>.purge` for every arena (`MALLCTL_ARENAS_ALL`).
        const PURGE_ALL: &std::ffi::CStr = c"arena.4096.purge";
        tikv_jemalloc_sys::mallctl(
            PURGE_ALL.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; it has no
    // preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    /// Files whose folders' entries would order differently by path than
    /// by name if siblings did not share their folder's path: names that
    /// are prefixes of each other, the bytes around '/' ('!', ' ', '-',
    /// '.', '0'), capitals, a name not in ASCII, nested folders.
    #[test]
    fn a_walk_visits_entries_in_the_order_of_their_names() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "a.b", "a-b", "a0", "a/b", "a/b.md", "a/a", "a b", "a!", "ab", "B", "é", "z/y/x",
            "z/y.md", "z.md",
        ];
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "text").unwrap();
        }
        for root in [dir.path().to_path_buf(), dir.path().join("")] {
            let paths = |walk: walkdir::WalkDir| -> Vec<std::path::PathBuf> {
                walk.into_iter().map(|e| e.unwrap().into_path()).collect()
            };
            let by_name = paths(walkdir::WalkDir::new(&root).sort_by_file_name());
            // The files, the root and the folders a and z and z/y.
            assert_eq!(by_name.len(), files.len() + 4, "{by_name:?}");
            assert_eq!(paths(super::walk(&root)), by_name);
        }
    }
}
