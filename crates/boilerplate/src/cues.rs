//! Lexical cues: phrases that betray a kind of boilerplate.
//!
//! Length and stop-word density cannot tell a cookie notice from a paragraph: both are long
//! prose. Their vocabulary can. Each cue phrase belongs to a [`Cue`] kind; the classifier gets
//! one feature per kind found (so it learns how much each kind matters, and a notice phrased in
//! a way it never saw still fires its kind), and a dropped block is reported with the kind as
//! its reason, which keeps the `removed` layer readable.
//!
//! Matching is one Aho-Corasick pass, ASCII case-insensitive, over the block text.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

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

fn matcher() -> &'static AhoCorasick {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    MATCHER.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // The phrases start with most letters of the alphabet, so a prefilter fires on
            // nearly every byte and only adds restarts to the automaton's own loop.
            .prefilter(false)
            .kind(Some(AhoCorasickKind::DFA))
            .build(PHRASES.iter().map(|(phrase, _)| phrase))
            .expect("cue phrases are valid literals")
    })
}

/// The set of cue kinds found in `text`, as bits indexed by [`Cue::index`].
pub fn cues_in(text: &str) -> u32 {
    let mut found = 0u32;
    for hit in matcher().find_iter(text) {
        found |= 1 << PHRASES[hit.pattern().as_usize()].1.index();
    }
    found
}

/// How many cue phrases of each kind `text` contains (saturating), indexed by
/// [`Cue::index`]. A notice repeats its vocabulary ("cookies", "consent", "privacy policy"), an
/// article that mentions cookies once does not, so the count says more than presence.
pub fn cue_counts(text: &str) -> [u8; Cue::ALL.len()] {
    let mut counts = [0u8; Cue::ALL.len()];
    for hit in matcher().find_iter(text) {
        let slot = &mut counts[PHRASES[hit.pattern().as_usize()].1.index()];
        *slot = slot.saturating_add(1);
    }
    counts
}

/// [`cue_counts`] of each of `texts`, found in one pass.
///
/// The texts are joined with newlines (no phrase spans one) and searched once: a page has
/// hundreds of short blocks, and one long search costs far less than hundreds of short ones.
pub fn cue_counts_per_block<'a>(
    texts: impl ExactSizeIterator<Item = &'a str>,
) -> Vec<[u8; Cue::ALL.len()]> {
    let mut counts = vec![[0u8; Cue::ALL.len()]; texts.len()];
    let mut joined = String::new();
    let mut ends = Vec::with_capacity(counts.len());
    for text in texts {
        joined.push_str(text);
        ends.push(joined.len());
        joined.push('\n');
    }
    let mut block = 0;
    for hit in matcher().find_iter(&joined) {
        while ends[block] < hit.end() {
            block += 1;
        }
        let slot = &mut counts[block][PHRASES[hit.pattern().as_usize()].1.index()];
        *slot = slot.saturating_add(1);
    }
    counts
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

    #[test]
    fn per_block_counts_equal_counts_of_each_block() {
        let texts = ["Accept all cookies", "", "Share this", "cookie", "x ©"];
        let per_block = cue_counts_per_block(texts.iter().copied());
        let each: Vec<_> = texts.iter().map(|t| cue_counts(t)).collect();
        assert_eq!(per_block, each);
    }
}
