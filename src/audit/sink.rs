//! Where the cleaned text and the diff are written as they are made, never
//! held whole: a file (through [`IoSink`], which keeps the first error), a
//! running SHA-256 and byte count ([`HashSink`], what the report records
//! before the files are written), or bytes in memory (`Vec<u8>`).

use sha2::{Digest, Sha256};
use std::io::Write;

/// Length and SHA-256 of an output, as the report records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixity {
    pub bytes: usize,
    pub sha256: String,
}

/// Takes the bytes of an output as they are made.
pub trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// The SHA-256 and length of what it is given.
#[derive(Default)]
pub struct HashSink {
    hasher: Sha256,
    bytes: usize,
}

impl Sink for HashSink {
    fn put(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.bytes += bytes.len();
    }
}

impl HashSink {
    /// The length in bytes and the SHA-256 (lower-case hex).
    pub fn finish(self) -> Fixity {
        Fixity {
            bytes: self.bytes,
            sha256: format!("{:x}", self.hasher.finalize()),
        }
    }
}

/// A writer as a sink: the first error is kept, and nothing more written.
/// The bytes go through a buffer of its own, whose writes inline (a line
/// at a time through a `dyn Write` costs a call each otherwise).
pub struct IoSink<'w> {
    out: std::io::BufWriter<&'w mut dyn Write>,
    error: Option<std::io::Error>,
}

impl<'w> IoSink<'w> {
    pub fn new(out: &'w mut dyn Write) -> IoSink<'w> {
        IoSink {
            out: std::io::BufWriter::with_capacity(SINK_BUFFER_BYTES, out),
            error: None,
        }
    }

    /// Writes what is buffered; the first error met, if any.
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.error.is_none() {
            self.out.flush()?;
        }
        self.error.map_or(Ok(()), Err)
    }
}

/// The size of that buffer.
const SINK_BUFFER_BYTES: usize = 32 * 1024;

impl Sink for IoSink<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(bytes) {
                self.error = Some(e);
            }
        }
    }
}

/// Two sinks given the same bytes: a file and the hash of what is written
/// to it.
pub struct Tee<A, B>(pub A, pub B);

impl<A: Sink, B: Sink> Sink for Tee<A, B> {
    fn put(&mut self, bytes: &[u8]) {
        self.0.put(bytes);
        self.1.put(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_sha256_and_keeps_the_first_write_error() {
        let mut hash = HashSink::default();
        hash.put(b"ab");
        hash.put(b"c");
        assert_eq!(
            hash.finish(),
            Fixity {
                bytes: 3,
                sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
                    .to_string()
            }
        );
        let mut full = [0u8; 2];
        let mut slice: &mut [u8] = &mut full;
        let mut sink = IoSink::new(&mut slice);
        sink.put(b"abc");
        sink.put(b"d");
        assert!(sink.finish().is_err());
    }
}
