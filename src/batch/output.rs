//! Writing outputs safely: every file lands inside the output folder (paths
//! are reduced to their plain components, and the folder a file goes to is
//! checked after symbolic links are resolved), and every file is written to
//! a temporary file first and then renamed into place.

use crate::error::AuditError;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Names of the temporary files and folders a run writes in the output
/// folder before it renames them into place; a later run removes any that a
/// killed run left.
pub const TEMP_PREFIX: &str = ".declass-tmp";

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
/// A path that names something other than a regular file or a folder (a
/// device such as `/dev/stdout` or `/dev/null`, a named pipe) is written
/// into, never renamed over: the device stays a device.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, &|out| out.write_all(bytes))
}

/// [`write_atomic`], the contents written by `write` through a buffer (a
/// long format streamed, never held whole).
pub fn write_atomic_with(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            let target = std::fs::OpenOptions::new().write(true).open(path)?;
            let mut buffered = std::io::BufWriter::new(target);
            write(&mut buffered)?;
            return buffered.flush();
        }
    }
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder).map_err(|e| match e.kind() {
        // What the system says ("File exists") names neither the path
        // nor the trouble: a file stands where a folder of it should be.
        std::io::ErrorKind::AlreadyExists => std::io::Error::new(
            e.kind(),
            format!(
                "cannot make the folder {}: a file is in the way",
                folder.display()
            ),
        ),
        _ => e,
    })?;
    let mut file = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(folder)?;
    {
        let mut buffered = std::io::BufWriter::new(file.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What a file of a report folder holds: bytes, or what a function
/// writes (a report serialised straight into the file, never held whole in
/// memory).
pub enum Content<'a> {
    Bytes(&'a [u8]),
    Written(&'a dyn Fn(&mut dyn Write) -> std::io::Result<()>),
    /// The same bytes as this file (a cache entry's, checked just before):
    /// linked when the file system allows, else copied.
    SameAs(&'a Path),
}

/// Writes a new file at `path` through a buffer.
fn write_file(path: &Path, content: &Content) -> std::io::Result<()> {
    if let Content::SameAs(source) = content {
        return std::fs::hard_link(source, path)
            .or_else(|_| std::fs::copy(source, path).map(|_| ()));
    }
    let file = std::fs::File::create_new(path)?;
    match content {
        Content::SameAs(_) => Ok(()),
        Content::Bytes(bytes) => {
            let mut file = file;
            file.write_all(bytes)
        }
        Content::Written(write) => {
            let mut out = std::io::BufWriter::with_capacity(WRITE_BUFFER, file);
            write(&mut out)?;
            out.flush()
        }
    }
}

/// The buffer of a file written piece by piece.
const WRITE_BUFFER: usize = 64 * 1024;

/// The bytes of a regular file; a named pipe, a device or a socket is
/// refused, never opened (opening a FIFO blocks until a writer comes).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    std::fs::read(path)
}

/// Every regular file under `root`, sorted: hidden and ignored files
/// included, links not followed, the temporaries of a killed run passed
/// over.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .filter_entry(|e| {
            !e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMP_PREFIX))
        })
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The output folder, created and resolved.
#[derive(Debug)]
pub struct OutputRoot {
    root: PathBuf,
    canonical: PathBuf,
    swap: std::sync::Mutex<()>,
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
            swap: std::sync::Mutex::new(()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn canonical(&self) -> &Path {
        &self.canonical
    }

    /// Removes the temporary files and folders a killed run left at the top
    /// of the output folder.
    pub fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.canonical) else {
            return;
        };
        for entry in entries.flatten() {
            let stale = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMP_PREFIX));
            if stale {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }

    /// Writes a report folder `<root>/<dir>` as a unit: its `files` into a
    /// temporary folder at the top of the output folder, which is then
    /// renamed into place (an older folder of the name is moved aside first,
    /// then removed). A run killed at any moment leaves the folder complete,
    /// old or new, or absent; never half written.
    pub fn write_folder(
        &self,
        dir: &Path,
        files: &[(&str, Content)],
    ) -> Result<PathBuf, AuditError> {
        let target = self.root.join(sanitize(dir));
        let write_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| AuditError::Write { path, source }
        };
        let parent = target.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(parent).map_err(write_err(parent))?;
        let resolved = parent.canonicalize().map_err(write_err(parent))?;
        if !resolved.starts_with(&self.canonical) {
            return Err(AuditError::OutsideOutput {
                path: target,
                out: self.root.clone(),
            });
        }
        let name = target.file_name().unwrap_or_default().to_os_string();
        let staging = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempdir_in(&self.canonical)
            .map_err(write_err(&self.root))?;
        for (file, content) in files {
            write_file(&staging.path().join(file), content)
                .map_err(write_err(&target.join(file)))?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
                .map_err(write_err(&target))?;
        }
        let destination = resolved.join(&name);
        // One swap at a time: a report folder may hold the folders of the
        // documents below it (`a/` for `a.txt` holds `a/x/` for `a/x.txt`),
        // which move into the new folder with it.
        let _swap = self
            .swap
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let old = if destination.exists() {
            let aside = tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempdir_in(&self.canonical)
                .map_err(write_err(&self.root))?;
            let aside = aside.keep();
            std::fs::remove_dir(&aside).map_err(write_err(&aside))?;
            std::fs::rename(&destination, &aside).map_err(write_err(&target))?;
            Some(aside)
        } else {
            None
        };
        let staged = staging.keep();
        std::fs::rename(&staged, &destination).map_err(write_err(&target))?;
        if let Some(old) = &old {
            let written: Vec<&str> = files.iter().map(|(f, _)| *f).collect();
            for entry in std::fs::read_dir(old)
                .map_err(write_err(&target))?
                .flatten()
            {
                let keep = entry.file_type().is_ok_and(|t| t.is_dir())
                    && entry
                        .file_name()
                        .to_str()
                        .is_none_or(|n| !written.contains(&n));
                if keep {
                    std::fs::rename(entry.path(), destination.join(entry.file_name()))
                        .map_err(write_err(&target))?;
                }
            }
        }
        if let Some(old) = old {
            let _ = if old.is_dir() {
                std::fs::remove_dir_all(&old)
            } else {
                std::fs::remove_file(&old)
            };
        }
        Ok(target)
    }

    /// Writes `bytes` to `<root>/<dir>/<name>` atomically (an empty `dir`
    /// is the output folder itself).
    pub fn write(&self, dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, AuditError> {
        self.write_with(dir, name, &|out| out.write_all(bytes))
    }

    /// [`OutputRoot::write`], the contents streamed by `write`.
    pub fn write_with(
        &self,
        dir: &Path,
        name: &str,
        write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<PathBuf, AuditError> {
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
        write_atomic_with(&resolved.join(name), write).map_err(write_err)?;
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
