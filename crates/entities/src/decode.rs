//! Decoding a document, shared by the tagger and the trainer, in one of two ways.
//!
//! - **Greedy**: the best tag of each token in turn, with the two previous tags and the
//!   labels given to earlier mentions of the same word in the document as features. It
//!   costs one row lookup per feature per token and nothing per tag pair.
//! - **Viterbi**: the best tag sequence of each sentence under a first-order model: the
//!   features of each token in its context, without the previous tags, plus a score for
//!   each pair of neighbouring tags ([`crate::features::extract_transition`]), the same at
//!   every position of a sentence, so it costs 81 additions per token and no more row
//!   lookups than greedy decoding. A greedy tagger that starts a name wrongly
//!   cannot take it back, and decides where a mention ends before it has weighed the next
//!   token as a continuation; the sequence decoder weighs the whole sentence. It is trained
//!   as a structured perceptron (Collins 2002), so the weights learn what this decoder will
//!   do with them. The document history then comes from earlier sentences only.
//!
//! Which one a model uses is fixed when it is trained and stored in the model file.

use std::ops::Range;
use std::sync::OnceLock;

use crate::features::{
    doc_case, extract, extract_static, extract_transition, flag, hash_text, layout, mark_sentence,
    FeatureBuf, History, PrehashedMap, PrehashedSet, TokenFeatures, WeightRows, STEMS_READ,
};
use crate::model::Model;
use crate::tags::{Tag, NUM_TAGS};

/// The tokens of a document, summarised and annotated, ready to decode.
#[derive(Debug, Clone, Default)]
pub struct DocumentFeatures {
    /// Every token of the document in order.
    pub tokens: Vec<TokenFeatures>,
    /// Each sentence's token range.
    pub sentences: Vec<Range<usize>>,
    /// The hash of the document's section label (see [`DocumentFeatures::annotate_section`]),
    /// 0 without one. A field of the document rather than of each token: a token summary
    /// eight bytes longer cost every model 3.5 instructions per byte of English.
    pub section: u64,
    /// Each token's [`crate::features::stem_hashes`], kept only while the document is read
    /// for a lexicon that lists stems (see [`DocumentFeatures::keep_stems`]).
    stem_hashes: Option<Vec<[u64; 3]>>,
}

impl DocumentFeatures {
    /// Clears the document for reuse, keeping its buffers.
    pub fn clear(&mut self) {
        self.tokens.clear();
        self.sentences.clear();
        self.section = 0;
        if let Some(stems) = &mut self.stem_hashes {
            stems.clear();
        }
    }

    /// Whether the sentences pushed from now on keep their words' stems, which
    /// [`DocumentFeatures::annotate`] looks up when `lexicon` lists them: set it before
    /// pushing, from the lexicon the document will be annotated with. Stems cost a second
    /// walk over every word's chars, which models without them never pay.
    pub fn keep_stems(&mut self, lexicon: &crate::lexicon::Lexicon) {
        if !lexicon.has_stems() {
            self.stem_hashes = None;
        } else if self.stem_hashes.is_none() {
            self.stem_hashes = Some(Vec::with_capacity(self.tokens.capacity()));
        }
    }

    /// Appends one sentence.
    pub fn push_sentence<S: AsRef<str>>(&mut self, words: impl IntoIterator<Item = S>) {
        let start = self.tokens.len();
        match &mut self.stem_hashes {
            None => self.tokens.extend(
                words
                    .into_iter()
                    .map(|word| TokenFeatures::of(word.as_ref())),
            ),
            Some(stems) => {
                for word in words {
                    let word = word.as_ref();
                    self.tokens.push(TokenFeatures::of(word));
                    stems.push(crate::features::stem_hashes(word));
                }
            }
        }
        let range = start..self.tokens.len();
        mark_sentence(&mut self.tokens[range.clone()]);
        self.sentences.push(range);
    }

    /// Looks up the model's tables and the document's own evidence for every token. Call
    /// once after the last sentence is pushed.
    pub fn annotate(
        &mut self,
        lexicon: &crate::lexicon::Lexicon,
        words: &crate::word_tables::WordTables,
    ) {
        for range in &self.sentences {
            lexicon.annotate(&mut self.tokens[range.clone()]);
        }
        if let Some(stems) = self.stem_hashes.as_ref().filter(|_| lexicon.has_stems()) {
            for (token, &stems) in self.tokens.iter_mut().zip(stems) {
                token.stem_labels = match token.character {
                    true => 0,
                    false => STEMS_READ | lexicon.stem_labels(token.lower, stems),
                };
            }
        }
        words.annotate(&mut self.tokens);
        self.annotate_document_case();
        self.annotate_register();
    }

    /// Sets every token's [`layout`] bits: whether its sentence is a table row or in
    /// capitals, which of its neighbours are numbers, and whether the document is a results
    /// document. Only for models trained with layout features; call after
    /// [`DocumentFeatures::annotate`].
    pub fn annotate_layout(&mut self) {
        let is_number = |t: &TokenFeatures| {
            t.flags & flag::DIGIT != 0
                && t.flags & (flag::INIT_CAP | flag::ALL_CAPS | flag::LOWER) == 0
        };
        let mut table_rows = 0;
        for range in &self.sentences {
            let sentence = &mut self.tokens[range.clone()];
            let numbers = sentence.iter().filter(|t| is_number(t)).count();
            let mut row = 0;
            if sentence.len() >= 2 && numbers * 10 >= sentence.len() * 3 {
                row |= layout::TABLE_ROW;
                table_rows += 1;
            } else if sentence
                .first()
                .is_some_and(|t| t.flags & flag::CAPS_SENTENCE != 0)
            {
                row |= layout::CAPS_ROW;
            }
            for i in 0..sentence.len() {
                let number_at =
                    |j: Option<usize>| j.and_then(|j| sentence.get(j)).is_some_and(is_number);
                let mut bits = row;
                if number_at(i.checked_sub(1)) {
                    bits |= layout::NUMBER_BEFORE;
                }
                if number_at(Some(i + 1)) {
                    bits |= layout::NUMBER_AFTER;
                }
                if number_at(Some(i + 2)) {
                    bits |= layout::NUMBER_TWO_AFTER;
                }
                sentence[i].layout = bits;
            }
        }
        if table_rows >= 2 && table_rows * 5 >= self.sentences.len() {
            for token in &mut self.tokens {
                token.layout |= layout::RESULTS_DOCUMENT;
            }
        }
        // A capitalized word that stands beside a number in a table row of the document
        // ("Leeds 2 Arsenal 1") is marked wherever it occurs, in the prose of the report
        // too, where "Leeds" alone reads as the town.
        if table_rows == 0 {
            return;
        }
        let scored: PrehashedSet = self
            .tokens
            .iter()
            .filter(|t| {
                t.is_capitalized()
                    && t.layout & layout::TABLE_ROW != 0
                    && t.layout & (layout::NUMBER_BEFORE | layout::NUMBER_AFTER) != 0
            })
            .map(|t| t.lower)
            .collect();
        for token in &mut self.tokens {
            if token.is_capitalized() && scored.contains(&token.lower) {
                token.layout |= layout::SCORED_ELSEWHERE;
            }
        }
    }

    /// Finds the document's section label, which the features join with every capitalized
    /// token: the first word of a first sentence in capitals when a dash follows it
    /// ("SOCCER - LEEDS BEAT ARSENAL", "RUGBY UNION - ..." gives "rugby"), as wire services
    /// head their stories. Only for models trained with section features.
    pub fn annotate_section(&mut self) {
        let Some(first) = self.sentences.first() else {
            return;
        };
        let headline = &self.tokens[first.clone()];
        let dash = hash_text("-", false);
        let labelled = headline
            .first()
            .is_some_and(|t| t.flags & flag::ALL_CAPS != 0)
            && headline.iter().skip(1).take(2).any(|t| t.word == dash);
        if !labelled {
            return;
        }
        self.section = headline[0].lower;
    }

    /// Sets every capitalized token's [`TokenFeatures::mention_context`]: what all the
    /// capitalized occurrences of its word in the document stand beside: words that end
    /// names in the lexicon, capitalized neighbours (see [`crate::features::mention_context`]). Only for models trained with
    /// mention-context features; call after [`DocumentFeatures::annotate`]. Two walks over
    /// the tokens and one table entry per distinct capitalized word.
    pub fn annotate_mention_context(&mut self) {
        use crate::features::mention_context::*;
        let capitalized =
            |t: &TokenFeatures| t.flags & (flag::INIT_CAP | flag::ALL_CAPS) != 0 && !t.character;
        // Per word: the cues of its occurrences and whether it was seen before.
        let mut cues: PrehashedMap<u8> =
            PrehashedMap::with_capacity_and_hasher(self.tokens.len() / 4, Default::default());
        for range in &self.sentences {
            let sentence = &self.tokens[range.clone()];
            for (i, t) in sentence.iter().enumerate() {
                if !capitalized(t) {
                    continue;
                }
                // In a headline every word is capitalized, which says nothing of names.
                let prose = t.flags & flag::CAPS_SENTENCE == 0;
                let mut bits = ANNOTATED;
                if let Some(next) = sentence.get(i + 1) {
                    bits |= (next.name_part >> 4) & NEXT_ENDS;
                    if prose && capitalized(next) {
                        bits |= CAPITALIZED_AFTER;
                    }
                }
                if let Some(previous) = i.checked_sub(1).map(|j| &sentence[j]) {
                    if prose && capitalized(previous) && previous.flags & flag::FIRST == 0 {
                        bits |= CAPITALIZED_BEFORE;
                    }
                }
                let entry = cues.entry(t.lower).or_insert(0);
                // The first occurrence leaves ANNOTATED behind; a second finds it.
                if *entry & ANNOTATED != 0 {
                    bits |= REPEATED;
                }
                *entry |= bits;
            }
        }
        for token in &mut self.tokens {
            if capitalized(token) {
                token.mention_context = cues.get(&token.lower).copied().unwrap_or(0);
            }
        }
    }

    /// Marks every token of a document written in the first or second person (more than one
    /// token in forty is "I", "you", "my", ...): web text, e-mail and reviews, as opposed to
    /// news reports, which use them only in quotes.
    fn annotate_register(&mut self) {
        static PERSONAL: OnceLock<Vec<u64>> = OnceLock::new();
        let personal = PERSONAL.get_or_init(|| {
            ["i", "you", "my", "me", "your", "we", "our", "'m", "i'm"]
                .iter()
                .map(|w| TokenFeatures::of(w).lower)
                .collect()
        });
        // One bit per low six bits of the words' hashes: most tokens are ruled out by one
        // test instead of nine comparisons.
        static SIEVE: OnceLock<u64> = OnceLock::new();
        let sieve = *SIEVE.get_or_init(|| personal.iter().fold(0, |s, &h| s | 1 << (h & 63)));
        let count = self
            .tokens
            .iter()
            .filter(|t| sieve & (1 << (t.lower & 63)) != 0 && personal.contains(&t.lower))
            .count();
        if count * 40 > self.tokens.len() {
            for token in &mut self.tokens {
                token.flags |= flag::INFORMAL;
            }
        }
    }

    /// How each word is written elsewhere in the document: a capitalized sentence-initial
    /// word that also appears capitalized mid-sentence is likely a name.
    fn annotate_document_case(&mut self) {
        // Sized once: a document has fewer distinct words than half its tokens (English
        // news about a third), and growing the table rehashed it every doubling.
        let mut seen: PrehashedMap<u8> =
            PrehashedMap::with_capacity_and_hasher(self.tokens.len() / 2, Default::default());
        for token in &self.tokens {
            let headline = token.flags & (flag::CAPS_SENTENCE | flag::FIRST) != 0;
            let mut bits = 0;
            if token.flags & flag::LOWER != 0 {
                bits |= doc_case::LOWERCASE;
            } else if token.is_capitalized() && !headline {
                bits |= doc_case::CAPITALIZED_INSIDE;
            }
            if bits != 0 {
                *seen.entry(token.lower).or_default() |= bits;
            }
        }
        for token in &mut self.tokens {
            token.doc_case = seen.get(&token.lower).copied().unwrap_or(0);
        }
    }
}

/// Chooses the tag of each position; the trainer's implementation also learns from it.
pub trait Chooser {
    /// The tag of document position `position`, given its features and the previous tag.
    fn choose(&mut self, position: usize, features: &FeatureBuf, previous: Tag) -> Tag;
}

/// How a model chooses tags (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decoder {
    /// Token by token, left to right.
    #[default]
    Greedy,
    /// The best tag sequence of each sentence.
    Viterbi,
}

impl Decoder {
    /// Parses `greedy` or `viterbi`.
    pub fn from_name(name: &str) -> Option<Decoder> {
        match name {
            "greedy" => Some(Decoder::Greedy),
            "viterbi" => Some(Decoder::Viterbi),
            _ => None,
        }
    }
}

/// Tags `doc` with `model`'s decoder, writing one tag and one confidence per token.
pub fn decode_with_model(
    doc: &DocumentFeatures,
    model: &Model,
    history: &mut PrehashedMap<History>,
    lattice: &mut Lattice,
    tags: &mut Vec<Tag>,
    confidences: &mut Vec<f32>,
) {
    match model.decoder() {
        Decoder::Greedy => {
            let mut chooser = ModelChooser::new(model);
            chooser.confidences = std::mem::take(confidences);
            decode(doc, &mut chooser, history, tags);
            *confidences = chooser.confidences;
        }
        Decoder::Viterbi => {
            tags.clear();
            tags.resize(doc.tokens.len(), Tag::O);
            confidences.clear();
            confidences.resize(doc.tokens.len(), 0.0);
            history.clear();
            for range in &doc.sentences {
                let sentence = &doc.tokens[range.clone()];
                lattice.fill(model, sentence, doc.section, history, |_, _| 0.0);
                lattice.best_path(&mut tags[range.clone()]);
                lattice.confidences(&tags[range.clone()], &mut confidences[range.clone()]);
                record_history(sentence, &tags[range.clone()], history);
            }
        }
    }
}

/// Adds a sentence's decisions to the document history.
pub fn record_history(
    sentence: &[TokenFeatures],
    tags: &[Tag],
    history: &mut PrehashedMap<History>,
) {
    for (token, &tag) in sentence.iter().zip(tags) {
        record_one(token, tag, history);
    }
}

/// Only words that can be names feed the history; "the" tagged O says nothing, nor does a
/// capitalized first word tagged O ("However", but also a missed "Miramar ?" title line that
/// would otherwise talk every later "Miramar" out of being a name).
fn record_one(token: &TokenFeatures, tag: Tag, history: &mut PrehashedMap<History>) {
    let first_and_o = token.flags & flag::FIRST != 0 && tag == Tag::O;
    if token.flags & (flag::INIT_CAP | flag::ALL_CAPS) != 0 && !first_and_o {
        history.entry(token.lower).or_default().record(tag);
    }
}

/// The scores of one sentence for the Viterbi decoder, with buffers kept between sentences.
#[derive(Debug, Default)]
pub struct Lattice {
    /// Per position, the features of the token in its context (the first as many as the
    /// filled sentence has tokens; the rest are left from longer sentences).
    pub features: Vec<FeatureBuf>,
    /// Per position, the score of each tag from `features`.
    token_scores: Vec<[f32; NUM_TAGS]>,
    /// `[previous][tag]`: the score of a tag after another, the same at every position of
    /// the sentence.
    transitions: [[f32; NUM_TAGS]; NUM_TAGS],
    /// Per position, the best path score ending in each tag.
    best: Vec<[f32; NUM_TAGS]>,
    /// Scratch buffer for the transition features.
    pair: FeatureBuf,
}

/// The tag before a sentence's first token.
pub const START: Tag = Tag::O;

impl Lattice {
    /// Scores every tag of every position of `sentence` and every tag pair with `weights`,
    /// plus `cost(i, tag)` (training adds a cost to every wrong tag, so that the decoder must
    /// beat the gold path by a margin before the weights stop learning from it).
    pub fn fill<W: WeightRows>(
        &mut self,
        weights: &W,
        sentence: &[TokenFeatures],
        section: u64,
        history: &PrehashedMap<History>,
        cost: impl Fn(usize, Tag) -> f32,
    ) {
        let n = sentence.len();
        // Grown, never shrunk: a buffer is a kilobyte, and cutting the vector to each
        // sentence's length cleared every buffer again for the next longer sentence.
        if self.features.len() < n {
            self.features.resize_with(n, FeatureBuf::default);
        }
        self.token_scores.resize(n, [0.0; NUM_TAGS]);
        self.best.resize(n, [0.0; NUM_TAGS]);
        if let Some(first) = sentence.first() {
            for (p, row) in self.transitions.iter_mut().enumerate() {
                extract_transition(first, Tag(p as u8), &mut self.pair);
                *row = crate::features::score(weights, &self.pair);
            }
        }
        for (i, token) in sentence.iter().enumerate() {
            let seen = history.get(&token.lower).copied();
            extract_static(sentence, i, seen, section, &mut self.features[i]);
        }
        // The features of every token first, then their scores, the next token's rows asked
        // for before this token's are summed: rows are scattered over a table larger than
        // the fast caches, and a token's fifty loads then overlap with the work on the token
        // before instead of starting when it is done.
        for i in 0..n {
            if let Some(next) = self.features[..n].get(i + 1) {
                for &hash in next.hashes() {
                    weights.prefetch_row(hash);
                }
            }
            let mut scores = crate::features::score(weights, &self.features[i]);
            for (k, score) in scores.iter_mut().enumerate() {
                *score += cost(i, Tag(k as u8));
            }
            self.token_scores[i] = scores;
        }
    }

    /// Writes the best well-formed tag sequence of the filled sentence into `tags`.
    ///
    /// The forward pass keeps only each position's best path score per tag, a maximum the
    /// loop over tags takes on vectors without a branch; which previous tag gave it is
    /// found again on the way back, for the one tag chosen at each position, by the same
    /// comparisons in the same order the forward pass once made for every tag (9 pairs per
    /// position instead of 81 followed by bookkeeping).
    pub fn best_path(&mut self, tags: &mut [Tag]) {
        let n = tags.len();
        if n == 0 {
            return;
        }
        let start = START.0 as usize;
        for t in 0..NUM_TAGS {
            self.best[0][t] = if Tag(t as u8).may_follow(START) {
                self.token_scores[0][t] + self.transitions[start][t]
            } else {
                f32::NEG_INFINITY
            };
        }
        let pairs = self.allowed_pairs();
        for i in 1..n {
            let before = self.best[i - 1];
            let mut best = [f32::NEG_INFINITY; NUM_TAGS];
            for (&path, pair) in before.iter().zip(&pairs) {
                for (best, &pair) in best.iter_mut().zip(pair) {
                    let score = path + pair;
                    *best = if score > *best { score } else { *best };
                }
            }
            let scores = self.token_scores[i];
            for ((out, best), score) in self.best[i].iter_mut().zip(best).zip(scores) {
                *out = best + score;
            }
        }
        let last = &self.best[n - 1];
        let mut tag = (0..NUM_TAGS).fold(0, |b, t| if last[t] > last[b] { t } else { b });
        for i in (1..n).rev() {
            tags[i] = Tag(tag as u8);
            tag = best_previous(&self.best[i - 1], &pairs, tag);
        }
        tags[0] = Tag(tag as u8);
    }

    /// Per position of the filled sentence, the score of each tag from its features (and
    /// the cost given to [`Lattice::fill`]).
    pub(crate) fn token_scores(&self) -> &[[f32; NUM_TAGS]] {
        &self.token_scores
    }

    /// `[p][t]`: the score of tag `t` after tag `p`, minus infinity for a pair BIO forbids.
    /// Such a pair can never beat a running best (which starts there), exactly as if it were
    /// skipped, so the loops over positions need not ask which tags may follow which.
    pub(crate) fn allowed_pairs(&self) -> [[f32; NUM_TAGS]; NUM_TAGS] {
        let mut pairs = [[f32::NEG_INFINITY; NUM_TAGS]; NUM_TAGS];
        for (p, row) in pairs.iter_mut().enumerate() {
            for (t, score) in row.iter_mut().enumerate() {
                if Tag(t as u8).may_follow(Tag(p as u8)) {
                    *score = self.transitions[p][t];
                }
            }
        }
        pairs
    }

    /// The confidence of each chosen tag: the softmax mass of its label among the tags that
    /// may follow the chosen previous one, from the scores of its position
    /// ([`UNREAD_CONFIDENCE`] for `O` tokens).
    pub fn confidences(&self, tags: &[Tag], out: &mut [f32]) {
        for (i, &tag) in tags.iter().enumerate() {
            if tag == Tag::O {
                out[i] = UNREAD_CONFIDENCE;
                continue;
            }
            let previous = if i == 0 { START } else { tags[i - 1] };
            let mut scores = self.token_scores[i];
            let transitions = &self.transitions[previous.0 as usize];
            for (s, t) in scores.iter_mut().zip(transitions) {
                *s += t;
            }
            out[i] = label_confidence(&scores, tag, previous);
        }
    }
}

/// The previous tag of the best path that reaches tag `tag` from a position whose best path
/// scores are `before`: the first of equal bests, with the comparisons of the forward pass.
fn best_previous(
    before: &[f32; NUM_TAGS],
    pairs: &[[f32; NUM_TAGS]; NUM_TAGS],
    tag: usize,
) -> usize {
    let (mut best, mut from) = (f32::NEG_INFINITY, 0);
    for (p, (&path, pair)) in before.iter().zip(pairs).enumerate() {
        let score = path + pair[tag];
        if score > best {
            (best, from) = (score, p);
        }
    }
    from
}

/// The confidence given to tokens tagged `O`, in place of their softmax mass.
///
/// Only mentions' confidences are ever read: the tagger and the document pass average them
/// over a mention's tokens, and tokens the pass turns into a mention take the confidence of
/// the mention they copy. So the nine exponentials of an `O` token, most tokens of any text,
/// are not computed.
pub const UNREAD_CONFIDENCE: f32 = 1.0;

/// The softmax mass of `tag`'s label (its `B-` and `I-` tags together) among the tags that
/// may follow `previous`: a forbidden `I-` tag can outscore every allowed one, and counting
/// it would call a sure mention a doubtful one. Perceptron scores are margins, so this ranks
/// confidence more than it gives a calibrated chance.
fn label_confidence(scores: &[f32; NUM_TAGS], tag: Tag, previous: Tag) -> f32 {
    let allowed = |n: usize| Tag(n as u8).may_follow(previous);
    let top = (0..NUM_TAGS)
        .filter(|&n| allowed(n))
        .fold(f32::NEG_INFINITY, |m, n| m.max(scores[n]));
    let (mut label_mass, mut total) = (0f32, 0f32);
    for (n, &s) in scores.iter().enumerate().filter(|&(n, _)| allowed(n)) {
        let mass = (s - top).exp();
        total += mass;
        if Tag(n as u8).label() == tag.label() {
            label_mass += mass;
        }
    }
    label_mass / total.max(f32::MIN_POSITIVE)
}

/// Decodes `doc` greedily, writing one tag per token into `tags`.
pub fn decode(
    doc: &DocumentFeatures,
    chooser: &mut impl Chooser,
    history: &mut PrehashedMap<History>,
    tags: &mut Vec<Tag>,
) {
    tags.clear();
    tags.resize(doc.tokens.len(), Tag::O);
    history.clear();
    let mut features = FeatureBuf::default();
    for range in &doc.sentences {
        let sentence = &doc.tokens[range.clone()];
        let mut previous = [Tag::O; 2];
        for (i, token) in sentence.iter().enumerate() {
            let seen = history.get(&token.lower).copied();
            extract(sentence, i, previous, seen, doc.section, &mut features);
            let tag = chooser.choose(range.start + i, &features, previous[0]);
            tags[range.start + i] = tag;
            record_one(token, tag, history);
            previous = [tag, previous[0]];
        }
    }
}

/// Picks the best-scoring tag with a trained model, keeping each token's confidence.
pub struct ModelChooser<'m> {
    model: &'m Model,
    /// Softmax probability of the chosen tag's label, per position; [`UNREAD_CONFIDENCE`]
    /// for `O` tokens.
    pub confidences: Vec<f32>,
}

impl<'m> ModelChooser<'m> {
    /// A chooser over `model`.
    pub fn new(model: &'m Model) -> Self {
        ModelChooser {
            model,
            confidences: Vec::new(),
        }
    }
}

impl Chooser for ModelChooser<'_> {
    fn choose(&mut self, position: usize, features: &FeatureBuf, previous: Tag) -> Tag {
        let scores = crate::features::score(self.model, features);
        let tag = crate::features::best_tag(&scores, previous);
        let confidence = if tag == Tag::O {
            UNREAD_CONFIDENCE
        } else {
            label_confidence(&scores, tag, previous)
        };
        if self.confidences.len() <= position {
            self.confidences.resize(position + 1, 0.0);
        }
        self.confidences[position] = confidence;
        tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::tags::Label;
    use crate::word_tables::WordTables;

    #[test]
    fn a_wire_story_gives_its_section_label() {
        let section = |headline: &[&str]| {
            let mut doc = DocumentFeatures::default();
            doc.push_sentence(headline.iter().copied());
            doc.push_sentence(["Leeds", "beat", "Arsenal", "."]);
            doc.annotate(&Lexicon::new(), &WordTables::default());
            doc.annotate_section();
            doc.section
        };
        let soccer = TokenFeatures::of("soccer").lower;
        assert_eq!(
            section(&["SOCCER", "-", "LEEDS", "BEAT", "ARSENAL"]),
            soccer
        );
        assert_eq!(
            section(&["RUGBY", "UNION", "-", "WALES", "WIN"]),
            TokenFeatures::of("rugby").lower
        );
        assert_eq!(section(&["Soccer", "-", "Leeds", "beat", "Arsenal"]), 0);
        assert_eq!(section(&["LEEDS", "BEAT", "ARSENAL", "2-1"]), 0);
        // The features join it with capitalized words only, and only when there is one.
        let mut doc = DocumentFeatures::default();
        doc.push_sentence(["SOCCER", "-", "LEEDS", "WIN"]);
        doc.push_sentence(["Leeds", "beat", "Arsenal", "."]);
        doc.annotate_section();
        let sentence = &doc.tokens[doc.sentences[1].clone()];
        let count = |i: usize, section: u64| {
            let mut buf = FeatureBuf::default();
            extract(sentence, i, [Tag::O; 2], None, section, &mut buf);
            buf.hashes().len()
        };
        assert_eq!(count(0, doc.section), count(0, 0) + 2);
        assert_eq!(count(1, doc.section), count(1, 0));
        doc.clear();
        assert_eq!(doc.section, 0);
    }

    #[test]
    fn stems_are_read_only_for_a_lexicon_that_lists_them() {
        let sentence = ["Uprava", "Holdinga", "i", "北"];
        let read = |lexicon: &Lexicon| {
            let mut doc = DocumentFeatures::default();
            doc.keep_stems(lexicon);
            doc.push_sentence(sentence);
            doc.annotate(lexicon, &WordTables::default());
            doc.tokens
                .iter()
                .map(|t| t.stem_labels)
                .collect::<Vec<u8>>()
        };
        let mut lexicon = Lexicon::new();
        lexicon.insert(&[TokenFeatures::of("holding").lower], Label::Org);
        assert_eq!(read(&lexicon), [0, 0, 0, 0], "no stems listed");
        let holding = "Holding";
        let stems = crate::features::stem_hashes(holding);
        lexicon.insert_stems(TokenFeatures::of(holding).lower, stems, Label::Org);
        let org = 1 << Label::Org as u8;
        // Every token but a character token is marked as read, and the inflected name
        // finds its label.
        assert_eq!(
            read(&lexicon),
            [STEMS_READ, STEMS_READ | org, STEMS_READ, 0]
        );
        // The features read them: two templates more on a token with stems read.
        let mut doc = DocumentFeatures::default();
        doc.keep_stems(&lexicon);
        doc.push_sentence(sentence);
        let mut plain = doc.clone();
        doc.annotate(&lexicon, &WordTables::default());
        plain.annotate(&Lexicon::new(), &WordTables::default());
        let count = |doc: &DocumentFeatures| {
            let mut buf = FeatureBuf::default();
            extract(&doc.tokens, 1, [Tag::O; 2], None, 0, &mut buf);
            buf.hashes().len()
        };
        let token = &doc.tokens[1];
        let copies = 1 + (token.uncased || token.flags & flag::INFORMAL != 0) as usize;
        assert_eq!(count(&doc), count(&plain) + 2 * copies);
        // A document reused for a model without stems keeps none.
        doc.clear();
        doc.keep_stems(&Lexicon::new());
        doc.push_sentence(sentence);
        doc.annotate(&lexicon, &WordTables::default());
        assert!(doc.tokens.iter().all(|t| t.stem_labels == 0));
    }

    #[test]
    fn mention_context_gathers_what_every_occurrence_stands_beside() {
        use crate::features::mention_context::*;
        let mut doc = DocumentFeatures::default();
        doc.push_sentence(["Fans", "of", "Leeds", "United", "sang", "."]);
        doc.push_sentence(["Then", "Leeds", "lost", "."]);
        let lower = |w: &str| TokenFeatures::of(w).lower;
        let mut lexicon = Lexicon::new();
        lexicon.insert(&[lower("leeds"), lower("united")], Label::Org);
        doc.annotate(&lexicon, &WordTables::default());
        assert!(
            doc.tokens.iter().all(|t| t.mention_context == 0),
            "only when asked"
        );
        doc.annotate_mention_context();
        let (first, later) = (doc.tokens[2].mention_context, doc.tokens[7].mention_context);
        // The later "Leeds" alone reads that the first one is followed by a word ending
        // organization names, and a capitalized one; both read that the word repeats.
        assert_eq!(first, later);
        assert_eq!(later & NEXT_ENDS, 1 << Label::Org as u8);
        assert_eq!(later & !NEXT_ENDS, ANNOTATED | CAPITALIZED_AFTER | REPEATED);
        // "United" follows a capitalized word mid-sentence, once; lowercase words get nothing.
        assert_eq!(
            doc.tokens[3].mention_context,
            ANNOTATED | CAPITALIZED_BEFORE
        );
        assert_eq!(doc.tokens[8].mention_context, 0);
    }

    #[test]
    fn layout_marks_table_rows_headlines_and_numbers_around_words() {
        let mut doc = DocumentFeatures::default();
        doc.push_sentence(["Leeds", "2", "Arsenal", "1"]);
        doc.push_sentence(["EASTERN", "CONFERENCE"]);
        doc.push_sentence(["EASTERN", "CONFERENCE", "STANDINGS"]);
        doc.push_sentence(["Leeds", "beat", "Arsenal", "at", "home", "."]);
        doc.annotate(&Lexicon::new(), &WordTables::default());
        assert!(doc.tokens.iter().all(|t| t.layout == 0), "only when asked");
        doc.annotate_layout();
        let bits: Vec<u8> = doc
            .tokens
            .iter()
            .map(|t| t.layout & !(layout::RESULTS_DOCUMENT | layout::SCORED_ELSEWHERE))
            .collect();
        // "Leeds" and "Arsenal" stand beside scores in the table, and are marked in the
        // prose sentence too; nothing else is.
        let scored: Vec<usize> = (0..doc.tokens.len())
            .filter(|&i| doc.tokens[i].layout & layout::SCORED_ELSEWHERE != 0)
            .collect();
        assert_eq!(scored, [0, 2, 9, 11]);
        use layout::*;
        assert_eq!(
            bits[..4],
            [
                TABLE_ROW | NUMBER_AFTER,
                TABLE_ROW | NUMBER_TWO_AFTER,
                TABLE_ROW | NUMBER_BEFORE | NUMBER_AFTER,
                TABLE_ROW,
            ]
        );
        // Two words are too few to call a sentence a headline (as `mark_sentence` says).
        assert_eq!(bits[4..6], [0, 0]);
        assert_eq!(bits[6..9], [CAPS_ROW; 3]);
        assert_eq!(bits[9..], [0; 6]);
        // One table row among four sentences is not a results document; two are.
        assert!(doc.tokens.iter().all(|t| t.layout & RESULTS_DOCUMENT == 0));
        doc.push_sentence(["Chelsea", "0", "Everton", "0"]);
        doc.annotate_layout();
        assert!(doc.tokens.iter().all(|t| t.layout & RESULTS_DOCUMENT != 0));
    }

    /// A lattice of `rows.len()` positions with these tag scores and no pair scores.
    fn lattice_of(rows: &[[f32; NUM_TAGS]]) -> Lattice {
        let n = rows.len();
        Lattice {
            token_scores: rows.to_vec(),
            best: vec![[0.0; NUM_TAGS]; n],
            ..Lattice::default()
        }
    }

    #[test]
    fn viterbi_finds_the_best_well_formed_sequence() {
        let (b_per, i_per) = (Tag::begin(Label::Per), Tag::inside(Label::Per));
        let b_org = Tag::begin(Label::Org);
        // Greedy takes B-ORG (5 > 4) and then cannot continue it as I-PER; the sequence
        // B-PER I-PER scores 4 + 10 against 5 + 0.
        let mut first = [0f32; NUM_TAGS];
        first[b_org.0 as usize] = 5.0;
        first[b_per.0 as usize] = 4.0;
        first[i_per.0 as usize] = 9.0; // cannot start a sentence
        let mut second = [0f32; NUM_TAGS];
        second[i_per.0 as usize] = 10.0;
        let mut lattice = lattice_of(&[first, second]);
        let mut tags = [Tag::O; 2];
        lattice.best_path(&mut tags);
        assert_eq!(tags, [b_per, i_per]);
        // A transition score against the pair turns it around.
        lattice.transitions[b_per.0 as usize][i_per.0 as usize] = -20.0;
        lattice.best_path(&mut tags);
        assert_eq!(tags, [b_org, Tag::O]);
        let mut confidences = [0f32; 2];
        lattice.confidences(&tags, &mut confidences);
        assert!(confidences.iter().all(|c| (0.0..=1.0).contains(c)));
    }

    #[test]
    fn viterbi_paths_are_well_formed() {
        let mut state = 7u64;
        let mut next = || {
            state = crate::features::finish(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
            (state >> 40) as f32 / (1u64 << 24) as f32 * 20.0 - 10.0
        };
        for length in 1..12 {
            let rows: Vec<[f32; NUM_TAGS]> = (0..length)
                .map(|_| std::array::from_fn(|_| next()))
                .collect();
            let mut lattice = lattice_of(&rows);
            for row in lattice.transitions.iter_mut() {
                row.iter_mut().for_each(|s| *s = next());
            }
            let mut tags = vec![Tag::O; length];
            lattice.best_path(&mut tags);
            let mut previous = START;
            for &tag in &tags {
                assert!(tag.may_follow(previous), "{tags:?}");
                previous = tag;
            }
        }
    }

    #[test]
    fn confidence_ignores_tags_that_could_not_follow() {
        // Every row favours I-ORG, which cannot follow O, then B-LOC.
        let mut row = [0f32; NUM_TAGS];
        row[Tag::inside(Label::Org).0 as usize] = 10.0;
        row[Tag::begin(Label::Loc).0 as usize] = 5.0;
        let weights: Vec<f32> = (0..1 << 4).flat_map(|_| row).collect();
        let model = Model::from_weights(4, &weights, Lexicon::new(), WordTables::default());
        let mut features = FeatureBuf::default();
        features.push(1, 0);
        let mut chooser = ModelChooser::new(&model);
        let tag = chooser.choose(0, &features, Tag::O);
        assert_eq!(tag, Tag::begin(Label::Loc));
        assert!(chooser.confidences[0] > 0.9, "{:?}", chooser.confidences);
    }
}
