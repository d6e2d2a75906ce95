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
        serde_yaml_ng::from_str(text).map_err(|e| Error::Manifest {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// Reads `dir/accord.yaml` if there is one.
    pub fn read_in(dir: &Path) -> Result<Option<Manifest>> {
        let path = dir.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Manifest::parse(&path, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Manifest {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
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
    }
}
