//! Writing outputs safely: every file lands inside the output folder (paths
//! are reduced to their plain components, and the folder a file goes to is
//! checked after symbolic links are resolved), and every file is written to
//! a temporary file first and then renamed into place.

use crate::error::AuditError;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Keeps only the plain components of a relative path: no root, no `..`,
/// no `.`; an empty result becomes `document`.
pub fn sanitize(path: &Path) -> PathBuf {
    let clean: PathBuf = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    if clean.as_os_str().is_empty() {
        PathBuf::from("document")
    } else {
        clean
    }
}

/// The folder of a document's outputs: its relative path without extension.
pub fn report_dir(relative: &Path) -> PathBuf {
    sanitize(&relative.with_extension(""))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder
/// (created if need be), made readable by all, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(bytes)?;
    file.flush()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The output folder, created and resolved.
#[derive(Debug, Clone)]
pub struct OutputRoot {
    root: PathBuf,
    canonical: PathBuf,
}

impl OutputRoot {
    pub fn create(root: &Path) -> Result<OutputRoot, AuditError> {
        let write_err = |source| AuditError::Write {
            path: root.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(root).map_err(write_err)?;
        let canonical = root.canonicalize().map_err(write_err)?;
        Ok(OutputRoot {
            root: root.to_path_buf(),
            canonical,
        })
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn canonical(&self) -> &Path {
        &self.canonical
    }

    /// Writes `bytes` to `<root>/<dir>/<name>` atomically (an empty `dir`
    /// is the output folder itself).
    pub fn write(&self, dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, AuditError> {
        let folder = if dir.as_os_str().is_empty() {
            self.root.clone()
        } else {
            self.root.join(sanitize(dir))
        };
        let target = folder.join(name);
        let write_err = |source| AuditError::Write {
            path: target.clone(),
            source,
        };
        std::fs::create_dir_all(&folder).map_err(write_err)?;
        let resolved = folder.canonicalize().map_err(write_err)?;
        if !resolved.starts_with(&self.canonical) {
            return Err(AuditError::OutsideOutput {
                path: target,
                out: self.root.clone(),
            });
        }
        write_atomic(&resolved.join(name), bytes).map_err(write_err)?;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_paths_inside() {
        assert_eq!(
            sanitize(Path::new("../../etc/passwd")),
            PathBuf::from("etc/passwd")
        );
        assert_eq!(
            sanitize(Path::new("/abs/a.txt")),
            PathBuf::from("abs/a.txt")
        );
        assert_eq!(sanitize(Path::new("..")), PathBuf::from("document"));
        assert_eq!(
            report_dir(Path::new("box/notes.txt")),
            PathBuf::from("box/notes")
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_follow_a_link_out_of_the_output_folder() {
        let out = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), out.path().join("escape")).unwrap();
        let root = OutputRoot::create(out.path()).unwrap();
        let err = root.write(Path::new("escape"), "x.txt", b"x").unwrap_err();
        assert!(matches!(err, AuditError::OutsideOutput { .. }), "{err}");
        assert!(!elsewhere.path().join("x.txt").exists());
        root.write(Path::new("fine"), "x.txt", b"x").unwrap();
        assert_eq!(std::fs::read(out.path().join("fine/x.txt")).unwrap(), b"x");
    }
}
