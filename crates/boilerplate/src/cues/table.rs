//! The cue phrases' automaton as a table of byte classes and states, made from Aho-Corasick's
//! DFA (ASCII case-insensitive, leftmost-longest).
//!
//! Building it is the build script's work: walking the crate's automaton and its own
//! construction took about 25 M instructions, the largest part of a run's set-up, for a table
//! that only changes with the phrases. The build script writes it as bytes ([`CueTable::to_bytes`])
//! and a run reads them back ([`CueTable::from_bytes`]); a test holds that table equal to one
//! built from the crate's phrases. No dependency on the rest of the crate but
//! `aho-corasick`, so that the build script can compile this file too.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, MatchKind};

/// Slots of the search's transition table: states times classes (1,765 times 48 for the
/// shipped phrases), rounded up to a power of two.
pub const TABLE_SLOTS: usize = 1 << 17;

/// The automaton of a list of phrases, in the form the search loop reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueTable {
    /// Byte to class: bytes whose transitions are the same from every state share one.
    pub classes: [u8; 256],
    /// Number of classes: the stride of `next`.
    pub stride: u32,
    /// For state `s` (premultiplied: `s * stride`) and class `c`, the next state, premultiplied,
    /// at `s + c`; row 0 is the dead state. At most [`TABLE_SLOTS`] long.
    pub next: Vec<u32>,
    /// The unanchored start state, premultiplied.
    pub start: u32,
    /// Match states and the dead state (0) are the premultiplied states up to this one.
    pub last_special: u32,
    /// Per match state (by state number, 1..), the phrase it matches (its index in the list)
    /// and the phrase's length in bytes.
    pub matches: Vec<(u32, u32)>,
}

/// Why bytes do not hold a [`CueTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableBytesError;

impl std::fmt::Display for TableBytesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the cue table's bytes end early or do not add up")
    }
}

impl std::error::Error for TableBytesError {}

impl CueTable {
    /// The table of `phrases`, built from Aho-Corasick's DFA.
    ///
    /// A byte that occurs in no phrase, in either case (the search ignores ASCII case), leads
    /// every state where any other such byte leads it; one of them stands for all, so the
    /// automaton is walked on a few dozen bytes instead of 256.
    // The build script's, and the tests'; a run reads the table the build made.
    #[allow(dead_code)]
    pub fn build(phrases: &[&str]) -> Self {
        let dfa = phrase_dfa(phrases);
        let start = dfa.start_state(Anchored::No).expect("an unanchored DFA");
        let phrase_bytes = phrase_bytes(phrases);
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
        let mut class_of: std::collections::HashMap<Vec<u32>, u8> = Default::default();
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
        let rows = found.len() + 1;
        assert!(
            rows * stride as usize <= TABLE_SLOTS,
            "the cue phrases' automaton outgrew its table"
        );
        // Row 0 is the dead state; it is never left, since the search stops there.
        let mut next = vec![0u32; rows * stride as usize];
        for row in 0..found.len() {
            for (class, column) in distinct.iter().enumerate() {
                next[(row + 1) * stride as usize + class] = column[row] * stride;
            }
        }
        let match_states = found.iter().filter(|&&sid| dfa.is_match(sid)).count();
        let matches = (found.iter().take(match_states))
            .map(|&sid| {
                let pattern = dfa.match_pattern(sid, 0);
                (pattern.as_u32(), dfa.pattern_len(pattern) as u32)
            })
            .collect();
        CueTable {
            classes,
            stride,
            next,
            start: number_of(start) * stride,
            last_special: match_states as u32 * stride,
            matches,
        }
    }

    /// The table as bytes: five little-endian `u32` (stride, start, last special state,
    /// length of `next`, number of matches), the 256 classes, `next`, then each match as two
    /// `u32`.
    #[allow(dead_code)]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(20 + 256 + 4 * self.next.len() + 8 * self.matches.len());
        let header = [
            self.stride,
            self.start,
            self.last_special,
            self.next.len() as u32,
            self.matches.len() as u32,
        ];
        bytes.extend(header.iter().flat_map(|value| value.to_le_bytes()));
        bytes.extend_from_slice(&self.classes);
        bytes.extend(self.next.iter().flat_map(|value| value.to_le_bytes()));
        let matches = self
            .matches
            .iter()
            .flat_map(|&(pattern, len)| [pattern, len]);
        bytes.extend(matches.flat_map(|value| value.to_le_bytes()));
        bytes
    }

    /// The table [`CueTable::to_bytes`] wrote.
    #[allow(dead_code)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TableBytesError> {
        let words = |count: usize, bytes: &mut &[u8]| -> Result<Vec<u32>, TableBytesError> {
            let (taken, rest) = bytes.split_at_checked(4 * count).ok_or(TableBytesError)?;
            *bytes = rest;
            Ok((taken.chunks_exact(4))
                .map(|word| u32::from_le_bytes(word.try_into().expect("four bytes")))
                .collect())
        };
        let mut rest = bytes;
        let header = words(5, &mut rest)?;
        let (classes, after) = rest.split_first_chunk::<256>().ok_or(TableBytesError)?;
        rest = after;
        let next = words(header[3] as usize, &mut rest)?;
        let matches = words(2 * header[4] as usize, &mut rest)?;
        if !rest.is_empty() || next.len() > TABLE_SLOTS {
            return Err(TableBytesError);
        }
        Ok(CueTable {
            classes: *classes,
            stride: header[0],
            next,
            start: header[1],
            last_special: header[2],
            matches: matches
                .chunks_exact(2)
                .map(|pair| (pair[0], pair[1]))
                .collect(),
        })
    }
}

/// Aho-Corasick's DFA of `phrases`: ASCII case-insensitive, leftmost-longest.
pub fn phrase_dfa(phrases: &[&str]) -> aho_corasick::dfa::DFA {
    aho_corasick::dfa::Builder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        // The phrases start with most letters of the alphabet, so a prefilter would fire
        // on nearly every byte and only add restarts to the automaton's own loop.
        .prefilter(false)
        .build(phrases)
        .expect("cue phrases are valid literals")
}

/// The bytes that occur in one of `phrases`, in either ASCII case.
pub fn phrase_bytes(phrases: &[&str]) -> [bool; 256] {
    let mut present = [false; 256];
    for byte in phrases.iter().flat_map(|phrase| phrase.bytes()) {
        present[usize::from(byte.to_ascii_lowercase())] = true;
        present[usize::from(byte.to_ascii_uppercase())] = true;
    }
    present
}
