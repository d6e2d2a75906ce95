//! Per-folder overrides: an `accord.yaml` file in a folder sets metadata for
//! the files in it.
//!
//! ```yaml
//! defaults:            # applies to every file of the folder (and below)
//!   summit: NALS 2023
//! files:
//!   003_409e525d5e17e52a.txt: { issuer: CA, kind: fact_sheet }
//! ```

use crate::{Error, Overrides, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// The name of the manifest file.
pub const FILE_NAME: &str = "accord.yaml";

/// A manifest longer than this is refused: it is a list of a folder's
/// files, a few hundred bytes each.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A parsed manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Overrides for every file.
    #[serde(default)]
    pub defaults: Overrides,
    /// Overrides per file name.
    #[serde(default)]
    pub files: BTreeMap<String, Overrides>,
}

impl Manifest {
    /// Parses manifest text; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest> {
        let refused = |message: String| Error::Manifest {
            path: path.display().to_string(),
            message,
        };
        // The parser's scanner takes time in the square of the depth
        // before it refuses it.
        if crate::frontmatter::nests_too_deep(text) {
            return Err(refused(format!(
                "its values nest {} deep or more, deeper than a manifest's can",
                crate::frontmatter::MAX_NESTING
            )));
        }
        let manifest: Manifest =
            serde_yaml_ng::from_str(text).map_err(|e| refused(e.to_string()))?;
        let entries = std::iter::once(("defaults", &manifest.defaults))
            .chain(manifest.files.iter().map(|(name, o)| (name.as_str(), o)));
        for (entry, overrides) in entries {
            if let Some((field, value)) = overrides
                .fields()
                .find(|(_, v)| v.chars().any(char::is_control))
            {
                return Err(refused(format!(
                    "{entry}: the {field} {value:?} holds a control character"
                )));
            }
        }
        Ok(manifest)
    }

    /// Reads `dir/accord.yaml` if there is one.
    pub fn read_in(dir: &Path) -> Result<Option<Manifest>> {
        let path = dir.join(FILE_NAME);
        let refused = |message: String| Error::Manifest {
            path: path.display().to_string(),
            message,
        };
        // Read to the limit only: a manifest may be a link to a device.
        let bytes = match std::fs::File::open(&path)
            .and_then(|file| crate::decode::read_within(file, MAX_BYTES, 0))
        {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return Err(refused(format!(
                    "it holds more than {MAX_BYTES} bytes, the limit"
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(refused(e.to_string())),
        };
        let text = String::from_utf8(bytes).map_err(|e| refused(e.to_string()))?;
        Manifest::parse(&path, &text).map(Some)
    }

    /// The overrides for the file `name`: its own entry over the defaults.
    pub fn for_file(&self, name: &str) -> Overrides {
        match self.files.get(name) {
            Some(own) => own.or(&self.defaults),
            None => self.defaults.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_entries_win_over_defaults() {
        let m = Manifest::parse(
            Path::new("accord.yaml"),
            "defaults: {summit: NALS 2023, issuer: US}\nfiles:\n  a.txt: {issuer: CA}\n",
        )
        .unwrap();
        assert_eq!(m.for_file("a.txt").issuer.as_deref(), Some("CA"));
        assert_eq!(m.for_file("a.txt").summit.as_deref(), Some("NALS 2023"));
        assert_eq!(m.for_file("b.txt").issuer.as_deref(), Some("US"));
        assert!(Manifest::parse(Path::new("accord.yaml"), "nonsense: 1").is_err());
        let control = Manifest::parse(
            Path::new("accord.yaml"),
            "files:\n  a.txt: {title: \"Joint\\0 Statement\"}\n",
        )
        .unwrap_err();
        assert_eq!(
            control.to_string(),
            "manifest accord.yaml: a.txt: the title \"Joint\\0 Statement\" holds a control character"
        );
    }

    /// Values nested past the parser's limit are refused before it reads
    /// them (100,000 levels took it minutes); a manifest that goes on
    /// past the limit is read only that far.
    #[test]
    fn nesting_and_length_are_refused_at_once() {
        let deep = format!("defaults: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let start = std::time::Instant::now();
        let refused = Manifest::parse(Path::new("accord.yaml"), &deep).unwrap_err();
        assert!(start.elapsed().as_secs() < 5);
        assert!(
            refused.to_string().contains("nest 128 deep or more"),
            "{refused}"
        );
        let dir = tempfile::tempdir().unwrap();
        let long = "#".repeat(MAX_BYTES as usize + 1);
        std::fs::write(dir.path().join(FILE_NAME), long).unwrap();
        let refused = Manifest::read_in(dir.path()).unwrap_err();
        assert!(
            refused.to_string().contains("more than 16777216 bytes"),
            "{refused}"
        );
        std::fs::write(dir.path().join(FILE_NAME), "defaults: {summit: G7 2024}").unwrap();
        let read = Manifest::read_in(dir.path()).unwrap().unwrap();
        assert_eq!(read.defaults.summit.as_deref(), Some("G7 2024"));
    }
}
