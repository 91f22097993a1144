//! The classic hard cases of English sentence splitting, each an input and the sentences it
//! must give. Every construct the splitter has a rule for appears here at least once.

use textpipe_sentences::{NewlinePolicy, SentenceSplitter, SplitterOptions};

/// (what the case is about, input, expected sentences)
const CASES: &[(&str, &str, &[&str])] = &[
    // Plain terminators.
    ("simple", "The cat sat. The dog ran.", &["The cat sat.", "The dog ran."]),
    ("question", "Is it late? It is.", &["Is it late?", "It is."]),
    ("exclamation", "Stop! Now.", &["Stop!", "Now."]),
    ("no final punctuation", "It rained. We stayed in", &["It rained.", "We stayed in"]),
    // Titles and name prefixes.
    ("title", "Mr. Smith arrived. He sat down.", &["Mr. Smith arrived.", "He sat down."]),
    ("several titles", "Dr. Watson met Mrs. Hudson and Prof. Moriarty.", &["Dr. Watson met Mrs. Hudson and Prof. Moriarty."]),
    ("military title", "Gen. Lee and Lt. Col. Smith met Gov. Brown.", &["Gen. Lee and Lt. Col. Smith met Gov. Brown."]),
    ("saint and mount", "We drove from St. Louis to Mt. Hood.", &["We drove from St. Louis to Mt. Hood."]),
    // Months and days.
    ("month before day", "It opened on Jan. 5 and closed in Feb. 2020.", &["It opened on Jan. 5 and closed in Feb. 2020."]),
    ("weekday", "See you on Fri. Dec. 3 at noon.", &["See you on Fri. Dec. 3 at noon."]),
    // Units.
    ("unit mid-sentence", "The board is 6 ft. long and 2 in. wide.", &["The board is 6 ft. long and 2 in. wide."]),
    ("unit at sentence end", "It weighs 5 lbs. The box is heavy.", &["It weighs 5 lbs.", "The box is heavy."]),
    // Corporate suffixes.
    ("corporate mid-sentence", "Apple Inc. reported strong sales.", &["Apple Inc. reported strong sales."]),
    ("corporate at sentence end", "He works for Apple Inc. The company is big.", &["He works for Apple Inc.", "The company is big."]),
    ("corp and co", "Acme Corp. and Smith & Co. merged.", &["Acme Corp. and Smith & Co. merged."]),
    ("ltd before name", "Barclays Ltd. Chairman John Varley spoke.", &["Barclays Ltd. Chairman John Varley spoke."]),
    // Number prefixes.
    ("No. before a number", "He wore No. 5 on his shirt.", &["He wore No. 5 on his shirt."]),
    ("No. as an answer", "Did he win? No. He lost.", &["Did he win?", "No.", "He lost."]),
    ("pages", "See pp. 12-14 and Fig. 3 for details.", &["See pp. 12-14 and Fig. 3 for details."]),
    ("article", "Art. 5 applies here.", &["Art. 5 applies here."]),
    // Acronyms with periods.
    ("U.S. mid-sentence", "The U.S. economy grew.", &["The U.S. economy grew."]),
    ("U.S. at sentence end", "She moved to the U.S. It was 1990.", &["She moved to the U.S.", "It was 1990."]),
    ("U.S. before a name", "The U.S. Senate voted.", &["The U.S. Senate voted."]),
    ("a.m. and p.m.", "Open from 9 a.m. to 5 p.m. daily.", &["Open from 9 a.m. to 5 p.m. daily."]),
    ("p.m. at sentence end", "We met at 5 p.m. The talk was long.", &["We met at 5 p.m.", "The talk was long."]),
    ("degree", "She holds a Ph.D. in physics.", &["She holds a Ph.D. in physics."]),
    // e.g., i.e., vs.
    ("e.g.", "Use fruit, e.g. Apples or pears.", &["Use fruit, e.g. Apples or pears."]),
    ("i.e.", "The best one, i.e. The red one, sold out.", &["The best one, i.e. The red one, sold out."]),
    ("vs.", "It was Smith vs. Jones in court.", &["It was Smith vs. Jones in court."]),
    ("legal v.", "Roe v. Wade was decided in 1973.", &["Roe v. Wade was decided in 1973."]),
    ("etc. at sentence end", "Bring pens, paper, etc. The rest is here.", &["Bring pens, paper, etc.", "The rest is here."]),
    ("etc. mid-sentence", "Pens, paper, etc. are on the desk.", &["Pens, paper, etc. are on the desk."]),
    ("et al.", "Smith et al. found the same. They agreed.", &["Smith et al. found the same.", "They agreed."]),
    // Initials.
    ("initials", "J. R. R. Tolkien wrote it.", &["J. R. R. Tolkien wrote it."]),
    ("initial in a name", "John F. Kennedy was elected in 1960.", &["John F. Kennedy was elected in 1960."]),
    ("initial I. in a name", "I. M. Pei designed it.", &["I. M. Pei designed it."]),
    ("letter at sentence end", "We chose plan B. Then it failed.", &["We chose plan B.", "Then it failed."]),
    ("glued initials", "J.R.R. Tolkien wrote it.", &["J.R.R. Tolkien wrote it."]),
    // Numbers.
    ("decimal", "It costs 3.5 dollars. That is cheap.", &["It costs 3.5 dollars.", "That is cheap."]),
    ("number at sentence end", "He was born in 1937. He died in 2001.", &["He was born in 1937.", "He died in 2001."]),
    ("number before a number", "The score was 3. 2 players were hurt.", &["The score was 3.", "2 players were hurt."]),
    ("German ordinal", "He plays in the 1. Bundesliga now.", &["He plays in the 1. Bundesliga now."]),
    ("version numbers", "Version 2.0.1 is out. Update now.", &["Version 2.0.1 is out.", "Update now."]),
    ("money", "It sold for $1.5 million. Buyers cheered.", &["It sold for $1.5 million.", "Buyers cheered."]),
    // Ellipses.
    ("ellipsis then capital", "I waited... Nobody came.", &["I waited...", "Nobody came."]),
    ("ellipsis mid-sentence", "I waited... and waited.", &["I waited... and waited."]),
    ("unicode ellipsis", "Well… Maybe.", &["Well…", "Maybe."]),
    ("spaced ellipsis", "He said . . . nothing at all.", &["He said . . . nothing at all."]),
    ("ellipsis opening a sentence", "It ended. ...and then silence.", &["It ended.", "...and then silence."]),
    // Quotes and brackets after terminators.
    ("closing quote", "He said \"Stop.\" Then he left.", &["He said \"Stop.\"", "Then he left."]),
    ("period after quote", "They called it \"terrorism\". Others disagreed.", &["They called it \"terrorism\".", "Others disagreed."]),
    ("bracket before period", "The wave was high (16ft). We left.", &["The wave was high (16ft).", "We left."]),
    ("sentence in brackets", "We left early. (The bus was late.) Then we ate.", &["We left early.", "(The bus was late.)", "Then we ate."]),
    ("question in quotes", "\"Why?\" she asked. \"Because.\"", &["\"Why?\" she asked.", "\"Because.\""]),
    ("curly quotes", "She said “Go home.” He did.", &["She said “Go home.”", "He did."]),
    ("citation mark", "It is the largest city. [12] Its port is busy.", &["It is the largest city. [12]", "Its port is busy."]),
    (
        "speech tag after a quoted question",
        "“Are you ready?” Anna asked. We left.",
        &["“Are you ready?” Anna asked.", "We left."],
    ),
    (
        "editorial note",
        "He was born in Rome. [citation needed] He moved later.",
        &["He was born in Rome. [citation needed]", "He moved later."],
    ),
    // ?! runs.
    ("?! run", "You did what?! Unbelievable.", &["You did what?!", "Unbelievable."]),
    ("!!! run", "Wow!!! That was close.", &["Wow!!!", "That was close."]),
    ("spaced marks", "Really ? ? ? I doubt it.", &["Really ? ? ?", "I doubt it."]),
    ("question then lower case", "Who? me? yes.", &["Who?", "me?", "yes."]),
    ("exclamation name", "Check Yahoo! Mail today.", &["Check Yahoo! Mail today."]),
    // URLs, e-mail addresses, file names.
    ("url", "Visit www.example.com for more. It is free.", &["Visit www.example.com for more.", "It is free."]),
    ("url with query", "Open https://example.com/a?b=c!d now. Thanks.", &["Open https://example.com/a?b=c!d now.", "Thanks."]),
    ("url at sentence end", "See example.org. The site is new.", &["See example.org.", "The site is new."]),
    ("e-mail", "Write to john.smith@example.com today. We reply fast.", &["Write to john.smith@example.com today.", "We reply fast."]),
    ("file name", "Open config.yaml and edit it. Save report.pdf too.", &["Open config.yaml and edit it.", "Save report.pdf too."]),
    // No space after the period.
    ("glued word is one token", "The cat.Cat field is set.", &["The cat.Cat field is set."]),
    ("glued sentence start", "It was the end.The next day came.", &["It was the end.", "The next day came."]),
    // Enumerations and lists.
    ("numbered list lines", "Steps:\n1. Open the box.\n2. Take the book.", &["Steps:", "1. Open the box.", "2. Take the book."]),
    ("inline numbered list", "Two rules apply. 1. Be kind. 2. Be brief.", &["Two rules apply.", "1. Be kind.", "2. Be brief."]),
    ("bulleted list", "Bring:\n- a tent\n- a lamp", &["Bring:", "- a tent", "- a lamp"]),
    ("lettered list", "Choose:\na) red\nb) blue", &["Choose:", "a) red", "b) blue"]),
    // Lines, headings and blank lines.
    ("heading", "Introduction\nThis paper studies cats. It is short.", &["Introduction", "This paper studies cats.", "It is short."]),
    ("blank line", "First part\n\nSecond part", &["First part", "Second part"]),
    ("sign-off", "See you soon.\nBest regards,\nAnna", &["See you soon.", "Best regards,", "Anna"]),
    ("windows line ends", "One line\r\nAnother line", &["One line", "Another line"]),
    ("hard-wrapped prose", "It was the best of times, it was the worst of times, it was the age\nof wisdom, it was the age of foolishness, it was the epoch of belief,\nit was the epoch of incredulity. It was the season of Light.", &["It was the best of times, it was the worst of times, it was the age\nof wisdom, it was the age of foolishness, it was the epoch of belief,\nit was the epoch of incredulity.", "It was the season of Light."]),
    // Emoticons.
    ("emoticon after a sentence", "Great job! :) See you soon.", &["Great job! :)", "See you soon."]),
    ("emoticon as a sentence end", "loved it :) The staff were kind.", &["loved it :)", "The staff were kind."]),
    // Lower-case starts in web text.
    ("lower-case start", "I called twice. i got no answer.", &["I called twice.", "i got no answer."]),
    // Lists written on one line, and lower-case items on their own lines.
    ("numbered items on one line", "Steps: 1) open the box 2) take out the lamp 3) plug it in", &["Steps:", "1) open the box", "2) take out the lamp", "3) plug it in"]),
    ("lettered items on one line", "Pick one: a. the red coat b. the blue hat c. neither", &["Pick one:", "a. the red coat", "b. the blue hat", "c. neither"]),
    ("capital lettered items", "Options: A) stay home B) go out", &["Options:", "A) stay home", "B) go out"]),
    ("initials are not a list", "It was A. B. Smith who wrote it.", &["It was A. B. Smith who wrote it."]),
    ("footnote marks are not a list", "The rule (1) applies to land (2) and water.", &["The rule (1) applies to land (2) and water."]),
    ("lower-case items on lines", "You will need:\nflour\nsugar\ntwo eggs", &["You will need:", "flour", "sugar", "two eggs"]),
    ("lower-case bullet items", "Pack these:\n- socks\n- a towel", &["Pack these:", "- socks", "- a towel"]),
    // Ellipses inside and at the end of sentences.
    ("ellipsis before lower case", "We waited... and then it rained.", &["We waited... and then it rained."]),
    ("unicode ellipsis before lower case", "It was… fine, really.", &["It was… fine, really."]),
    ("unicode ellipsis then capital", "We hoped… The train never came.", &["We hoped…", "The train never came."]),
    ("ellipsis ends the text", "And so it goes...", &["And so it goes..."]),
    ("unicode ellipsis ends a line", "Who knows…\nNext item", &["Who knows…", "Next item"]),
    ("ellipsis in a quote", "\"Well...\" she said. Then she left.", &["\"Well...\" she said.", "Then she left."]),
    // Abbreviations before numbers.
    ("N° before a number", "The decree N°. 45 took effect. It was new.", &["The decree N°. 45 took effect.", "It was new."]),
    ("nº before a number", "See form nº. 12 for the details.", &["See form nº. 12 for the details."]),
    ("No. at a sentence end", "He said no. The vote failed.", &["He said no.", "The vote failed."]),
    // A source in parentheses after a closing quote.
    ("source after a quote", "\"We will win.\" (Reuters) The vote is today.", &["\"We will win.\" (Reuters)", "The vote is today."]),
    ("citation after a curly quote", "“It is done.” (Smith, 2001) Later work agreed.", &["“It is done.” (Smith, 2001)", "Later work agreed."]),
    ("aside after a quote is its own", "He said \"Stop.\" (He left.) Then quiet.", &["He said \"Stop.\"", "(He left.)", "Then quiet."]),
    // Street abbreviations.
    ("street before a sentence", "She lives on Baker St. The house is old.", &["She lives on Baker St.", "The house is old."]),
    ("street before a name", "The shop on Main St. Joe owns is closed.", &["The shop on Main St. Joe owns is closed."]),
    ("drive before a sentence", "They moved to Mulholland Dr. It was quiet.", &["They moved to Mulholland Dr.", "It was quiet."]),
    ("saint before a name", "We flew to St. Louis. It was hot.", &["We flew to St. Louis.", "It was hot."]),
    ("title after a lower-case word", "We met Dr. Watson there.", &["We met Dr. Watson there."]),
    // Other scripts and marks.
    ("full-width stops", "日本語の文です。二番目の文です。", &["日本語の文です。", "二番目の文です。"]),
    ("whitespace only", " \n\t ", &[]),
];

#[test]
fn every_hard_case_splits_as_expected() {
    let splitter = SentenceSplitter::new();
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|&(name, input, expected)| {
            let got: Vec<&str> = splitter.sentences(input).collect();
            (got != expected).then(|| {
                format!(
                    "{name}:\n  input    {input:?}\n  expected {expected:?}\n  got      {got:?}"
                )
            })
        })
        .collect();
    assert!(CASES.len() >= 80);
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn newline_policies_decide_single_line_breaks() {
    let text = "The report was\nfiled late. Nobody\nnoticed.";
    let split = |newlines| {
        let splitter = SentenceSplitter::with_options(&SplitterOptions {
            newlines,
            ..SplitterOptions::default()
        })
        .unwrap();
        splitter.sentences(text).collect::<Vec<_>>()
    };
    assert_eq!(
        split(NewlinePolicy::Join),
        ["The report was\nfiled late.", "Nobody\nnoticed."]
    );
    assert_eq!(
        split(NewlinePolicy::Split),
        ["The report was", "filed late.", "Nobody", "noticed."]
    );
    assert_eq!(split(NewlinePolicy::Auto), split(NewlinePolicy::Join));
}

#[test]
fn user_patterns_forbid_and_force_boundaries() {
    let splitter = SentenceSplitter::with_options(&SplitterOptions {
        abbreviations: vec!["Dpt.".into()],
        never_split: vec![r"Table \d+\. [A-Z]".into()],
        always_split: vec![r"\s(Q:)".into(), r";".into()],
        ..SplitterOptions::default()
    })
    .unwrap();
    let text = "Ask the Dpt. Head first; see Table 4. Results differ Q: why? A: luck";
    let got: Vec<&str> = splitter.sentences(text).collect();
    assert_eq!(
        got,
        [
            "Ask the Dpt. Head first;",
            "see Table 4. Results differ",
            "Q: why?",
            "A: luck"
        ]
    );
}
