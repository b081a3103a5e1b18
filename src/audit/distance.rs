//! Edit distance (Levenshtein, over characters) within a bound: how far an
//! OCR reading is from a word or from another copy of a stamp's field.
//! Most comparisons are of short ASCII strings (a reviewer's code, a case
//! number, a marking word), which are compared here by Hyyrö's
//! bit-parallel algorithm without set-up; the others by rapidfuzz.

/// The edit distance from `a` to `b` when it is at most `allowed`.
pub fn within(a: &str, b: &str, allowed: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() && a.len() <= 64 {
        // The distance is at least the difference in length.
        if a.len().abs_diff(b.len()) > allowed {
            return None;
        }
        let distance = short_ascii_distance(a.as_bytes(), b.as_bytes());
        return (distance <= allowed).then_some(distance);
    }
    let args = rapidfuzz::distance::levenshtein::Args::default().score_cutoff(allowed);
    rapidfuzz::distance::levenshtein::distance_with_args(a.chars(), b.chars(), &args)
}

/// The edit distance between `a` (64 bytes at most) and `b`: one machine
/// word holds a column of the distance table as bit vectors of its
/// vertical differences (Hyyrö 2003, as rapidfuzz computes it for short
/// strings), with the positions of each ASCII character in `a` as bits.
fn short_ascii_distance(a: &[u8], b: &[u8]) -> usize {
    let m = a.len();
    if m == 0 {
        return b.len();
    }
    let mut positions = [0u64; 128];
    for (i, &x) in a.iter().enumerate() {
        positions[usize::from(x & 0x7f)] |= 1 << i;
    }
    let mut vp: u64 = if m == 64 { u64::MAX } else { (1 << m) - 1 };
    let mut vn: u64 = 0;
    let last = 1u64 << (m - 1);
    let mut distance = m;
    for &c in b {
        let pm = positions[usize::from(c & 0x7f)];
        let d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            distance += 1;
        } else if hn & last != 0 {
            distance -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
    }
    distance
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distance as rapidfuzz computes it for any strings.
    fn rapidfuzz(a: &str, b: &str, allowed: usize) -> Option<usize> {
        let args = rapidfuzz::distance::levenshtein::Args::default().score_cutoff(allowed);
        rapidfuzz::distance::levenshtein::distance_with_args(a.chars(), b.chars(), &args)
    }

    #[test]
    fn short_ascii_strings_measure_as_rapidfuzz_measures_them() {
        // Strings of a small alphabet (many near pairs), of every length
        // to 70, from a fixed linear congruential sequence.
        let mut state: u64 = 20_261_201;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize
        };
        let text = |n: usize, next: &mut dyn FnMut() -> usize| -> String {
            (0..n).map(|_| b"ABC -9"[next() % 6] as char).collect()
        };
        let mut pairs: Vec<(String, String)> = vec![
            (String::new(), String::new()),
            (String::new(), "NARA".into()),
            ("NARS".into(), String::new()),
            ("NLT-HC".into(), "NL T-HG".into()),
            ("A".repeat(64), "A".repeat(70)),
            ("A".repeat(64), "B".repeat(64)),
        ];
        for i in 0..3_000 {
            let a = text(i % 71, &mut next);
            let b = if i % 2 == 0 {
                let n = next() % 71;
                text(n, &mut next)
            } else {
                format!("{}x", &a[..a.len() / 2])
            };
            pairs.push((a, b));
        }
        for (a, b) in &pairs {
            for allowed in [0, 1, 2, 3, 5, 80] {
                assert_eq!(
                    within(a, b, allowed),
                    rapidfuzz(a, b, allowed),
                    "{a:?} {b:?} {allowed}"
                );
            }
        }
        // Not ASCII, or longer than a word: rapidfuzz itself.
        assert_eq!(within("caf\u{e9}", "cafe", 1), Some(1));
    }
}
