//! Configuration: `declass.toml`, found in the current folder or one of its
//! parents (or named with `--config`). Every key is optional; options given
//! on the command line win over the file.
//!
//! ```toml
//! paths = ["transcriptions"]       # what to audit
//! out = "reports"                  # the output folder
//! glob = ["*.txt"]                 # files of a folder to read
//! ignore = ["drafts/**"]           # files of a folder to leave out
//! rules = ["local-rules"]          # extra rule folders, beside the built-in rules
//! disable = ["page-separator"]     # rules not to run
//! repair = "high"                  # high | medium | low | none
//! markup = "bracket"               # bracket | drop | leave
//! fail-on = "error"                # error | warning | info | never
//! jobs = 0                         # documents at once; 0: one per core
//! cache = ".declass-cache"         # reuse unchanged documents' outputs
//!
//! [severity]                       # severity overrides, by rule id
//! frus-page-marker = "warning"
//!
//! [sarif]                          # where the rules' documentation is published
//! information-uri = "https://archive.example.org/declass/"
//! help-uri = "https://archive.example.org/declass/rules#{rule}"
//! ```

use crate::model::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "declass.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub glob: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<RepairSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<crate::model::Markup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<FailOn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobs: Option<usize>,
    /// The incremental cache's folder (`--cache`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<String, Severity>,
    /// Fields written into a bag's `bag-info.txt` (`--bag`):
    /// Source-Organization, Contact-Name, Contact-Email, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bag_info: BTreeMap<String, String>,
    /// Where the tool's and the rules' documentation is published, for the
    /// SARIF log (`informationUri`, `helpUri`).
    #[serde(default, skip_serializing_if = "SarifLinks::is_empty")]
    pub sarif: SarifLinks,
}

/// Where the documentation of the tool and of each rule is published, so
/// that a SARIF viewer (GitHub code scanning) links an alert to its rule's
/// help page. Absolute `http` or `https` URIs; in `help-uri`, `{rule}`
/// stands for the rule's id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SarifLinks {
    /// The tool's home page (`informationUri`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_uri: Option<String>,
    /// A rule's help page (`helpUri`), `{rule}` standing for its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
}

/// What `{rule}` may be replaced with in a help URI: a rule id with every
/// character but letters, digits, `-`, `.` and `_` percent-encoded.
const RULE_ID_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

impl SarifLinks {
    fn is_empty(&self) -> bool {
        self.information_uri.is_none() && self.help_uri.is_none()
    }

    /// The tool's home page: the configuration's, else the package's
    /// `homepage` in Cargo.toml (none is published yet).
    pub fn information(&self) -> Option<String> {
        let package = env!("CARGO_PKG_HOMEPAGE");
        self.information_uri
            .clone()
            .or_else(|| (!package.is_empty()).then(|| package.to_string()))
    }

    /// The help page of the rule `id`.
    pub fn help(&self, id: &str) -> Option<String> {
        let id = percent_encoding::utf8_percent_encode(id, RULE_ID_KEEPS).to_string();
        self.help_uri.as_ref().map(|uri| uri.replace("{rule}", &id))
    }

    /// Why a URI of the table is refused, with its key: not an absolute
    /// `http` or `https` URI.
    fn check(&self) -> Result<(), (&'static str, String)> {
        let given = [
            ("information-uri", &self.information_uri),
            ("help-uri", &self.help_uri),
        ];
        for (key, uri) in given {
            let Some(uri) = uri else { continue };
            let example = uri.replace("{rule}", "rule-id");
            match url::Url::parse(&example) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
                Ok(u) => {
                    return Err((
                        key,
                        format!(
                            "{uri:?}: a {} URI; an http or https URI is needed",
                            u.scheme()
                        ),
                    ))
                }
                Err(e) => return Err((key, format!("{uri:?} is no absolute URI: {e}"))),
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum RepairSetting {
    High,
    Medium,
    Low,
    None,
}

impl RepairSetting {
    pub fn threshold(self) -> Option<crate::model::Confidence> {
        use crate::model::Confidence;
        match self {
            RepairSetting::High => Some(Confidence::High),
            RepairSetting::Medium => Some(Confidence::Medium),
            RepairSetting::Low => Some(Confidence::Low),
            RepairSetting::None => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: {reason}")]
    Invalid {
        file: PathBuf,
        line: usize,
        reason: String,
    },
}

/// A configuration and the file it came from (`None`: no file).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    pub file: Option<PathBuf>,
}

impl Config {
    pub fn parse(file: &Path, text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            file: file.to_path_buf(),
            line: e
                .span()
                .map(|s| text[..s.start].matches('\n').count() + 1)
                .unwrap_or(1),
            reason: e.message().to_string(),
        })?;
        config.sarif.check().map_err(|(key, reason)| {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(key))
                .map_or(1, |i| i + 1);
            ConfigError::Invalid {
                file: file.to_path_buf(),
                line,
                reason: format!("[sarif] {key}: {reason}"),
            }
        })?;
        Ok(config)
    }

    /// Reads `file`, or looks for `declass.toml` in `start` and its parents.
    /// Paths in the file are taken relative to the file's folder, and kept
    /// relative (to `start`, the current folder) when the file is in `start`
    /// or above it: `docs` stays `docs`, so that the paths every output
    /// records are the same in every checkout of a repository.
    pub fn load(file: Option<&Path>, start: &Path) -> Result<Loaded, ConfigError> {
        let found = match file {
            Some(f) => Some(f.to_path_buf()),
            None => start
                .ancestors()
                .map(|dir| dir.join(CONFIG_FILE))
                .find(|candidate| candidate.is_file()),
        };
        let Some(path) = found else {
            return Ok(Loaded::default());
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            file: path.clone(),
            source,
        })?;
        let mut config = Config::parse(&path, &text)?;
        let base = relative_base(path.parent().unwrap_or(Path::new(".")), start);
        let resolve = |p: &PathBuf| {
            if p.is_absolute() {
                p.clone()
            } else {
                base.join(p)
            }
        };
        config.paths = config.paths.iter().map(resolve).collect();
        config.out = config.out.as_ref().map(resolve);
        config.cache = config.cache.as_ref().map(resolve);
        config.rules = config.rules.iter().map(resolve).collect();
        Ok(Loaded {
            config,
            file: Some(path),
        })
    }

    /// The configuration as a TOML file.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot show: {e}\n"))
    }
}

/// The folder `base` as seen from `start`: relative (`""`, `..`, `../..`)
/// when `base` is `start` or one of its parents, else as it is.
fn relative_base(base: &Path, start: &Path) -> PathBuf {
    match start.strip_prefix(base) {
        Ok(below) => below
            .components()
            .map(|_| std::path::Component::ParentDir)
            .collect(),
        Err(_) => base.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_refused_with_the_key_and_the_file() {
        let err = Config::parse(
            Path::new("x/declass.toml"),
            "out = \"r\"\ncolour = \"red\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("x/declass.toml:2:") && msg.contains("colour"),
            "{msg}"
        );
    }

    #[test]
    fn a_full_file_reads_and_shows_again() {
        let text = "paths = [\"t\"]\nout = \"r\"\nglob = [\"*.txt\"]\nignore = [\"d/**\"]\ndisable = [\"page-separator\"]\nrepair = \"medium\"\nmarkup = \"drop\"\nfail-on = \"warning\"\njobs = 2\n\n[severity]\nfrus-page-marker = \"warning\"\n";
        let config = Config::parse(Path::new("declass.toml"), text).unwrap();
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.severity["frus-page-marker"], Severity::Warning);
        assert_eq!(
            Config::parse(Path::new("again.toml"), &config.to_toml()).unwrap(),
            config
        );
    }

    #[test]
    fn sarif_links_must_be_web_uris_and_name_the_rule() {
        let text = "[sarif]\ninformation-uri = \"https://a.example/declass/\"\nhelp-uri = \"https://a.example/rules#{rule}\"\n";
        let config = Config::parse(Path::new("declass.toml"), text).unwrap();
        assert_eq!(
            config.sarif.information().as_deref(),
            Some("https://a.example/declass/")
        );
        assert_eq!(
            config.sarif.help("x y/z").as_deref(),
            Some("https://a.example/rules#x%20y%2Fz")
        );
        for bad in [
            "help-uri = \"rules.html#{rule}\"",
            "help-uri = \"file:///srv/rules#{rule}\"",
        ] {
            let err = Config::parse(Path::new("d.toml"), &format!("[sarif]\n{bad}\n")).unwrap_err();
            assert!(
                err.to_string().starts_with("d.toml:2: [sarif] help-uri"),
                "{err}"
            );
        }
        assert_eq!(Config::default().sarif.help("x"), None);
    }

    #[test]
    fn found_in_a_parent_folder_with_paths_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "out = \"reports\"\n").unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let loaded = Config::load(None, &deep).unwrap();
        assert_eq!(loaded.file, Some(dir.path().join(CONFIG_FILE)));
        // Relative to the folder it was looked for from: the same in every
        // checkout.
        assert_eq!(loaded.config.out, Some(PathBuf::from("../../reports")));
        let here = Config::load(None, dir.path()).unwrap();
        assert_eq!(here.config.out, Some(PathBuf::from("reports")));
        // A configuration elsewhere keeps its folder.
        let other = tempfile::tempdir().unwrap();
        let elsewhere = Config::load(Some(&dir.path().join(CONFIG_FILE)), other.path()).unwrap();
        assert_eq!(elsewhere.config.out, Some(dir.path().join("reports")));
    }
}
