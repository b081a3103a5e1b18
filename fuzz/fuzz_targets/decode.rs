//! Decoding any bytes: never a panic, and the lines cover the bytes.
#![no_main]

use declass::audit::decode::{decode, Decoded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Decoded::Text(doc) = decode(data.to_vec()) {
        let mut covered = 0;
        for i in 0..doc.len() {
            let raw = doc.raw_line(i);
            covered += raw.len();
            let _ = doc.line(i);
        }
        // The first line's raw bytes include a byte-order mark.
        assert_eq!(covered, data.len(), "lines cover the bytes");
    }
});
