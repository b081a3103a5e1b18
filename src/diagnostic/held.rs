//! Texts held once: a rule's id or message for the whole process
//! ([`shared`]), a text found again and again for one document ([`Texts`]).

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

/// A text many findings, edits and actions share (a rule's id, a rule's
/// message): held once per process, borrowed by each; made for a finding
/// (a message naming what it found) or read back from a report, counted,
/// so that the findings of one document that say the same share it (see
/// [`Texts`]). Sixteen bytes: a long document's findings, edits and
/// actions are many.
#[derive(Clone)]
pub struct Shared(Held);

#[derive(Clone)]
enum Held {
    /// A text interned by [`shared`]: a thin pointer, the enum's tag in the
    /// niche of the counted one.
    Interned(&'static &'static str),
    Counted(std::sync::Arc<str>),
}

impl Shared {
    /// `text`, held by this value and its clones (a message made for one
    /// finding).
    pub fn owned(text: impl AsRef<str>) -> Shared {
        Shared(Held::Counted(std::sync::Arc::from(text.as_ref())))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Held::Interned(text) => text,
            Held::Counted(text) => text,
        }
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
        if matches!(text.0, Held::Interned(_)) {
            return text;
        }
        if let Some(held) = self.0.get(text.as_str()) {
            return held.clone();
        }
        self.0.insert(text.clone());
        text
    }
}

/// The empty text (an action's absent original or replacement): held by
/// none, made for none.
impl Default for Shared {
    fn default() -> Shared {
        static EMPTY: &str = "";
        Shared(Held::Interned(&EMPTY))
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

impl std::ops::Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Shared {}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Shared {
    fn partial_cmp(&self, other: &Shared) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Shared {
    fn cmp(&self, other: &Shared) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Shared {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Shared, D::Error> {
        String::deserialize(deserializer).map(Shared::owned)
    }
}

/// `text`, held once for the whole process: the rule ids and the rules'
/// messages, a bounded set (a few hundred per rule set), each interned the
/// first time it is met. A long document repeats them hundreds of
/// thousands of times, each a heap copy otherwise.
pub fn shared(text: &str) -> Shared {
    // foldhash: asked for every finding and edit made.
    type Texts = HashMap<&'static str, &'static &'static str, foldhash::fast::RandomState>;
    static TEXTS: OnceLock<Mutex<Texts>> = OnceLock::new();
    let texts = TEXTS.get_or_init(Default::default);
    let mut texts = match texts.lock() {
        Ok(texts) => texts,
        // A panic elsewhere while interning leaves the set as it was.
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(&held) = texts.get(text) {
        return Shared(Held::Interned(held));
    }
    let key: &'static str = Box::leak(text.to_string().into_boxed_str());
    let held: &'static &'static str = Box::leak(Box::new(key));
    texts.insert(key, held);
    Shared(Held::Interned(held))
}

/// A text few values have, behind a thin pointer: eight bytes where it is
/// absent (a finding's suggestion: only repairs make one, and a long
/// document's findings are hundreds of thousands).
///
/// The box is the point (clippy's `box_collection` aside): a `String` is
/// twenty-four bytes, a `Box<str>` sixteen, a box of either eight.
#[allow(clippy::box_collection)]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Thin(Box<String>);

impl std::ops::Deref for Thin {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Thin {
    fn from(text: String) -> Thin {
        Thin(Box::new(text))
    }
}

impl From<&str> for Thin {
    fn from(text: &str) -> Thin {
        Thin::from(text.to_string())
    }
}

impl std::fmt::Debug for Thin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
