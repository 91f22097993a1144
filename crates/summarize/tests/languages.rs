//! Summaries in languages other than English, on short news articles written for these
//! tests (there is no summary dev data outside English). Each article has one sentence that
//! carries its main facts and repeats the words the rest of the article is about, and one
//! long sentence made almost only of function words; the word statistics of the article's
//! language must find the first and never prefer the second. Sentences are given, not
//! split, so these tests depend on the summarizer alone.
use serde_json::json;
use textpipe_core::{BuildContext, Document, Span, Stage, StageFactory};
use textpipe_summarize::features::FRAGMENT;
use textpipe_summarize::languages::SUPPORTED_LANGUAGES;
use textpipe_summarize::{SummarizeFactory, Summarizer};

/// A document of `sentences` joined by `separator`, with their spans as its sentence layer.
fn article(lang: &str, title: &str, sentences: &[&str], separator: &str) -> Document {
    let mut text = String::new();
    let mut spans = Vec::new();
    for sentence in sentences {
        if !text.is_empty() {
            text.push_str(separator);
        }
        spans.push(Span::new(text.len(), text.len() + sentence.len()));
        text.push_str(sentence);
    }
    let mut doc = Document::new(format!("{lang}-article"), text);
    doc.sentences = Some(spans);
    doc.lang = Some(lang.to_string());
    doc.meta.insert("title".into(), title.into());
    doc
}

fn summarizer(config: serde_json::Value) -> Summarizer {
    SummarizeFactory::summarizer(&config, &BuildContext::new(".")).unwrap()
}

/// The chosen sentence indices of `doc` under `config`, after checking the layer's
/// invariants.
fn chosen(config: serde_json::Value, doc: &Document) -> Vec<usize> {
    let mut doc = doc.clone();
    summarizer(config).process(&mut doc).unwrap();
    doc.check_spans().unwrap();
    assert!(doc.skipped.is_empty(), "{:?}", doc.skipped);
    let summary = doc.summary.clone().expect("a summary");
    let expected: Vec<&str> = summary
        .sentences
        .iter()
        .map(|&i| doc.sentence_text(i).unwrap().trim())
        .collect();
    assert_eq!(summary.text, expected.join(" "));
    summary.sentences
}

/// Where sentence `index` ranks under TextRank alone (0 = most central).
fn centrality_rank(doc: &Document, index: usize) -> usize {
    let mut doc = doc.clone();
    summarizer(json!({"method": "centrality"}))
        .process(&mut doc)
        .unwrap();
    let scores = doc.summary.unwrap().scores.unwrap();
    scores.iter().filter(|&&s| s > scores[index]).count()
}

const GERMAN: [&str; 8] = [
    "Lange wurde in Heidelberg über die Pläne gestritten.",
    "Nun hat der Gemeinderat am Dienstag beschlossen, die Straßenbahn für 48 Millionen Euro bis 2028 nach Wieblingen zu verlängern.",
    "Die neue Strecke der Straßenbahn soll vier Haltestellen in Wieblingen bekommen.",
    "Der Gemeinderat stimmte mit 31 zu 12 Stimmen für den Bau.",
    "Es ist aber auch so, dass man das nicht immer so sehen kann, wenn man sich die Dinge, die da sind, und die, die es noch nicht gibt, einmal ganz in Ruhe und mit etwas mehr Abstand ansieht, als es viele von uns bisher getan haben.",
    "Von den 48 Millionen Euro trägt das Land den größten Teil.",
    "Anwohner in Wieblingen hatten sich seit Jahren eine schnellere Verbindung in die Altstadt gewünscht.",
    "Die Bauarbeiten an der Straßenbahn sollen im Frühjahr beginnen.",
];
const GERMAN_FACTS: usize = 1;
const GERMAN_FILLER: usize = 4;

#[test]
fn a_german_article_is_summarized_by_its_facts_not_its_function_words() {
    let doc = article(
        "de",
        "Heidelberg verlängert die Straßenbahn nach Wieblingen",
        &GERMAN,
        " ",
    );
    for config in [
        json!({"method": "centrality", "sentences": 1}),
        json!({"method": "centrality", "sentences": 3}),
        json!({"sentences": 2}),
        json!({"method": "centrality", "graph": "lexrank", "sentences": 2}),
    ] {
        let picked = chosen(config.clone(), &doc);
        assert!(picked.contains(&GERMAN_FACTS), "{config}: {picked:?}");
        assert!(!picked.contains(&GERMAN_FILLER), "{config}: {picked:?}");
    }
    // The longest sentence, nearly all function words, is among the least central.
    assert!(centrality_rank(&doc, GERMAN_FILLER) >= 5);
    // Read with English statistics, `die`, `das`, `es`, `und` become shared content words,
    // and the same sentence climbs: the German statistics are what keeps it down.
    let mut english = doc.clone();
    english.lang = Some("en".into());
    assert!(
        centrality_rank(&english, GERMAN_FILLER) < centrality_rank(&doc, GERMAN_FILLER),
        "English statistics should overrate the function-word sentence"
    );
}

const CHINESE: [&str; 8] = [
    "■本报讯",
    "连接北部新区和南部火车站的地铁五号线于十二月五日正式开通，首日运送乘客十五万人次。",
    "地铁五号线全长三十二公里，共设二十个车站，总投资二百八十亿元。",
    "开通首日，不少乘客专程前来体验。",
    "这是我们大家都知道的，也是我们一直以来所说的，但是他们还是没有这样做，而且也不会这样去做的。",
    "市交通局表示，从新区到火车站只需要四十分钟。",
    "家住新区的王女士说，以前坐公交车去火车站要一个多小时。",
    "（完）",
];
const CHINESE_FACTS: usize = 1;
const CHINESE_FILLER: usize = 4;

#[test]
fn a_chinese_article_is_summarized_from_character_bigrams() {
    let doc = article("zh-Hans", "本市地铁五号线正式开通", &CHINESE, "");
    for config in [
        json!({"method": "centrality", "sentences": 1}),
        json!({"method": "centrality", "sentences": 3}),
        json!({"sentences": 1}),
        json!({"sentences": 2}),
    ] {
        let picked = chosen(config.clone(), &doc);
        assert!(picked.contains(&CHINESE_FACTS), "{config}: {picked:?}");
        assert!(!picked.contains(&CHINESE_FILLER), "{config}: {picked:?}");
        // The dateline mark and the end mark are fragments, never worth a summary's place.
        assert!(
            !picked.contains(&0) && !picked.contains(&7),
            "{config}: {picked:?}"
        );
    }
    assert!(centrality_rank(&doc, CHINESE_FILLER) >= 5);
    // Chinese sentences are sentences, not fragments: only the two marks are.
    let features = summarizer(json!({})).features(&doc);
    let fragments: Vec<usize> = (0..CHINESE.len())
        .filter(|&i| features.rows[i][FRAGMENT] > 0.0)
        .collect();
    assert_eq!(fragments, [0, 7]);
    // About 1.6 characters a word: the facts sentence (40 Han characters) is 25 words long.
    assert_eq!(features.words[CHINESE_FACTS], 25);
}

const JAPANESE: [&str; 8] = [
    "【速報】",
    "大型の台風10号は6日午前、鹿児島県に上陸し、県内の約5万人に避難指示が出された。",
    "気象庁によると、鹿児島県では強い雨が続いている。",
    "鹿児島県では台風の影響で約3万戸が停電している。",
    "これはとてもたいせつなことなので、みんなでよくかんがえてからきめるようにしたいとおもっています。",
    "県は住民に対し、早めの避難を呼びかけている。",
    "台風10号は7日にかけて九州を北上する見込みだ。",
    "ＪＲ九州は新幹線の運転を見合わせている。",
];
const JAPANESE_FACTS: usize = 1;
const JAPANESE_FILLER: usize = 4;

#[test]
fn a_japanese_article_is_summarized_from_kanji_bigrams_and_katakana_words() {
    let doc = article("ja", "台風10号が鹿児島県に上陸", &JAPANESE, "");
    for config in [
        json!({"method": "centrality", "sentences": 1}),
        json!({"method": "centrality", "sentences": 3}),
        json!({"sentences": 1}),
        json!({"sentences": 3}),
    ] {
        let picked = chosen(config.clone(), &doc);
        assert!(picked.contains(&JAPANESE_FACTS), "{config}: {picked:?}");
        assert!(!picked.contains(&JAPANESE_FILLER), "{config}: {picked:?}");
        assert!(!picked.contains(&0), "{config}: {picked:?}");
    }
    // All hiragana: particles and verb endings, no term at all, however long.
    assert_eq!(centrality_rank(&doc, JAPANESE_FILLER), JAPANESE.len() - 2);
}

/// Shorter articles in three more languages and scripts: `(lang, sentences, facts, filler)`.
const MORE: [(&str, [&str; 6], usize, usize); 3] = [
    (
        "fr",
        [
            "La rentrée s'annonce chargée.",
            "Le gouvernement a présenté mercredi un plan de 12 milliards d'euros pour rénover les écoles publiques d'ici 2030.",
            "Ce plan prévoit de rénover en priorité les écoles les plus anciennes.",
            "Et puis, pour les uns comme pour les autres, il y a de cela des années et des années que tout cela se fait par les uns et par les autres sur le même ton, pour un oui ou pour un non.",
            "Les maires attendaient depuis longtemps un tel plan pour leurs écoles.",
            "Les 12 milliards seront versés par le gouvernement sur sept ans.",
        ],
        1,
        3,
    ),
    (
        "ru",
        [
            "В Москве прошло заседание городской думы.",
            "Городская дума Москвы в среду утвердила строительство новой линии метро стоимостью 90 миллиардов рублей.",
            "Новая линия метро соединит центр с южными районами.",
            "И вот в то время, как все они были там же, где и мы, с ними и без них, в том же самом месте и по тем же самым делам, что и всегда.",
            "Строительство линии начнётся весной.",
            "Из 90 миллиардов рублей половину выделит федеральный бюджет.",
        ],
        1,
        3,
    ),
    (
        "ar",
        [
            "عقد مجلس الوزراء اجتماعه الأسبوعي في العاصمة.",
            "وافقت الحكومة يوم الثلاثاء على بناء محطة جديدة لتحلية المياه بتكلفة مليار دولار في مدينة العقبة.",
            "وستوفر محطة تحلية المياه الجديدة مياه الشرب لنصف مليون شخص.",
            "ومن الذي كان لا بد أن يكون هو هذا الذي كان من قبل، وهو ما لم يكن في هذا أو في ذلك.",
            "وقالت الحكومة إن العمل في المحطة سيبدأ العام المقبل.",
            "وتعاني مدينة العقبة من نقص في المياه منذ سنوات.",
        ],
        1,
        3,
    ),
];

#[test]
fn french_russian_and_arabic_articles_are_summarized_by_their_facts() {
    for (lang, sentences, facts, filler) in MORE {
        let doc = article(lang, "", &sentences, " ");
        let picked = chosen(json!({"method": "centrality", "sentences": 1}), &doc);
        assert_eq!(picked, [facts], "{lang}");
        let picked = chosen(json!({"method": "centrality", "sentences": 3}), &doc);
        assert!(!picked.contains(&filler), "{lang}: {picked:?}");
        let mut english = doc.clone();
        english.lang = Some("en".into());
        assert!(
            centrality_rank(&english, filler) < centrality_rank(&doc, filler),
            "{lang}: English statistics should overrate the function-word sentence"
        );
    }
}

#[test]
fn a_language_without_statistics_gets_no_summary_and_a_skip_note() {
    let mut doc = article(
        "fi",
        "Myrsky",
        &["Myrsky iski rannikolle.", "Sähköt katkesivat."],
        " ",
    );
    summarizer(json!({})).process(&mut doc).unwrap();
    assert_eq!(doc.summary, None);
    assert_eq!(doc.skipped.len(), 1);
    assert_eq!(doc.skipped[0].stage, "summarize");
    assert_eq!(doc.skipped[0].lang.as_deref(), Some("fi"));
    assert_eq!(doc.skipped[0].reason, "no model for lang=fi");

    let mut english = article(
        "fi",
        "Myrsky",
        &["Myrsky iski rannikolle.", "Sähköt katkesivat."],
        " ",
    );
    summarizer(json!({"fallback": "english", "sentences": 1}))
        .process(&mut english)
        .unwrap();
    assert_eq!(english.summary.unwrap().sentences.len(), 1);
    assert!(english.skipped.is_empty());

    let mut failing = article("fi", "Myrsky", &["Myrsky iski rannikolle."], " ");
    let error = summarizer(json!({"fallback": "error"}))
        .process(&mut failing)
        .unwrap_err();
    assert!(error.to_string().contains("lang=fi"), "{error}");
    assert_eq!(failing.summary, None);
}

#[test]
fn every_supported_language_gets_a_summary_and_the_factory_lists_them() {
    let listed = SummarizeFactory.languages().unwrap();
    assert_eq!(listed, SUPPORTED_LANGUAGES.map(String::from));
    for lang in SUPPORTED_LANGUAGES {
        let mut doc = article(lang, "", &GERMAN, " ");
        summarizer(json!({"sentences": 2}))
            .process(&mut doc)
            .unwrap();
        doc.check_spans().unwrap();
        assert_eq!(doc.summary.unwrap().sentences.len(), 2, "{lang}");
        assert!(doc.skipped.is_empty(), "{lang}");
    }
}
