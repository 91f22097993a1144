//! Writes the entity bench fixture: about 1 MB of news-like English with invented names,
//! generated deterministically from templates (no third-party text).
//!
//! ```text
//! cargo run --release -p textpipe-entities --example bench_fixture_entities -- benches/fixtures/entities/news.txt
//! ```
use std::fmt::Write;

const SYLLABLES: &[&str] = &[
    "ka", "ro", "mi", "tan", "sel", "dor", "vi", "lem", "ar", "bu", "zen", "hal", "ne", "sto",
    "qu", "ril", "mar", "po", "den", "li",
];
const ROLES: &[&str] = &[
    "chief executive",
    "spokesman",
    "prime minister",
    "foreign minister",
    "coach",
    "governor",
    "head of research",
    "senior analyst",
];
const ORG_SUFFIXES: &[&str] = &[
    "Bank",
    "Group",
    "Corp",
    "United",
    "Party",
    "Airlines",
    "Institute",
];
const VERBS: &[&str] = &[
    "raise interest rates",
    "sign the agreement",
    "cut jobs",
    "open talks",
    "win the title",
    "review its relations",
    "expand into new markets",
    "delay the vote",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// SplitMix64, so the fixture is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn name(&mut self) -> String {
        let parts = 2 + self.next() % 2;
        let mut name: String = (0..parts).map(|_| self.pick(SYLLABLES)).collect();
        name[..1].make_ascii_uppercase();
        name
    }
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: bench_fixture OUT.txt");
        std::process::exit(2)
    });
    let mut rng = Rng(2024);
    let mut text = String::new();
    while text.len() < 1_000_000 {
        for _ in 0..6 {
            let (person, place) = (format!("{} {}", rng.name(), rng.name()), rng.name());
            let org = format!("{} {}", rng.name(), rng.pick(ORG_SUFFIXES));
            let sentence = match rng.next() % 4 {
                0 => format!(
                    "{person}, the {} of {org}, said on {} that {place} would {}.",
                    rng.pick(ROLES),
                    rng.pick(DAYS),
                    rng.pick(VERBS)
                ),
                1 => format!(
                    "Shares in {org} rose {}.{} percent in {place} after the {} of {} said it would {}.",
                    rng.next() % 10,
                    rng.next() % 10,
                    rng.pick(ROLES),
                    rng.name(),
                    rng.pick(VERBS)
                ),
                2 => format!(
                    "\"We will not {},\" {person} told reporters in {place}, adding that {org}'s plans were unchanged.",
                    rng.pick(VERBS)
                ),
                _ => format!(
                    "Officials in {place} and {} met {person} on {} to discuss the ${} million deal with {org}.",
                    rng.name(),
                    rng.pick(DAYS),
                    rng.next() % 900 + 10
                ),
            };
            let _ = write!(text, "{sentence} ");
        }
        text.pop();
        text.push_str("\n\n");
    }
    std::fs::write(&out, text).unwrap_or_else(|e| {
        eprintln!("{out}: {e}");
        std::process::exit(1)
    });
}
