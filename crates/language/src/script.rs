//! Which writing system a text is in, by counting its letters.
//!
//! The script settles the language outright for most of the world's scripts (Greek, Hangul,
//! Thai...), narrows it to a few for others (Cyrillic, Arabic, Han and kana), and leaves the
//! Latin alphabet, shared by most languages textpipe meets, to the n-gram model.

/// A writing system, as far as language identification cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Latin letters, with their accented and extended forms.
    Latin,
    /// Cyrillic.
    Cyrillic,
    /// Greek.
    Greek,
    /// Arabic, with the Persian and Urdu letters.
    Arabic,
    /// Hebrew.
    Hebrew,
    /// Chinese characters (also written in Japanese).
    Han,
    /// Japanese hiragana and katakana.
    Kana,
    /// Korean.
    Hangul,
    /// Devanagari (Hindi, Marathi, Nepali).
    Devanagari,
    /// Bengali.
    Bengali,
    /// Gurmukhi (Punjabi).
    Gurmukhi,
    /// Gujarati.
    Gujarati,
    /// Tamil.
    Tamil,
    /// Telugu.
    Telugu,
    /// Kannada.
    Kannada,
    /// Malayalam.
    Malayalam,
    /// Sinhala.
    Sinhala,
    /// Thai.
    Thai,
    /// Lao.
    Lao,
    /// Myanmar (Burmese).
    Myanmar,
    /// Georgian.
    Georgian,
    /// Armenian.
    Armenian,
    /// Ethiopic (Amharic, Tigrinya).
    Ethiopic,
    /// Khmer.
    Khmer,
    /// Any other letter.
    Other,
}

impl Script {
    /// Every script, in census order.
    pub const ALL: [Script; 25] = [
        Script::Latin,
        Script::Cyrillic,
        Script::Greek,
        Script::Arabic,
        Script::Hebrew,
        Script::Han,
        Script::Kana,
        Script::Hangul,
        Script::Devanagari,
        Script::Bengali,
        Script::Gurmukhi,
        Script::Gujarati,
        Script::Tamil,
        Script::Telugu,
        Script::Kannada,
        Script::Malayalam,
        Script::Sinhala,
        Script::Thai,
        Script::Lao,
        Script::Myanmar,
        Script::Georgian,
        Script::Armenian,
        Script::Ethiopic,
        Script::Khmer,
        Script::Other,
    ];

    /// The script of a letter (`None` for anything that is not a letter).
    pub fn of(c: char) -> Option<Script> {
        if c.is_ascii() {
            return c.is_ascii_alphabetic().then_some(Script::Latin);
        }
        if !c.is_alphabetic() {
            return None;
        }
        let script = match c as u32 {
            0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => Script::Latin,
            0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            0x0530..=0x058F => Script::Armenian,
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF => Script::Arabic,
            0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
            0x0900..=0x097F => Script::Devanagari,
            0x0980..=0x09FF => Script::Bengali,
            0x0A00..=0x0A7F => Script::Gurmukhi,
            0x0A80..=0x0AFF => Script::Gujarati,
            0x0B80..=0x0BFF => Script::Tamil,
            0x0C00..=0x0C7F => Script::Telugu,
            0x0C80..=0x0CFF => Script::Kannada,
            0x0D00..=0x0D7F => Script::Malayalam,
            0x0D80..=0x0DFF => Script::Sinhala,
            0x0E00..=0x0E7F => Script::Thai,
            0x0E80..=0x0EFF => Script::Lao,
            0x1000..=0x109F => Script::Myanmar,
            0x10A0..=0x10FF | 0x2D00..=0x2D2F => Script::Georgian,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x1200..=0x139F => Script::Ethiopic,
            0x1780..=0x17FF => Script::Khmer,
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF => Script::Han,
            _ => Script::Other,
        };
        Some(script)
    }

    /// The one language a script is (nearly) only written in, for the scripts where that holds
    /// well enough for news and web text.
    pub fn sole_language(self) -> Option<&'static str> {
        Some(match self {
            Script::Greek => "el",
            Script::Hebrew => "he",
            Script::Hangul => "ko",
            Script::Devanagari => "hi",
            Script::Bengali => "bn",
            Script::Gurmukhi => "pa",
            Script::Gujarati => "gu",
            Script::Tamil => "ta",
            Script::Telugu => "te",
            Script::Kannada => "kn",
            Script::Malayalam => "ml",
            Script::Sinhala => "si",
            Script::Thai => "th",
            Script::Lao => "lo",
            Script::Myanmar => "my",
            Script::Georgian => "ka",
            Script::Armenian => "hy",
            Script::Ethiopic => "am",
            Script::Khmer => "km",
            _ => return None,
        })
    }

    /// Letters of syllabic and logographic scripts carry about a word's worth of
    /// information each, so they weigh more when scripts compete and when a text is judged
    /// long enough.
    pub fn weight(self) -> usize {
        match self {
            Script::Han | Script::Kana | Script::Hangul => 3,
            _ => 1,
        }
    }
}

/// How many letters of each script a text has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptCensus {
    counts: [usize; Script::ALL.len()],
}

impl ScriptCensus {
    /// Counts the letters of `text` by script.
    pub fn of(text: &str) -> Self {
        let mut census = ScriptCensus::default();
        let bytes = text.as_bytes();
        let mut ascii_letters = 0;
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            // Most web text is mostly ASCII: count its letters without decoding.
            if byte < 0x80 {
                ascii_letters += usize::from(byte.is_ascii_alphabetic());
                at += 1;
                continue;
            }
            let c = text[at..].chars().next().unwrap_or_default();
            if let Some(script) = Script::of(c) {
                census.counts[script as usize] += 1;
            }
            at += c.len_utf8();
        }
        census.counts[Script::Latin as usize] += ascii_letters;
        census
    }

    /// Letters of `script`.
    pub fn count(&self, script: Script) -> usize {
        self.counts[script as usize]
    }

    /// All letters, each weighted by [`Script::weight`].
    pub fn weighted_letters(&self) -> usize {
        Script::ALL
            .iter()
            .map(|&s| self.count(s) * s.weight())
            .sum()
    }

    /// The script with the most (weighted) letters, Han and kana counted together as
    /// Japanese-or-Chinese and reported as `Han`; with its share of the weighted letters.
    pub fn dominant(&self) -> Option<(Script, f32)> {
        let total = self.weighted_letters();
        if total == 0 {
            return None;
        }
        let weighted = |s: Script| self.count(s) * s.weight();
        let (script, letters) = Script::ALL
            .iter()
            .filter(|&&s| s != Script::Kana)
            .map(|&s| {
                let letters = match s {
                    Script::Han => weighted(Script::Han) + weighted(Script::Kana),
                    _ => weighted(s),
                };
                (s, letters)
            })
            .max_by_key(|&(s, letters)| (letters, std::cmp::Reverse(s)))?;
        Some((script, letters as f32 / total as f32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_counted_by_script() {
        let census = ScriptCensus::of("Hello, мир! 世界 です 123");
        assert_eq!(census.count(Script::Latin), 5);
        assert_eq!(census.count(Script::Cyrillic), 3);
        assert_eq!(census.count(Script::Han), 2);
        assert_eq!(census.count(Script::Kana), 2);
    }

    #[test]
    fn the_dominant_script_weighs_syllables_more_than_letters() {
        let (script, share) = ScriptCensus::of("東京都 Tokyo").dominant().unwrap();
        assert_eq!(script, Script::Han);
        assert!(share > 0.6);
        assert_eq!(ScriptCensus::of("12 !?").dominant(), None);
    }
}
