//! The layout of the JSON files the tool writes (`provenance.json`,
//! `summary.json`): one item a line. Objects outside arrays are indented
//! as usual, a member a line; each element of an array stands on a line of
//! its own, written compactly (`{"rule":"…","line":3,…}`) — short enough
//! to read and to `grep`, a fraction of the size of fully indented JSON.

use serde::Serialize;
use std::io::{self, Write};

/// Writes `value` in the tool's layout, with a final newline, straight
/// into `out` (no copy of the whole file is held in memory).
///
/// The serializer writes a few bytes at a time: they go into a buffer of
/// its own, whose writes inline, whatever `out` is (a `dyn Write` costs a
/// call a token otherwise).
pub fn write<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    let buffered = io::BufWriter::with_capacity(JSON_BUFFER_BYTES, out);
    let mut serializer = serde_json::Serializer::with_formatter(buffered, ItemPerLine::default());
    value.serialize(&mut serializer)?;
    let mut buffered = serializer.into_inner();
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// The size of that buffer.
const JSON_BUFFER_BYTES: usize = 32 * 1024;

/// `value` in the tool's layout, as bytes.
pub fn to_bytes<T: Serialize + ?Sized>(value: &T) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write(&mut bytes, value)?;
    Ok(bytes)
}

/// A container being written: whether its members or elements stand on
/// lines of their own, and whether it is an array.
#[derive(Debug, Clone, Copy)]
struct Open {
    broken: bool,
    array: bool,
}

/// The formatter: containers inside an array element are compact.
#[derive(Debug, Default)]
struct ItemPerLine {
    open: Vec<Open>,
    /// Whether the container being closed wrote an item (as serde_json's
    /// own pretty formatter: the last call before a container ends is the
    /// end of its last item, or its beginning when it is empty).
    has_value: bool,
}

impl ItemPerLine {
    /// Whether a container opened now breaks its contents over lines:
    /// only when every container around it does and none is an array.
    fn opening(&mut self, array: bool) {
        let broken = self.open.last().is_none_or(|o| o.broken && !o.array);
        self.open.push(Open { broken, array });
        self.has_value = false;
    }

    fn broken(&self) -> bool {
        self.open.last().is_some_and(|o| o.broken)
    }

    fn newline<W: ?Sized + Write>(&self, out: &mut W, depth: usize) -> io::Result<()> {
        out.write_all(b"\n")?;
        for _ in 0..depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn item<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        if self.broken() {
            self.newline(out, self.open.len())?;
        }
        Ok(())
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, empty: bool, end: &[u8]) -> io::Result<()> {
        let closed = self.open.pop();
        if closed.is_some_and(|o| o.broken) && !empty {
            self.newline(out, self.open.len())?;
        }
        out.write_all(end)
    }
}

impl serde_json::ser::Formatter for ItemPerLine {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.opening(true);
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, !self.has_value, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.opening(false);
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, !self.has_value, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(if self.broken() { b": " } else { b":" })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_array_element_stands_on_a_line_of_its_own() {
        let value = serde_json::json!({
            "source": {"path": "a.txt", "bytes": 3},
            "empty": [],
            "none": {},
            "findings": [{"rule": "x", "line": 1, "spans": [[1, 2]]}, {"rule": "y", "line": 2}],
        });
        let text = String::from_utf8(to_bytes(&value).unwrap()).unwrap();
        let expected = "{\n  \"empty\": [],\n  \"findings\": [\n    {\"line\":1,\"rule\":\"x\",\"spans\":[[1,2]]},\n    {\"line\":2,\"rule\":\"y\"}\n  ],\n  \"none\": {},\n  \"source\": {\n    \"bytes\": 3,\n    \"path\": \"a.txt\"\n  }\n}\n";
        assert_eq!(text, expected);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
