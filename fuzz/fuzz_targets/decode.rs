//! Decoding any bytes: never a panic, and the lines give back the bytes,
//! each line's original bytes made again from its text when the file was
//! decoded from Windows-1252 (whose bytes are not held).
#![no_main]

use declass::audit::decode::{decode, Decoded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Decoded::Text(doc) = decode(data.to_vec()) {
        let mut given_back = Vec::with_capacity(data.len());
        for i in 0..doc.len() {
            // The first line's raw bytes include a byte-order mark.
            given_back.extend_from_slice(&doc.raw_content(i));
            given_back.extend_from_slice(doc.ending(i).as_bytes());
            let _ = doc.line(i);
        }
        assert_eq!(given_back, data, "lines give back the bytes");
        assert_eq!(doc.bytes(), data.len());
    }
});
