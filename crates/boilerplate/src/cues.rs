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

use aho_corasick::MatchKind;

/// A kind of boilerplate that phrases reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cue {
    /// Cookie and consent banners.
    CookieNotice,
    /// Newsletter and subscription prompts.
    Newsletter,
    /// Share bars and social links.
    ShareBar,
    /// Copyright and legal footers.
    Copyright,
    /// Image credits and captions, media player notices.
    MediaCaption,
    /// "Related", "Read more", "Most popular" lists.
    RelatedLinks,
    /// Sign-in, account and paywall prompts.
    Account,
    /// Advertisement labels.
    Advertisement,
    /// Comment sections.
    Comments,
    /// Bylines, dates and reading times on their own.
    Byline,
}

impl Cue {
    /// Every kind, in a fixed order (feature slots follow it).
    pub const ALL: [Cue; 10] = [
        Cue::CookieNotice,
        Cue::Newsletter,
        Cue::ShareBar,
        Cue::Copyright,
        Cue::MediaCaption,
        Cue::RelatedLinks,
        Cue::Account,
        Cue::Advertisement,
        Cue::Comments,
        Cue::Byline,
    ];

    /// The reason written in the `removed` layer.
    pub fn reason(self) -> &'static str {
        match self {
            Cue::CookieNotice => "cookie-notice",
            Cue::Newsletter => "newsletter",
            Cue::ShareBar => "share-bar",
            Cue::Copyright => "copyright",
            Cue::MediaCaption => "media-caption",
            Cue::RelatedLinks => "related-links",
            Cue::Account => "account-prompt",
            Cue::Advertisement => "advertisement",
            Cue::Comments => "comments",
            Cue::Byline => "byline",
        }
    }

    /// Position of this kind in [`Cue::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

const PHRASES: &[(&str, Cue)] = &[
    ("cookie", Cue::CookieNotice),
    ("consent", Cue::CookieNotice),
    ("privacy policy", Cue::CookieNotice),
    ("privacy settings", Cue::CookieNotice),
    ("accept all", Cue::CookieNotice),
    ("reject all", Cue::CookieNotice),
    ("manage preferences", Cue::CookieNotice),
    ("personalised ads", Cue::CookieNotice),
    ("personalized ads", Cue::CookieNotice),
    ("gdpr", Cue::CookieNotice),
    ("this website uses", Cue::CookieNotice),
    ("this site uses", Cue::CookieNotice),
    ("newsletter", Cue::Newsletter),
    ("subscribe", Cue::Newsletter),
    ("sign up for", Cue::Newsletter),
    ("your inbox", Cue::Newsletter),
    ("email address", Cue::Newsletter),
    ("share this", Cue::ShareBar),
    ("share on", Cue::ShareBar),
    ("share via", Cue::ShareBar),
    ("facebook", Cue::ShareBar),
    ("twitter", Cue::ShareBar),
    ("linkedin", Cue::ShareBar),
    ("whatsapp", Cue::ShareBar),
    ("pinterest", Cue::ShareBar),
    ("follow us", Cue::ShareBar),
    ("copy link", Cue::ShareBar),
    ("all rights reserved", Cue::Copyright),
    ("copyright", Cue::Copyright),
    ("©", Cue::Copyright),
    ("terms of use", Cue::Copyright),
    ("terms of service", Cue::Copyright),
    ("terms and conditions", Cue::Copyright),
    ("image copyright", Cue::MediaCaption),
    ("image caption", Cue::MediaCaption),
    ("image source", Cue::MediaCaption),
    ("getty images", Cue::MediaCaption),
    ("photo:", Cue::MediaCaption),
    ("photograph:", Cue::MediaCaption),
    ("media playback", Cue::MediaCaption),
    ("credit:", Cue::MediaCaption),
    ("related", Cue::RelatedLinks),
    ("read more", Cue::RelatedLinks),
    ("read next", Cue::RelatedLinks),
    ("more from", Cue::RelatedLinks),
    ("more on this", Cue::RelatedLinks),
    ("most popular", Cue::RelatedLinks),
    ("most read", Cue::RelatedLinks),
    ("recommended", Cue::RelatedLinks),
    ("you may also like", Cue::RelatedLinks),
    ("trending", Cue::RelatedLinks),
    ("sign in", Cue::Account),
    ("log in", Cue::Account),
    ("login", Cue::Account),
    ("create an account", Cue::Account),
    ("create your free account", Cue::Account),
    ("register", Cue::Account),
    ("password", Cue::Account),
    ("subscriber", Cue::Account),
    ("advertisement", Cue::Advertisement),
    ("sponsored", Cue::Advertisement),
    ("advertising", Cue::Advertisement),
    ("comments", Cue::Comments),
    ("leave a reply", Cue::Comments),
    ("leave a comment", Cue::Comments),
    ("reply", Cue::Comments),
    ("posted by", Cue::Byline),
    ("published", Cue::Byline),
    ("updated", Cue::Byline),
    ("min read", Cue::Byline),
    ("minute read", Cue::Byline),
    ("written by", Cue::Byline),
    // The same kinds in the other languages pages are most often written in (German, French,
    // Spanish, Italian, Portuguese, Polish, Dutch). They add to the language-independent
    // features rather than replace them: a kind's weight is learned from the English pages, and
    // a German "Lesen Sie auch" fires the kind an English "Read more" taught it. Phrases are
    // specific enough not to occur inside ordinary words ("teile diesen", not "teilen", which
    // "mitteilen" contains). Non-ASCII letters match only in lowercase.
    ("datenschutzerklärung", Cue::CookieNotice),
    ("datenschutzeinstellungen", Cue::CookieNotice),
    ("einwilligung", Cue::CookieNotice),
    ("alle akzeptieren", Cue::CookieNotice),
    ("politique de confidentialité", Cue::CookieNotice),
    ("tout accepter", Cue::CookieNotice),
    ("política de privacidad", Cue::CookieNotice),
    ("aceptar todo", Cue::CookieNotice),
    ("informativa sulla privacy", Cue::CookieNotice),
    ("política de privacidade", Cue::CookieNotice),
    ("polityka prywatności", Cue::CookieNotice),
    ("privacybeleid", Cue::CookieNotice),
    ("abonnieren", Cue::Newsletter),
    ("abonnez-vous", Cue::Newsletter),
    ("s'abonner", Cue::Newsletter),
    ("suscríbete", Cue::Newsletter),
    ("suscribirse", Cue::Newsletter),
    ("iscriviti", Cue::Newsletter),
    ("assine", Cue::Newsletter),
    ("subskrypc", Cue::Newsletter),
    ("zapisz się", Cue::Newsletter),
    ("abonneer", Cue::Newsletter),
    ("teile diesen", Cue::ShareBar),
    ("artikel teilen", Cue::ShareBar),
    ("beitrag teilen", Cue::ShareBar),
    ("jetzt teilen", Cue::ShareBar),
    ("teilen auf", Cue::ShareBar),
    ("partager", Cue::ShareBar),
    ("compartir", Cue::ShareBar),
    ("condividi", Cue::ShareBar),
    ("compartilhe", Cue::ShareBar),
    ("udostępnij", Cue::ShareBar),
    ("delen op", Cue::ShareBar),
    ("alle rechte vorbehalten", Cue::Copyright),
    ("tous droits réservés", Cue::Copyright),
    ("derechos reservados", Cue::Copyright),
    ("diritti riservati", Cue::Copyright),
    ("direitos reservados", Cue::Copyright),
    ("prawa zastrzeżone", Cue::Copyright),
    ("rechten voorbehouden", Cue::Copyright),
    ("impressum", Cue::Copyright),
    ("datenschutz", Cue::Copyright),
    ("nutzungsbedingungen", Cue::Copyright),
    ("mentions légales", Cue::Copyright),
    ("aviso legal", Cue::Copyright),
    ("creative commons", Cue::Copyright),
    ("foto:", Cue::MediaCaption),
    ("fotos:", Cue::MediaCaption),
    ("(foto", Cue::MediaCaption),
    ("bild:", Cue::MediaCaption),
    ("bildquelle", Cue::MediaCaption),
    ("quelle:", Cue::MediaCaption),
    ("crédit photo", Cue::MediaCaption),
    ("crédits photo", Cue::MediaCaption),
    ("fot.", Cue::MediaCaption),
    ("lesen sie auch", Cue::RelatedLinks),
    ("auch lesen", Cue::RelatedLinks),
    ("mehr zum thema", Cue::RelatedLinks),
    ("weitere artikel", Cue::RelatedLinks),
    ("weitere beiträge", Cue::RelatedLinks),
    ("weitere themen", Cue::RelatedLinks),
    ("mehr themen", Cue::RelatedLinks),
    ("auch interessieren", Cue::RelatedLinks),
    ("schon gelesen", Cue::RelatedLinks),
    ("ähnliche artikel", Cue::RelatedLinks),
    ("nächster artikel", Cue::RelatedLinks),
    ("nächsten artikel", Cue::RelatedLinks),
    ("vorheriger artikel", Cue::RelatedLinks),
    ("empfohlen", Cue::RelatedLinks),
    ("lire aussi", Cue::RelatedLinks),
    ("à découvrir", Cue::RelatedLinks),
    ("sur le même sujet", Cue::RelatedLinks),
    ("voir aussi", Cue::RelatedLinks),
    ("lee también", Cue::RelatedLinks),
    ("leer más", Cue::RelatedLinks),
    ("puede interesar", Cue::RelatedLinks),
    ("mirá también", Cue::RelatedLinks),
    ("noticias relacionadas", Cue::RelatedLinks),
    ("leggi anche", Cue::RelatedLinks),
    ("potrebbe interessarti", Cue::RelatedLinks),
    ("leia também", Cue::RelatedLinks),
    ("leia mais", Cue::RelatedLinks),
    ("pode gostar", Cue::RelatedLinks),
    ("veja também", Cue::RelatedLinks),
    ("czytaj też", Cue::RelatedLinks),
    ("czytaj także", Cue::RelatedLinks),
    ("zobacz też", Cue::RelatedLinks),
    ("zobacz także", Cue::RelatedLinks),
    ("polecamy", Cue::RelatedLinks),
    ("lees ook", Cue::RelatedLinks),
    ("gerelateerd", Cue::RelatedLinks),
    ("anmelden", Cue::Account),
    ("einloggen", Cue::Account),
    ("registrieren", Cue::Account),
    ("passwort", Cue::Account),
    ("se connecter", Cue::Account),
    ("iniciar sesión", Cue::Account),
    ("zaloguj", Cue::Account),
    ("inloggen", Cue::Account),
    ("anzeige", Cue::Advertisement),
    ("werbung", Cue::Advertisement),
    ("gesponsert", Cue::Advertisement),
    ("publicité", Cue::Advertisement),
    ("publicidad", Cue::Advertisement),
    ("pubblicità", Cue::Advertisement),
    ("publicidade", Cue::Advertisement),
    ("reklama", Cue::Advertisement),
    ("advertentie", Cue::Advertisement),
    ("kommentar", Cue::Comments),
    ("antworten", Cue::Comments),
    ("commentaire", Cue::Comments),
    ("comentario", Cue::Comments),
    ("comentário", Cue::Comments),
    ("commenti", Cue::Comments),
    ("komentarz", Cue::Comments),
    ("reacties", Cue::Comments),
    ("veröffentlicht", Cue::Byline),
    ("aktualisiert", Cue::Byline),
    ("lesezeit", Cue::Byline),
    ("publié le", Cue::Byline),
    ("mis à jour", Cue::Byline),
    ("publicado", Cue::Byline),
    ("actualizado", Cue::Byline),
    ("pubblicato", Cue::Byline),
    ("atualizado", Cue::Byline),
    ("opublikowano", Cue::Byline),
    ("gepubliceerd", Cue::Byline),
];

/// The cue phrases as one automaton with a search loop of its own (see [`CueMatcher`]).
fn matcher() -> &'static CueMatcher {
    static MATCHER: OnceLock<CueMatcher> = OnceLock::new();
    MATCHER.get_or_init(|| CueMatcher::from_dfa(&cue_dfa()))
}

/// Aho-Corasick's DFA of the cue phrases: ASCII case-insensitive, leftmost-longest.
fn cue_dfa() -> aho_corasick::dfa::DFA {
    aho_corasick::dfa::Builder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        // The phrases start with most letters of the alphabet, so a prefilter would fire
        // on nearly every byte and only add restarts to the automaton's own loop.
        .prefilter(false)
        .build(PHRASES.iter().map(|(phrase, _)| phrase))
        .expect("cue phrases are valid literals")
}

/// The bytes that occur in a cue phrase, in either ASCII case.
fn phrase_bytes() -> [bool; 256] {
    let mut present = [false; 256];
    for byte in PHRASES.iter().flat_map(|(phrase, _)| phrase.bytes()) {
        present[usize::from(byte.to_ascii_lowercase())] = true;
        present[usize::from(byte.to_ascii_uppercase())] = true;
    }
    present
}

/// Slots of [`CueMatcher`]'s transition table: states times classes (1,765 times 48 for the
/// phrases above), rounded up to a power of two.
const TABLE_SLOTS: usize = 1 << 17;

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
    fn from_dfa(dfa: &aho_corasick::dfa::DFA) -> Self {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::automaton::StateID;
        use aho_corasick::Anchored;
        let start = dfa.start_state(Anchored::No).expect("an unanchored DFA");
        // A byte that occurs in no phrase, in either case (the search ignores ASCII case),
        // leads every state where any other such byte leads it; one of them stands for all,
        // so the automaton is walked on a few dozen bytes instead of 256 (building the table
        // was most of the stage's set-up).
        let phrase_bytes = phrase_bytes();
        let stand_in = (0..=255u8).find(|&byte| !phrase_bytes[usize::from(byte)]);
        let walked = |byte: u8| phrase_bytes[usize::from(byte)] || Some(byte) == stand_in;
        let walked_bytes: Vec<u8> = (0..=255u8).filter(|&byte| walked(byte)).collect();
        // Our number of each state, by the DFA's id (0: not reached, or the dead state). The
        // ids are offsets into the DFA's own table, so a vector indexed by them is small.
        let mut number: Vec<u32> = Vec::new();
        let mark = |number: &mut Vec<u32>, sid: StateID, value: u32| {
            if number.len() <= sid.as_usize() {
                number.resize(sid.as_usize() + 1, 0);
            }
            number[sid.as_usize()] = value;
        };
        // Every state reachable from the start (the dead state has no way out).
        let mut found: Vec<StateID> = vec![start];
        mark(&mut number, start, 1);
        let mut i = 0;
        while i < found.len() {
            for &byte in &walked_bytes {
                let next = dfa.next_state(Anchored::No, found[i], byte);
                if !dfa.is_dead(next) && number.get(next.as_usize()).is_none_or(|&n| n == 0) {
                    mark(&mut number, next, 1);
                    found.push(next);
                }
            }
            i += 1;
        }
        // Numbering: the dead state 0, then the match states, then the rest.
        found.sort_by_key(|&sid| !dfa.is_match(sid));
        for (n, &sid) in found.iter().enumerate() {
            mark(&mut number, sid, n as u32 + 1);
        }
        let number_of = |sid: StateID| {
            if dfa.is_dead(sid) {
                0
            } else {
                number[sid.as_usize()]
            }
        };
        // Bytes with the same transitions from every state share a class.
        let column = |byte: u8| -> Vec<u32> {
            (found.iter())
                .map(|&sid| number_of(dfa.next_state(Anchored::No, sid, byte)))
                .collect()
        };
        let mut distinct: Vec<Vec<u32>> = Vec::new();
        let mut class_of: rustc_hash::FxHashMap<Vec<u32>, u8> = Default::default();
        let mut classes = [0u8; 256];
        for byte in 0..=255u8 {
            classes[usize::from(byte)] = match stand_in {
                // Bytes after the stand-in (the first byte in no phrase) that are in no phrase
                // either: the stand-in's class, already given.
                Some(stand_in) if !walked(byte) => classes[usize::from(stand_in)],
                _ => {
                    let column = column(byte);
                    *class_of.entry(column.clone()).or_insert_with(|| {
                        distinct.push(column);
                        u8::try_from(distinct.len() - 1).expect("at most 256 classes")
                    })
                }
            };
        }
        let stride = distinct.len() as u32;
        // Row 0 is the dead state; it is never left, since the search stops there.
        assert!(
            (found.len() + 1) * stride as usize <= TABLE_SLOTS,
            "the cue phrases' automaton outgrew its table"
        );
        let mut next: Box<[u32; TABLE_SLOTS]> = vec![0u32; TABLE_SLOTS]
            .into_boxed_slice()
            .try_into()
            .expect("a slice of TABLE_SLOTS");
        for (row, _) in found.iter().enumerate() {
            for (class, column) in distinct.iter().enumerate() {
                next[(row + 1) * stride as usize + class] = column[row] * stride;
            }
        }
        let match_states = found.iter().filter(|&&sid| dfa.is_match(sid)).count();
        let matches = (found.iter().take(match_states))
            .map(|&sid| {
                let pattern = dfa.match_pattern(sid, 0);
                (PHRASES[pattern.as_usize()].1, dfa.pattern_len(pattern))
            })
            .collect();
        CueMatcher {
            classes,
            stride,
            next,
            start: number_of(start) * stride,
            last_special: match_states as u32 * stride,
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

    #[test]
    fn bytes_in_no_phrase_lead_every_state_where_the_stand_in_leads_it() {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::Anchored;
        // The table is built by walking the automaton on the phrases' bytes and one stand-in
        // for all others; that is exact only if no state tells the others apart.
        let dfa = cue_dfa();
        let present = phrase_bytes();
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
        use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind};
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
