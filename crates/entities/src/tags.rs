//! The four entity labels and the BIO tags the tagger predicts for each token.

/// An entity label of the statistical model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// People.
    Per,
    /// Organizations: companies, parties, teams, media.
    Org,
    /// Locations: countries, cities, regions, geographic features.
    Loc,
    /// Other names: nationalities, events, works, products.
    Misc,
}

impl Label {
    /// All labels, in tag order.
    pub const ALL: [Label; 4] = [Label::Per, Label::Org, Label::Loc, Label::Misc];

    /// The label as written in data files and entity layers.
    pub const fn name(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Org => "ORG",
            Label::Loc => "LOC",
            Label::Misc => "MISC",
        }
    }

    /// Parses `PER`, `ORG`, `LOC`, `MISC` (and the common spellings `PERSON`, `GPE`).
    pub fn from_name(name: &str) -> Option<Label> {
        Some(match name {
            "PER" | "PERSON" => Label::Per,
            "ORG" | "ORGANIZATION" => Label::Org,
            "LOC" | "LOCATION" | "GPE" => Label::Loc,
            "MISC" => Label::Misc,
            _ => return None,
        })
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// Number of BIO tags: `O` plus `B-` and `I-` for each label.
pub const NUM_TAGS: usize = 1 + 2 * Label::ALL.len();

/// A BIO tag as an index in `0..NUM_TAGS`: 0 is `O`, then `B-PER`, `I-PER`, `B-ORG`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(pub u8);

impl Tag {
    /// Outside any entity.
    pub const O: Tag = Tag(0);

    /// The tag that begins an entity of `label`.
    pub const fn begin(label: Label) -> Tag {
        Tag(1 + 2 * label.index() as u8)
    }

    /// The tag that continues an entity of `label`.
    pub const fn inside(label: Label) -> Tag {
        Tag(2 + 2 * label.index() as u8)
    }

    /// The tag's label, `None` for `O`.
    pub fn label(self) -> Option<Label> {
        match self.0 {
            0 => None,
            n => Label::ALL.get((n as usize - 1) / 2).copied(),
        }
    }

    /// True for `I-` tags.
    pub fn is_inside(self) -> bool {
        self.0 > 0 && self.0 & 1 == 0
    }

    /// True when this tag may follow `previous` in a well-formed BIO sequence.
    pub fn may_follow(self, previous: Tag) -> bool {
        !self.is_inside() || previous.label() == self.label()
    }

    /// Parses `O`, `B-PER`, `I-LOC`, ...; unknown labels and malformed tags read as `O`.
    pub fn parse(tag: &str) -> Tag {
        let Some((prefix, label)) = tag.split_once('-') else {
            return Tag::O;
        };
        match (prefix, Label::from_name(label)) {
            ("B", Some(label)) => Tag::begin(label),
            ("I", Some(label)) => Tag::inside(label),
            _ => Tag::O,
        }
    }

    /// The tag as text (`O`, `B-PER`, ...).
    pub fn name(self) -> String {
        match self.label() {
            None => "O".to_string(),
            Some(label) if self.is_inside() => format!("I-{}", label.name()),
            Some(label) => format!("B-{}", label.name()),
        }
    }
}

/// One entity over a range of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenEntity {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Its label.
    pub label: Label,
}

/// Reads the entities out of a BIO tag sequence. An `I-` tag that does not continue an
/// entity of its label starts one (the usual lenient reading, as conlleval does).
pub fn entities_of(tags: &[Tag]) -> Vec<TokenEntity> {
    let mut entities = Vec::new();
    let mut open: Option<TokenEntity> = None;
    for (i, tag) in tags.iter().enumerate() {
        // Most tokens are outside any mention and follow another such token.
        if *tag == Tag::O && open.is_none() {
            continue;
        }
        let continues = tag.is_inside() && open.is_some_and(|e| Some(e.label) == tag.label());
        if continues {
            if let Some(entity) = open.as_mut() {
                entity.end = i + 1;
            }
            continue;
        }
        entities.extend(open.take());
        open = tag.label().map(|label| TokenEntity {
            start: i,
            end: i + 1,
            label,
        });
    }
    entities.extend(open);
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_through_names() {
        for n in 0..NUM_TAGS as u8 {
            assert_eq!(Tag::parse(&Tag(n).name()), Tag(n));
        }
        assert_eq!(Tag::parse("B-OTH"), Tag::O);
    }

    #[test]
    fn reads_entities_leniently() {
        let tags: Vec<Tag> = ["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]
            .iter()
            .map(|t| Tag::parse(t))
            .collect();
        let found: Vec<(usize, usize, Label)> = entities_of(&tags)
            .iter()
            .map(|e| (e.start, e.end, e.label))
            .collect();
        assert_eq!(
            found,
            [
                (0, 2, Label::Per),
                (3, 4, Label::Loc),
                (4, 5, Label::Loc),
                (5, 6, Label::Org)
            ]
        );
    }
}
