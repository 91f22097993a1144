//! The large adversarial inputs, written at test time instead of checked in: a 50 MB line, a
//! million unpunctuated words, 100,000-deep HTML, huge attributes, entity floods and a gzip
//! bomb. Each is deterministic, so a failure reproduces with the same bytes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

/// One generated input, and how many records the reader must turn it into.
pub struct Case {
    /// What it is, for messages.
    pub name: &'static str,
    /// The file.
    pub path: PathBuf,
    /// How many records (documents or error records) it must yield.
    pub records: usize,
}

const MB: usize = 1_000_000;

/// Words the generated text is made of: names the tagger may pick up, and plain words.
const WORDS: [&str; 16] = [
    "residents",
    "of",
    "Harbor",
    "Point",
    "voted",
    "on",
    "Tuesday",
    "to",
    "rebuild",
    "the",
    "sea",
    "wall",
    "said",
    "Mayor",
    "Ana",
    "Ruiz",
];

/// Writes every large case into `dir`.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<Case>> {
    Ok(vec![
        long_line(dir)?,
        million_words(dir)?,
        deep_nesting(dir)?,
        unclosed_nesting(dir)?,
        huge_attributes(dir)?,
        entity_flood_html(dir)?,
        entity_flood_text(dir)?,
        gzip_bomb(dir)?,
    ])
}

fn create(dir: &Path, name: &str) -> std::io::Result<(PathBuf, BufWriter<File>)> {
    let path = dir.join(name);
    let file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
    Ok((path, file))
}

/// 50 MB of sentences on one line: no newline anywhere for a line reader to stop at.
fn long_line(dir: &Path) -> std::io::Result<Case> {
    let (path, mut out) = create(dir, "long-line.txt")?;
    let mut written = 0;
    let mut i = 0usize;
    while written < 50 * MB {
        let sentence = format!(
            "{} {} {} {} {} {} {}. ",
            WORDS[13],
            WORDS[14],
            WORDS[15],
            WORDS[12],
            WORDS[0],
            WORDS[(i * 7) % 16],
            WORDS[(i * 11) % 16]
        );
        out.write_all(sentence.as_bytes())?;
        written += sentence.len();
        i += 1;
    }
    out.flush()?;
    Ok(Case {
        name: "a 50 MB single line",
        path,
        records: 1,
    })
}

/// A million words, no punctuation, no line break: one sentence as far as any splitter knows.
fn million_words(dir: &Path) -> std::io::Result<Case> {
    let (path, mut out) = create(dir, "million-words.txt")?;
    for i in 0..1_000_000usize {
        out.write_all(WORDS[(i * 7 + i / 16) % 16].as_bytes())?;
        out.write_all(b" ")?;
    }
    out.flush()?;
    Ok(Case {
        name: "a million words without punctuation",
        path,
        records: 1,
    })
}

/// 100,000 nested `<div>`s, properly closed, with text at the bottom and on the way back up.
fn deep_nesting(dir: &Path) -> std::io::Result<Case> {
    let (path, mut out) = create(dir, "deep-nesting.html")?;
    out.write_all(b"<!DOCTYPE html><html><head><title>Deep</title></head><body>")?;
    for _ in 0..100_000 {
        out.write_all(b"<div>")?;
    }
    out.write_all(b"<p>Residents of Harbor Point voted on Tuesday to rebuild the sea wall.</p>")?;
    for i in 0..100_000 {
        out.write_all(b"</div>")?;
        if i % 10_000 == 0 {
            out.write_all(b"Mayor Ana Ruiz said the work starts in May.")?;
        }
    }
    out.write_all(b"</body></html>")?;
    out.flush()?;
    Ok(Case {
        name: "100,000-deep HTML nesting",
        path,
        records: 1,
    })
}

/// 100,000 inline and table elements opened and never closed, misnested on purpose: the
/// pattern that makes naive tree builders (adoption agency, table fix-ups) quadratic.
fn unclosed_nesting(dir: &Path) -> std::io::Result<Case> {
    let (path, mut out) = create(dir, "unclosed-nesting.html")?;
    out.write_all(b"<html><body>")?;
    for i in 0..100_000 {
        let tag: &[u8] = match i % 4 {
            0 => b"<b>",
            1 => b"<i><table><tr><td>",
            2 => b"<a href=x>",
            _ => b"<p>word ",
        };
        out.write_all(tag)?;
        if i % 3 == 0 {
            out.write_all(b"</b></i>")?;
        }
    }
    out.flush()?;
    Ok(Case {
        name: "100,000 unclosed and misnested elements",
        path,
        records: 1,
    })
}

/// One 20 MB attribute value, then one element with 100,000 attributes.
fn huge_attributes(dir: &Path) -> std::io::Result<Case> {
    let (path, mut out) = create(dir, "huge-attributes.html")?;
    out.write_all(b"<html><body><div class=\"")?;
    for _ in 0..(20 * MB / 10) {
        out.write_all(b"article x ")?;
    }
    out.write_all(b"\"><p>Residents of Harbor Point voted on Tuesday.</p></div><p")?;
    for i in 0..100_000 {
        write!(out, " data-a{i}='{i}'")?;
    }
    out.write_all(b">Mayor Ana Ruiz spoke.</p></body></html>")?;
    out.flush()?;
    Ok(Case {
        name: "huge attributes",
        path,
        records: 1,
    })
}

/// A million character references in HTML: named, numeric, out of range and unknown.
fn entity_flood_html(dir: &Path) -> std::io::Result<Case> {
    let (path, mut out) = create(dir, "entity-flood.html")?;
    out.write_all(b"<html><body><article><p>")?;
    let references: [&[u8]; 8] = [
        b"&amp;",
        b"&#128512;",
        b"&#x110000;",
        b"&nosuchentity;",
        b"&",
        b"&#0;",
        b"&lt;p&gt;",
        b"&NotNestedGreaterGreater;",
    ];
    for i in 0..1_000_000 {
        out.write_all(references[i % references.len()])?;
        if i % 1000 == 999 {
            out.write_all(b"</p><p>Residents voted. ")?;
        }
    }
    out.write_all(b"</p></article></body></html>")?;
    out.flush()?;
    Ok(Case {
        name: "an entity-reference flood in HTML",
        path,
        records: 1,
    })
}

/// The same flood as plain text, where references are just characters.
fn entity_flood_text(dir: &Path) -> std::io::Result<Case> {
    let (path, mut out) = create(dir, "entity-flood.txt")?;
    for i in 0..500_000 {
        out.write_all(if i % 2 == 0 { b"&amp;" } else { b"&#128512;" })?;
    }
    out.flush()?;
    Ok(Case {
        name: "an entity-reference flood in text",
        path,
        records: 1,
    })
}

/// A JSON Lines file that inflates 1,000-fold: 256 MiB of NUL bytes without a newline, as 256
/// concatenated gzip members of 1 MiB each (the reader decodes multi-member streams). Whatever
/// limits are set, it must end as an error record, not as an exhausted machine.
fn gzip_bomb(dir: &Path) -> std::io::Result<Case> {
    let mut member = GzEncoder::new(Vec::new(), Compression::best());
    member.write_all(&vec![0u8; 1 << 20])?;
    let member = member.finish()?;
    let (path, mut out) = create(dir, "gzip-bomb.jsonl.gz")?;
    let mut head = GzEncoder::new(Vec::new(), Compression::best());
    head.write_all(b"{\"id\": \"before-the-bomb\", \"text\": \"A line before the bomb.\"}\n")?;
    out.write_all(&head.finish()?)?;
    for _ in 0..256 {
        out.write_all(&member)?;
    }
    out.flush()?;
    Ok(Case {
        name: "a gzip bomb",
        path,
        records: 2,
    })
}
