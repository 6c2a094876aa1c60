// Rust `slug` (with `deunicode`) over the benchmark corpus: one line per headline.
use std::io::Read;

extern "C" {
    // C's clock(): processor time, the clock every driver of this bench uses.
    fn clock() -> std::os::raw::c_long;
}

fn cpu() -> f64 {
    unsafe { clock() as f64 / 1_000_000.0 }
}

fn main() {
    let path = std::env::args().nth(1).expect("corpus path");
    let rounds: usize = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(3);
    let mut text = String::new();
    std::fs::File::open(&path).unwrap().read_to_string(&mut text).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let mut best = f64::MAX;
    let mut empty = 0;
    for _ in 0..rounds {
        let t = cpu();
        let mut e = 0;
        for l in &lines {
            if slug::slugify(l).is_empty() {
                e += 1;
            }
        }
        let s = cpu() - t;
        if s < best {
            best = s;
        }
        empty = e;
    }
    println!("rust slug 0.1 + deunicode\t{}\t{}\t{}\t{}", best, lines.len(), bytes, empty);
}
