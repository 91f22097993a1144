//! Writes the news-like benchmark fixture of the `sentences` bench, deterministically: the
//! same bytes on every machine, made from a fixed seed and the small word lists below (no
//! third-party text).
//!
//! ```text
//! cargo run --release -p textpipe-sentences --example bench_fixture_sentences -- benches/fixtures/sentences/news.txt
//! ```
//!
//! The text mixes what news copy is made of: titles and initials ("Dr. A. Novak"), corporate
//! suffixes, "U.S.", decimals and money, quotes with the period inside, questions, dates with
//! abbreviated months, and paragraphs separated by blank lines, so every rule of the splitter
//! is exercised at a realistic rate.

use std::process::ExitCode;

const TARGET_BYTES: usize = 3 * 1024 * 1024;

const NAMES: &[&str] = &[
    "Novak",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Alvarez",
    "Kowalski",
    "Brennan",
    "Haddad",
    "Silva",
    "Petrov",
    "Nakamura",
    "Osei",
    "Fischer",
    "Quinn",
    "Rahman",
];
const TITLES: &[&str] = &["Mr.", "Mrs.", "Dr.", "Prof.", "Sen.", "Gov.", "Gen.", "Ms."];
const COMPANIES: &[&str] = &[
    "Northwind Inc.",
    "Contoso Corp.",
    "Fabrikam Ltd.",
    "Globex Co.",
    "Initech Inc.",
    "Umbrella Corp.",
    "Vandelay Industries",
    "Stark & Sons Ltd.",
];
const PLACES: &[&str] = &[
    "the U.S. capital",
    "Brussels",
    "St. Louis",
    "the capital",
    "Lagos",
    "Osaka",
    "the region",
    "Mt. Vernon",
    "the U.K. market",
    "Washington",
];
const VERBS: &[&str] = &[
    "said",
    "announced",
    "reported",
    "warned",
    "confirmed",
    "denied",
    "argued",
    "estimated",
];
const SUBJECTS: &[&str] = &[
    "the committee",
    "investors",
    "the ministry",
    "local officials",
    "the union",
    "analysts",
    "the central bank",
    "residents",
    "the board",
    "regulators",
];
const OBJECTS: &[&str] = &[
    "the new budget",
    "a wider inquiry",
    "the merger",
    "interest rates",
    "the election results",
    "a cease-fire",
    "the pension plan",
    "record exports",
    "the trade talks",
    "rising prices",
];
const MONTHS: &[&str] = &[
    "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "March",
];
const OPENERS: &[&str] = &[
    "However,",
    "Meanwhile,",
    "In a statement,",
    "Still,",
    "On Monday,",
];

/// A small xorshift generator: deterministic and dependency-free.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn person(r: &mut Random) -> String {
    match r.below(3) {
        0 => format!("{} {}", r.pick(TITLES), r.pick(NAMES)),
        1 => format!(
            "{}. {}. {}",
            (b'A' + r.below(26) as u8) as char,
            (b'A' + r.below(26) as u8) as char,
            r.pick(NAMES)
        ),
        _ => format!("{} {}", r.pick(NAMES), r.pick(NAMES)),
    }
}

fn sentence(r: &mut Random) -> String {
    match r.below(8) {
        0 => format!(
            "{} {} that {} would review {} by {} {}.",
            person(r),
            r.pick(VERBS),
            r.pick(SUBJECTS),
            r.pick(OBJECTS),
            r.pick(MONTHS),
            1 + r.below(28)
        ),
        1 => format!(
            "Shares of {} rose {}.{} percent to ${}.{:02} in early trading.",
            r.pick(COMPANIES),
            r.below(9),
            r.below(10),
            10 + r.below(490),
            r.below(100)
        ),
        2 => format!(
            "\"We will not accept {},\" {} told reporters in {}.",
            r.pick(OBJECTS),
            person(r),
            r.pick(PLACES)
        ),
        3 => format!(
            "{} {} {} after talks in {}.",
            r.pick(OPENERS),
            r.pick(SUBJECTS),
            r.pick(VERBS),
            r.pick(PLACES)
        ),
        4 => format!(
            "Will {} change {}?",
            r.pick(SUBJECTS),
            r.pick(OBJECTS)
        ),
        5 => format!(
            "The deal, valued at about ${}.{} billion, was signed by {} and {}, e.g. its largest rival.",
            1 + r.below(40),
            r.below(10),
            r.pick(COMPANIES),
            r.pick(COMPANIES)
        ),
        6 => format!(
            "According to {}, {} fell to {} from {} a year earlier (see No. {}).",
            person(r),
            r.pick(OBJECTS),
            100 + r.below(900),
            100 + r.below(900),
            1 + r.below(20)
        ),
        _ => format!(
            "{} called it \"{}.\"",
            person(r),
            r.pick(OBJECTS)
        ),
    }
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bench_fixture OUTPUT.txt");
        return ExitCode::FAILURE;
    };
    let mut random = Random(0x5EED_1DEA_2024_0001);
    let mut text = String::with_capacity(TARGET_BYTES + 4096);
    while text.len() < TARGET_BYTES {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let sentences = 2 + random.below(5);
        for i in 0..sentences {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&sentence(&mut random));
        }
    }
    text.push('\n');
    if let Err(error) = std::fs::write(&path, text) {
        eprintln!("{path}: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
