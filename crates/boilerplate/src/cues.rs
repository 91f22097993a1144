//! Lexical cues: phrases that betray a kind of boilerplate.
//!
//! Length and stop-word density cannot tell a cookie notice from a paragraph: both are long
//! prose. Their vocabulary can. Each cue phrase belongs to a [`Cue`] kind; the classifier gets
//! one feature per kind found (so it learns how much each kind matters, and a notice phrased in
//! a way it never saw still fires its kind), and a dropped block is reported with the kind as
//! its reason, which keeps the `removed` layer readable.
//!
//! Matching is one Aho-Corasick pass, ASCII case-insensitive, over the block text, with a
//! search loop of our own over the crate's automaton ([`CueMatcher`]).

use std::sync::OnceLock;

mod phrases;
mod table;

pub use phrases::Cue;
use phrases::PHRASES;
use table::{CueTable, TABLE_SLOTS};

/// The cue phrases' table as the build script made it (see `build.rs` and [`CueTable`]).
const BUILT_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cues.table"));

/// The cue phrases as one automaton with a search loop of its own (see [`CueMatcher`]).
fn matcher() -> &'static CueMatcher {
    static MATCHER: OnceLock<CueMatcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let table = CueTable::from_bytes(BUILT_TABLE).expect("the build script's cue table");
        CueMatcher::from_table(&table)
    })
}

/// Aho-Corasick's DFA of the cue phrases (ASCII case-insensitive, leftmost-longest), copied
/// into a table walked by a loop of our own.
///
/// The phrase search reads every byte of every block, and the crate's generic search loop
/// spends about eighteen instructions per byte (its input bounds, byte classes and state
/// checks behind several layers). Here a byte is one class lookup, one table load and one
/// comparison: the states that end the step (the dead state and the match states) are
/// numbered first, so a single `<=` tells whether anything happened. The matches are the
/// crate's own, found the way its non-overlapping search finds them (a search restarts after
/// each match; a match state is remembered until the dead state or the end); tests compare
/// both on many texts.
struct CueMatcher {
    /// Byte to class: bytes whose transitions are the same from every state share one.
    classes: [u8; 256],
    /// Number of classes: the stride of `next`.
    stride: u32,
    /// For state `s` (premultiplied: `s * stride`) and class `c`, the next state, premultiplied,
    /// at `s + c`. A power of two in size, so that a mask, not a bounds test, keeps the index
    /// inside.
    next: Box<[u32; TABLE_SLOTS]>,
    /// The unanchored start state, premultiplied.
    start: u32,
    /// Match states and the dead state (0) are the premultiplied states up to this one.
    last_special: u32,
    /// Per match state (by state number, 1..), the cue kind and the phrase length of its
    /// match.
    matches: Vec<(Cue, usize)>,
}

impl CueMatcher {
    fn from_table(table: &CueTable) -> Self {
        let mut next: Box<[u32; TABLE_SLOTS]> = vec![0u32; TABLE_SLOTS]
            .into_boxed_slice()
            .try_into()
            .expect("a slice of TABLE_SLOTS");
        next[..table.next.len()].copy_from_slice(&table.next);
        let matches = (table.matches.iter())
            .map(|&(pattern, len)| (PHRASES[pattern as usize].1, len as usize))
            .collect();
        CueMatcher {
            classes: table.classes,
            stride: table.stride,
            next,
            start: table.start,
            last_special: table.last_special,
            matches,
        }
    }

    /// Calls `found` with the kind and the byte range of every cue phrase in `text`, left to
    /// right, without overlaps (leftmost-longest, as Aho-Corasick's `find_iter` reports them).
    #[inline]
    fn for_each_match(&self, text: &str, mut found: impl FnMut(Cue, std::ops::Range<usize>)) {
        let bytes = text.as_bytes();
        // Locals, so that the loop keeps them in registers.
        let (classes, next, last_special) = (&self.classes, &*self.next, self.last_special);
        let mut from = 0;
        while from < bytes.len() {
            let mut state = self.start;
            // The last match state passed: its match, ending at the byte that entered it.
            let mut last: Option<(u32, usize)> = None;
            // One step: false when the dead state ends the search.
            let mut step = |byte: u8, end: usize| {
                let class = u32::from(classes[usize::from(byte)]);
                state = next[(state + class) as usize & (TABLE_SLOTS - 1)];
                if state <= last_special {
                    if state == 0 {
                        return false;
                    }
                    last = Some((state, end));
                }
                true
            };
            // Eight bytes per round of the loop while eight remain, then four, then one at a
            // time: the loop's own tests are paid per round, not per byte.
            let mut at = from;
            'search: {
                while let Some(eight) = bytes.get(at..at + 8) {
                    for (offset, &byte) in eight.iter().enumerate() {
                        if !step(byte, at + offset + 1) {
                            break 'search;
                        }
                    }
                    at += 8;
                }
                if let Some(&[a, b, c, d]) = bytes.get(at..at + 4) {
                    if !(step(a, at + 1) && step(b, at + 2) && step(c, at + 3) && step(d, at + 4)) {
                        break 'search;
                    }
                    at += 4;
                }
                for (offset, &byte) in bytes[at..].iter().enumerate() {
                    if !step(byte, at + offset + 1) {
                        break;
                    }
                }
            }
            let Some((state, end)) = last else {
                return;
            };
            let (cue, len) = self.matches[(state / self.stride) as usize - 1];
            found(cue, end - len..end);
            from = end;
        }
    }
}

/// The set of cue kinds found in `text`, as bits indexed by [`Cue::index`].
pub fn cues_in(text: &str) -> u32 {
    let mut found = 0u32;
    matcher().for_each_match(text, |cue, _| found |= 1 << cue.index());
    found
}

/// How many cue phrases of each kind `text` contains (saturating), indexed by
/// [`Cue::index`]. A notice repeats its vocabulary ("cookies", "consent", "privacy policy"), an
/// article that mentions cookies once does not, so the count says more than presence.
pub fn cue_counts(text: &str) -> [u8; Cue::ALL.len()] {
    let mut counts = [0u8; Cue::ALL.len()];
    matcher().for_each_match(text, |cue, _| {
        let slot = &mut counts[cue.index()];
        *slot = slot.saturating_add(1);
    });
    counts
}

/// [`cue_counts`] of each of `texts`.
pub fn cue_counts_per_block<'a>(
    texts: impl ExactSizeIterator<Item = &'a str>,
) -> Vec<[u8; Cue::ALL.len()]> {
    // No phrase holds a line break, so a search of each block finds what one search of the
    // blocks joined by newlines found (which spared the search set-up of the crate's loop
    // per block; this loop has none to spare).
    texts.map(cue_counts).collect()
}

/// The first kind (in [`Cue::ALL`] order) present in `bits`.
pub fn strongest(bits: u32) -> Option<Cue> {
    Cue::ALL
        .into_iter()
        .find(|cue| bits & (1 << cue.index()) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase_texts() -> Vec<&'static str> {
        PHRASES.iter().map(|(phrase, _)| *phrase).collect()
    }

    #[test]
    fn the_table_the_build_made_is_the_one_the_phrases_make() {
        let built = CueTable::from_bytes(BUILT_TABLE).unwrap();
        let made = CueTable::build(&phrase_texts());
        assert_eq!(built, made);
        assert_eq!(CueTable::from_bytes(&made.to_bytes()), Ok(made.clone()));
        let bytes = made.to_bytes();
        assert!(CueTable::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn bytes_in_no_phrase_lead_every_state_where_the_stand_in_leads_it() {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::Anchored;
        // The table is built by walking the automaton on the phrases' bytes and one stand-in
        // for all others; that is exact only if no state tells the others apart.
        let phrases = phrase_texts();
        let dfa = table::phrase_dfa(&phrases);
        let present = table::phrase_bytes(&phrases);
        let absent: Vec<u8> = (0..=255u8).filter(|&b| !present[usize::from(b)]).collect();
        assert!(absent.len() > 100, "most bytes are in no phrase");
        let mut seen = std::collections::HashSet::new();
        let mut states = vec![dfa.start_state(Anchored::No).unwrap()];
        while let Some(state) = states.pop() {
            if !seen.insert(state) {
                continue;
            }
            let stand_in = dfa.next_state(Anchored::No, state, absent[0]);
            for &byte in &absent {
                assert_eq!(dfa.next_state(Anchored::No, state, byte), stand_in);
            }
            for byte in 0..=255u8 {
                let next = dfa.next_state(Anchored::No, state, byte);
                if !dfa.is_dead(next) {
                    states.push(next);
                }
            }
        }
        assert!(seen.len() > 1000, "every state was visited: {}", seen.len());
    }

    #[test]
    fn finds_kinds_in_any_case() {
        let bits = cues_in("This website uses COOKIES. Share this article.");
        assert_ne!(bits & (1 << Cue::CookieNotice.index()), 0);
        assert_ne!(bits & (1 << Cue::ShareBar.index()), 0);
        assert_eq!(strongest(bits), Some(Cue::CookieNotice));
        assert_eq!(cues_in("Protesters attacked the embassy."), 0);
        let counts = cue_counts("We use cookies. Cookie settings. Accept all.");
        assert_eq!(counts[Cue::CookieNotice.index()], 3);
    }

    #[test]
    fn other_languages_fire_the_same_kinds() {
        let related = 1 << Cue::RelatedLinks.index();
        assert_eq!(cues_in("Lesen Sie auch: Die Bahn streikt"), related);
        assert_eq!(cues_in("Zobacz także"), related);
        assert_eq!(
            strongest(cues_in("Alle Rechte vorbehalten")),
            Some(Cue::Copyright)
        );
        // Ordinary German prose with "teilen" inside a word fires nothing.
        assert_eq!(
            cues_in("Die Behörden mitteilen, dass die Straße frei ist."),
            0
        );
    }

    /// The crate's own search over the same phrases: what [`CueMatcher`] must find.
    fn reference_matches(text: &str) -> Vec<(Cue, std::ops::Range<usize>)> {
        use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
        let searcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .prefilter(false)
            .kind(Some(AhoCorasickKind::DFA))
            .build(PHRASES.iter().map(|(phrase, _)| phrase))
            .unwrap();
        (searcher.find_iter(text))
            .map(|hit| (PHRASES[hit.pattern().as_usize()].1, hit.range()))
            .collect()
    }

    fn matches(text: &str) -> Vec<(Cue, std::ops::Range<usize>)> {
        let mut found = Vec::new();
        matcher().for_each_match(text, |cue, range| found.push((cue, range)));
        found
    }

    #[test]
    fn own_search_loop_finds_what_the_crate_finds() {
        let mut texts: Vec<String> = [
            "",
            "We use COOKIES and cookie consent. Privacy Policy, privacy settings; accept all",
            "sign in sign up for our newsletter subscriber subscribe read more related unrelated",
            "© 2025 Photo: AP (Foto: dpa) fot. Credit: x copyright image copyright",
            "Lesen Sie auch: Ähnliche Artikel ähnliche artikel nächster artikel ©©",
            "publié le mis à jour polityka prywatności zapisz się czytaj też",
            "commentscommentsreply leave a commentleave a reply minute readmin read",
            "the theme of this site uses this website uses",
        ]
        .map(String::from)
        .into();
        // Every phrase alone, inside words, doubled, cut short and at the end of a text.
        for (phrase, _) in PHRASES {
            texts.push(phrase.to_string());
            texts.push(format!("x{phrase}y {}", phrase.to_uppercase()));
            let half: String = phrase.chars().take(phrase.chars().count() / 2).collect();
            texts.push(format!("{phrase}{phrase} {half}"));
            let cut: String = phrase.chars().take(phrase.chars().count() - 1).collect();
            texts.push(format!("{cut} {cut}{phrase}"));
        }
        for text in &texts {
            assert_eq!(matches(text), reference_matches(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn own_search_loop_agrees_with_the_crate(text in "((cookie|consent|share|this|on|all|read|more|reply|comments|foto|photo|©|ä|é|[a-z:(. ]){0,12})|\\PC{0,40}") {
            proptest::prop_assert_eq!(matches(&text), reference_matches(&text));
        }
    }

    #[test]
    fn per_block_counts_equal_counts_of_each_block() {
        let texts = ["Accept all cookies", "", "Share this", "cookie", "x ©"];
        let per_block = cue_counts_per_block(texts.iter().copied());
        let each: Vec<_> = texts.iter().map(|t| cue_counts(t)).collect();
        assert_eq!(per_block, each);
    }
}
