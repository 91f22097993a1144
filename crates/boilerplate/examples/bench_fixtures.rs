//! Writes the criterion bench fixture: twelve synthetic news pages of real size and real
//! markup density, as `<out>/page-NN.html` (HTML mode input) and `<out>/page-NN.txt` (the same
//! page flattened to lines, plain-text mode input).
//!
//! ```text
//! cargo run --release -p textpipe-boilerplate --example bench_fixtures -- benches/fixtures/boilerplate
//! ```
//!
//! The pages are generated, not copied: prose from a seeded generator over a small vocabulary,
//! wrapped in what makes real pages heavy (inline scripts and styles, menus of class-laden
//! links, `srcset` images, a cookie banner, related links, comments, a footer). Sizes run from
//! about 40 KB to 350 KB of HTML like the dev pages', so the bench measures the tokenizer and
//! the classifier in the proportions real pages have. Deterministic: rerunning writes the same
//! files.

use std::fmt::Write as _;
use std::path::PathBuf;

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "it",
    "be",
    "have",
    "not",
    "this",
    "but",
    "they",
    "which",
    "after",
    "their",
    "council",
    "river",
    "bridge",
    "market",
    "school",
    "village",
    "report",
    "plan",
    "water",
    "workers",
    "residents",
    "station",
    "minister",
    "budget",
    "morning",
    "evening",
    "week",
    "year",
    "city",
    "road",
    "team",
    "season",
    "hospital",
    "company",
    "price",
    "election",
    "officials",
    "said",
    "agreed",
    "decided",
    "opened",
    "closed",
    "reached",
    "built",
    "moved",
    "asked",
    "expected",
    "announced",
    "warned",
    "found",
    "new",
    "old",
    "local",
    "public",
    "small",
    "large",
    "early",
    "late",
    "final",
    "second",
    "third",
    "several",
    "many",
    "most",
    "during",
    "before",
    "under",
    "between",
    "against",
    "across",
    "north",
    "south",
    "weather",
    "storm",
    "rain",
    "traffic",
    "festival",
    "museum",
    "library",
    "farmers",
    "teachers",
    "doctors",
    "visitors",
    "families",
    "children",
    "shops",
    "prices",
    "figures",
    "plans",
];

const MENU: &[&str] = &[
    "Home",
    "News",
    "World",
    "Business",
    "Sport",
    "Culture",
    "Science",
    "Health",
    "Travel",
    "Opinion",
    "Video",
    "Weather",
    "Local",
    "Politics",
    "Technology",
    "Food",
    "Books",
    "Music",
];

/// xorshift64*: a tiny seeded generator, so the fixture never depends on a library's RNG.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn sentence(&mut self) -> String {
        let length = 8 + self.below(18);
        let mut words: Vec<String> = (0..length)
            .map(|_| WORDS[self.below(WORDS.len())].to_string())
            .collect();
        if let Some(first) = words.first_mut() {
            *first = capitalised(first);
        }
        format!("{}.", words.join(" "))
    }

    fn paragraph(&mut self) -> String {
        let sentences = 2 + self.below(4);
        (0..sentences)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn phrase(&mut self, words: usize) -> String {
        let text: Vec<&str> = (0..words).map(|_| WORDS[self.below(WORDS.len())]).collect();
        capitalised(&text.join(" "))
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// One page as HTML plus its flattened text (one block per line).
struct Page {
    html: String,
    lines: Vec<String>,
}

impl Page {
    fn block(&mut self, html: String, text: String) {
        self.html.push_str(&html);
        self.lines.push(text);
    }
}

fn head(g: &mut Generator, title: &str, scripts: usize) -> String {
    let mut head = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta property=\"og:title\" content=\"{title}\">\
         <link rel=\"canonical\" href=\"https://news.example.org/story/{}\">\
         <style>",
        g.next() % 100_000
    );
    for rule in 0..scripts * 40 {
        let _ = write!(
            head,
            ".c{rule}-{}{{margin:{}px;padding:0 {}px;color:#{:06x}}}",
            g.below(999),
            g.below(40),
            g.below(40),
            g.next() & 0xff_ffff
        );
    }
    head.push_str("</style>");
    for _ in 0..scripts {
        head.push_str("<script>window.__state=window.__state||{};(function(){var d={");
        for key in 0..150 {
            let _ = write!(head, "\"k{key}\":{},", g.next() % 1_000_000);
        }
        head.push_str("};if(d.k1<d.k2){window.__state.x='<p>'+d.k3+'</p>';}})();</script>");
    }
    head.push_str("</head>");
    head
}

fn menu(g: &mut Generator, page: &mut Page, items: usize) {
    page.html
        .push_str("<header class=\"site-header js-sticky\"><nav class=\"main-nav nav--primary\" role=\"navigation\"><ul class=\"nav-list\">");
    for i in 0..items {
        let label = MENU[(i + g.below(3)) % MENU.len()];
        page.block(
            format!(
                "<li class=\"nav-item nav-item--{i} dropdown\"><a class=\"nav-link text-uppercase font-weight-bold\" \
                 data-track=\"menu-{i}\" href=\"https://news.example.org/{}/{i}?ref=nav\">{label}</a></li>",
                label.to_lowercase()
            ),
            label.to_string(),
        );
    }
    page.html.push_str("</ul></nav></header>");
}

fn article(g: &mut Generator, page: &mut Page, paragraphs: usize, title: &str) {
    page.html
        .push_str("<main id=\"main\"><article class=\"story-body\" itemprop=\"articleBody\">");
    page.block(format!("<h1 class=\"headline\">{title}</h1>"), title.into());
    let byline = format!("By {} {}", capitalised(WORDS[g.below(40)]), g.phrase(1));
    page.block(format!("<p class=\"byline\">{byline}</p>"), byline);
    for i in 0..paragraphs {
        if i % 7 == 6 {
            let heading = g.phrase(4);
            page.block(format!("<h2>{heading}</h2>"), heading);
        }
        if i % 9 == 4 {
            let caption = g.phrase(9);
            let mut srcset = String::new();
            for width in [320, 640, 960, 1280, 1920] {
                let _ = write!(
                    srcset,
                    "https://images.example.org/{:x}/{width}.jpg {width}w, ",
                    g.next()
                );
            }
            page.block(
                format!(
                    "<figure class=\"media\"><img loading=\"lazy\" class=\"media__image\" srcset=\"{srcset}\" \
                     src=\"https://images.example.org/main.jpg\" alt=\"{caption}\"><figcaption>{caption}</figcaption></figure>"
                ),
                caption,
            );
        }
        let text = g.paragraph();
        let linked = text.replacen(
            " the ",
            " <a href=\"https://news.example.org/topic\">the</a> ",
            1,
        );
        page.block(format!("<p class=\"para\">{linked}</p>"), text);
    }
    page.html.push_str("</article>");
}

fn boilerplate_tail(g: &mut Generator, page: &mut Page, related: usize, comments: usize) {
    page.html
        .push_str("<aside class=\"related-links\"><h3>Related stories</h3><ul>");
    page.lines.push("Related stories".into());
    for i in 0..related {
        let title = g.phrase(7);
        page.block(
            format!(
                "<li class=\"related__item\"><a class=\"related__link\" href=\"https://news.example.org/r/{i}\">{title}</a></li>"
            ),
            title,
        );
    }
    page.html
        .push_str("</ul></aside><section class=\"comments\" id=\"comments\"><h3>Comments</h3>");
    page.lines.push("Comments".into());
    for _ in 0..comments {
        let text = g.sentence();
        page.block(
            format!("<div class=\"comment\"><span class=\"comment__author\">reader{}</span><p>{text}</p></div>", g.below(999)),
            text,
        );
    }
    page.html.push_str("</section></main>");
    let notice = "We use cookies to improve your experience and to show you personalised ads. \
                  By continuing to browse the site you agree to our use of cookies. Accept all";
    page.block(
        format!("<div class=\"cookie-banner\" role=\"dialog\"><p>{notice}</p><button>Accept all</button></div>"),
        notice.into(),
    );
    page.html.push_str("<footer class=\"site-footer\"><ul>");
    for label in MENU.iter().take(12) {
        page.block(
            format!(
                "<li><a href=\"https://news.example.org/{}\">{label}</a></li>",
                label.to_lowercase()
            ),
            label.to_string(),
        );
    }
    let copyright = "© 2025 Example News. All rights reserved.";
    page.block(
        format!("</ul><p>{copyright}</p></footer>"),
        copyright.into(),
    );
    page.html
        .push_str("<script src=\"https://cdn.example.org/app.js\" defer></script></body></html>");
}

fn page(seed: u64, size: usize) -> Page {
    let mut g = Generator(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let title = g.phrase(8);
    let mut page = Page {
        html: head(&mut g, &title, 3 + 2 * size),
        lines: Vec::new(),
    };
    page.html.push_str("<body class=\"page page--article\">");
    menu(&mut g, &mut page, 20 + 12 * size);
    article(&mut g, &mut page, 8 + 4 * size, &title);
    boilerplate_tail(&mut g, &mut page, 6 + 2 * size, 3 + size);
    page
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .as_deref()
            .unwrap_or("benches/fixtures/boilerplate"),
    );
    std::fs::create_dir_all(&out)?;
    for number in 0..12u64 {
        // Sizes cycle from small to large pages.
        let page = page(number + 1, 1 + (number as usize * 5) % 12);
        let text = page.lines.join("\n") + "\n";
        std::fs::write(out.join(format!("page-{number:02}.html")), &page.html)?;
        std::fs::write(out.join(format!("page-{number:02}.txt")), &text)?;
        println!(
            "page-{number:02}: {} bytes of HTML, {} bytes of text",
            page.html.len(),
            text.len()
        );
    }
    Ok(())
}
