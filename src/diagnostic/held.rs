//! Texts held once: a rule's id ([`RuleId`]) or message ([`shared`]) for
//! the whole process, a text found again and again for one document
//! ([`Texts`]).

use arcstr::ArcStr;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

/// What a held text is beside its text: it reads, compares, orders, hashes,
/// prints and is written as its text (`as_str`).
macro_rules! reads_as_text {
    ($held:ty) => {
        impl std::ops::Deref for $held {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl AsRef<str> for $held {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::borrow::Borrow<str> for $held {
            fn borrow(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq for $held {
            fn eq(&self, other: &$held) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for $held {}

        impl PartialEq<str> for $held {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $held {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialOrd for $held {
            fn partial_cmp(&self, other: &$held) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $held {
            fn cmp(&self, other: &$held) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl std::hash::Hash for $held {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl std::fmt::Debug for $held {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.as_str().fmt(f)
            }
        }

        impl std::fmt::Display for $held {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.as_str().fmt(f)
            }
        }

        impl Serialize for $held {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

/// A text many findings and actions share (a rule's message, a stamp's
/// text, a line re-encoded): held once per process, borrowed by each; made for a finding
/// (a message naming what it found) or read back from a report, counted,
/// so that the findings of one document that say the same share it (see
/// [`Texts`]). Eight bytes, a thin pointer (`arcstr`: the length and the
/// count live with the text): a long document's findings, edits and
/// actions are many. A text held for the whole process is static: cloned
/// and dropped without touching a count.
#[derive(Clone, Default)]
pub struct Shared(ArcStr);

impl Shared {
    /// `text`, held by this value and its clones (a message made for one
    /// finding).
    pub fn owned(text: impl AsRef<str>) -> Shared {
        Shared(ArcStr::from(text.as_ref()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The texts made for one document's findings or stamp readings, each held
/// once: a long document finds the same stamps and headers and says the
/// same things many times (for the 249,630 findings of the bench's 40 MB
/// document, 6,299 texts and 8,886 messages).
#[derive(Debug, Default)]
pub struct Texts(HashSet<Shared, foldhash::fast::RandomState>);

impl Texts {
    /// The copy held of `text`, made if none is held yet.
    pub fn text(&mut self, text: &str) -> Shared {
        if let Some(held) = self.0.get(text) {
            return held.clone();
        }
        let held = Shared::owned(text);
        self.0.insert(held.clone());
        held
    }

    /// `text`, or the copy held of it.
    pub fn hold(&mut self, text: Shared) -> Shared {
        if ArcStr::is_static(&text.0) {
            return text;
        }
        if let Some(held) = self.0.get(text.as_str()) {
            return held.clone();
        }
        self.0.insert(text.clone());
        text
    }
}

impl From<&str> for Shared {
    fn from(text: &str) -> Shared {
        if text.is_empty() {
            return Shared::default();
        }
        Shared::owned(text)
    }
}

impl From<String> for Shared {
    fn from(text: String) -> Shared {
        Shared::from(text.as_str())
    }
}

reads_as_text!(Shared);

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Shared, D::Error> {
        String::deserialize(deserializer).map(Shared::owned)
    }
}

/// `text`, held once for the whole process: the rules' messages (and,
/// as [`RuleId`]s, their ids), a bounded set (a few hundred per rule set),
/// each interned the first time it is met. A long document repeats them hundreds of
/// thousands of times, each a heap copy otherwise.
pub fn shared(text: &str) -> Shared {
    Shared(interned(text).clone())
}

/// The process's one copy of `text`, made the first time it is asked:
/// static, so that its clones count nothing.
fn interned(text: &str) -> &'static ArcStr {
    // foldhash: asked for every finding and edit made.
    type Texts = HashMap<&'static str, &'static ArcStr, foldhash::fast::RandomState>;
    static TEXTS: OnceLock<Mutex<Texts>> = OnceLock::new();
    let texts = TEXTS.get_or_init(Default::default);
    let mut texts = match texts.lock() {
        Ok(texts) => texts,
        // A panic elsewhere while interning leaves the set as it was.
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(&held) = texts.get(text) {
        return held;
    }
    let held = ArcStr::from(text);
    let key: &'static str = held.leak();
    let held: &'static ArcStr = Box::leak(Box::new(held));
    texts.insert(key, held);
    held
}

/// The id of the rule or check a finding, edit or action comes from:
/// interned for the whole process as [`shared`] interns (the ids of the
/// rule set and of the built-in checks, and those of the reports a run
/// reads back, which it wrote): eight bytes, copied without a count, and
/// read as a `&'static str` (every finding, edit and action holds one).
#[derive(Clone, Copy)]
pub struct RuleId(&'static ArcStr);

impl RuleId {
    pub fn of(id: &str) -> RuleId {
        RuleId(interned(id))
    }

    pub fn as_str(&self) -> &'static str {
        let id: &'static ArcStr = self.0;
        id
    }
}

impl From<RuleId> for Shared {
    fn from(id: RuleId) -> Shared {
        Shared(id.0.clone())
    }
}

reads_as_text!(RuleId);

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<RuleId, D::Error> {
        let id = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(RuleId::of(&id))
    }
}
