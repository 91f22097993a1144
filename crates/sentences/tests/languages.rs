//! Hard cases of each built-in language, written for these tests: the abbreviations, ordinals,
//! quotation styles and punctuation that a splitter with English rules gets wrong.

use textpipe_sentences::{SentenceSplitter, LANGUAGES};

/// (language, what the case is about, input, expected sentences)
const CASES: &[(&str, &str, &str, &[&str])] = &[
    (
        "de",
        "z. B. with a space",
        "Manche Städte, z. B. Köln, sind alt. Andere nicht.",
        &["Manche Städte, z. B. Köln, sind alt.", "Andere nicht."],
    ),
    (
        "de",
        "Z. B. capitalised at a sentence start",
        "Es gibt Ausnahmen. Z. B. Hunde dürfen mit. D. h. Katzen nicht.",
        &[
            "Es gibt Ausnahmen.",
            "Z. B. Hunde dürfen mit.",
            "D. h. Katzen nicht.",
        ],
    ),
    (
        "de",
        "a page number before an initial is still a number prefix before digits",
        "Siehe S. 12. Dann weiter.",
        &["Siehe S. 12.", "Dann weiter."],
    ),
    (
        "de",
        "ordinal before a month",
        "Die Wahl ist am 3. Oktober. Dann wird gezählt.",
        &["Die Wahl ist am 3. Oktober.", "Dann wird gezählt."],
    ),
    (
        "de",
        "ordinal before a noun",
        "Er kam auf den 2. Platz und freute sich.",
        &["Er kam auf den 2. Platz und freute sich."],
    ),
    (
        "de",
        "number at a sentence end",
        "Die Zahl der Opfer stieg auf 12. Die Polizei ermittelt.",
        &["Die Zahl der Opfer stieg auf 12.", "Die Polizei ermittelt."],
    ),
    (
        "de",
        "German quotes",
        "Er sagte: „Das ist gut.“ Dann ging er.",
        &["Er sagte: „Das ist gut.“", "Dann ging er."],
    ),
    (
        "de",
        "title and noun",
        "Dr. Müller leitet das Amt. Sie ist neu.",
        &["Dr. Müller leitet das Amt.", "Sie ist neu."],
    ),
    (
        "de",
        "usw. at a sentence end",
        "Äpfel, Birnen usw. Das reicht.",
        &["Äpfel, Birnen usw.", "Das reicht."],
    ),
    (
        "fr",
        "guillemets with spaces",
        "Il a dit : « Nous partons. » Puis il est sorti.",
        &["Il a dit : « Nous partons. »", "Puis il est sorti."],
    ),
    (
        "fr",
        "M. before a name",
        "M. Dupont est arrivé hier. Il est content.",
        &["M. Dupont est arrivé hier.", "Il est content."],
    ),
    (
        "fr",
        "elided opener",
        "Il pleuvait etc. L'homme est rentré.",
        &["Il pleuvait etc.", "L'homme est rentré."],
    ),
    (
        "fr",
        "S.A. mid-sentence",
        "La société Renault S.A. a publié ses comptes.",
        &["La société Renault S.A. a publié ses comptes."],
    ),
    (
        "es",
        "inverted marks",
        "¿Vienes mañana? ¡Claro que sí! Nos vemos.",
        &["¿Vienes mañana?", "¡Claro que sí!", "Nos vemos."],
    ),
    (
        "es",
        "Sr. and Sra.",
        "La Sra. García habló con el Sr. López. Todo salió bien.",
        &["La Sra. García habló con el Sr. López.", "Todo salió bien."],
    ),
    (
        "es",
        "EE.UU. mid-sentence",
        "Viajó a EE.UU. para estudiar. Volvió en mayo.",
        &["Viajó a EE.UU. para estudiar.", "Volvió en mayo."],
    ),
    (
        "it",
        "Dott. before a name",
        "Il Dott. Rossi è arrivato. Ha parlato a lungo.",
        &["Il Dott. Rossi è arrivato.", "Ha parlato a lungo."],
    ),
    (
        "it",
        "S.p.A. mid-sentence",
        "La Fiat S.p.A. ha chiuso l'anno in utile.",
        &["La Fiat S.p.A. ha chiuso l'anno in utile."],
    ),
    (
        "pt",
        "Sr. before a name",
        "O Sr. Silva chegou cedo. Ele trouxe os papéis.",
        &["O Sr. Silva chegou cedo.", "Ele trouxe os papéis."],
    ),
    (
        "pt",
        "headline run into the article",
        "Chuva causa estragos na cidade O temporal de ontem derrubou árvores.",
        &[
            "Chuva causa estragos na cidade",
            "O temporal de ontem derrubou árvores.",
        ],
    ),
    (
        "pt",
        "quotation after a colon",
        "O ministro explicou: «Vamos cortar gastos.» A oposição criticou.",
        &[
            "O ministro explicou:",
            "«Vamos cortar gastos.»",
            "A oposição criticou.",
        ],
    ),
    (
        "nl",
        "bijv. mid-sentence",
        "Neem bijv. de trein. Die is sneller.",
        &["Neem bijv. de trein.", "Die is sneller."],
    ),
    (
        "nl",
        "typewriter quotes",
        ",,Ik kom morgen. '' Hij knikte.",
        &[",,Ik kom morgen. ''", "Hij knikte."],
    ),
    (
        "pl",
        "np. mid-sentence",
        "Kupił owoce, np. jabłka i gruszki. Potem wrócił.",
        &["Kupił owoce, np. jabłka i gruszki.", "Potem wrócił."],
    ),
    (
        "pl",
        "dialogue dash after a question",
        "- Kim jesteś? - spytała dziewczyna. Nikt nie odpowiedział.",
        &[
            "- Kim jesteś? - spytała dziewczyna.",
            "Nikt nie odpowiedział.",
        ],
    ),
    (
        "ru",
        "т. е. with a space",
        "Это важно, т. е. очень важно. Он согласился.",
        &["Это важно, т. е. очень важно.", "Он согласился."],
    ),
    (
        "ru",
        "year abbreviation",
        "Это случилось в 1999 г. Он уехал.",
        &["Это случилось в 1999 г.", "Он уехал."],
    ),
    (
        "ru",
        "city before a name",
        "Он живёт в г. Москва уже давно.",
        &["Он живёт в г. Москва уже давно."],
    ),
    (
        "cs",
        "ordinal before a month",
        "Schůze byla 1. září v Praze. Přišli všichni.",
        &["Schůze byla 1. září v Praze.", "Přišli všichni."],
    ),
    (
        "cs",
        "tzv. mid-sentence",
        "Jde o tzv. Velkou cenu. Závod je dlouhý.",
        &["Jde o tzv. Velkou cenu.", "Závod je dlouhý."],
    ),
    (
        "sv",
        "t.ex. mid-sentence",
        "Vi åt frukt, t.ex. äpplen. Sedan gick vi.",
        &["Vi åt frukt, t.ex. äpplen.", "Sedan gick vi."],
    ),
    (
        "da",
        "ordinal date",
        "Mødet er den 5. maj i København. Alle kommer.",
        &["Mødet er den 5. maj i København.", "Alle kommer."],
    ),
    (
        "da",
        "f.eks. mid-sentence",
        "Han købte f.eks. brød og mælk. Så gik han hjem.",
        &["Han købte f.eks. brød og mælk.", "Så gik han hjem."],
    ),
    (
        "tr",
        "dotted capital I in an abbreviation",
        "Toplantı İst. Üniv. salonunda yapıldı. Herkes geldi.",
        &["Toplantı İst. Üniv. salonunda yapıldı.", "Herkes geldi."],
    ),
    (
        "tr",
        "ordinal",
        "Takım 3. sırada bitirdi. Bu bir başarı.",
        &["Takım 3. sırada bitirdi.", "Bu bir başarı."],
    ),
    (
        "tr",
        "quoted question before a speech verb",
        "Neden geldin? diye sordu. Cevap vermedim.",
        &["Neden geldin? diye sordu.", "Cevap vermedim."],
    ),
    (
        "tr",
        "Prof. Dr. before a name",
        "Prof. Dr. Ayşe Yılmaz konuştu. Salon doluydu.",
        &["Prof. Dr. Ayşe Yılmaz konuştu.", "Salon doluydu."],
    ),
    (
        "ar",
        "Arabic question mark",
        "هل أنت بخير؟ نعم، أنا بخير.",
        &["هل أنت بخير؟", "نعم، أنا بخير."],
    ),
    (
        "ar",
        "Arabic comma is not an end",
        "ذهبنا إلى السوق، واشترينا الخبز. ثم عدنا.",
        &["ذهبنا إلى السوق، واشترينا الخبز.", "ثم عدنا."],
    ),
    (
        "ar",
        "period after a word",
        "وصل الوفد أمس. وقال الوزير إن المحادثات مثمرة.",
        &["وصل الوفد أمس.", "وقال الوزير إن المحادثات مثمرة."],
    ),
    (
        "ar",
        "title before a name",
        "التقى د. أحمد بالصحفيين. وأكد أن العمل مستمر.",
        &["التقى د. أحمد بالصحفيين.", "وأكد أن العمل مستمر."],
    ),
    (
        "ar",
        "year marker before an opener",
        "تأسست المدينة عام 762 م. وكانت عاصمة كبيرة.",
        &["تأسست المدينة عام 762 م.", "وكانت عاصمة كبيرة."],
    ),
    (
        "ar",
        "exclamation and semicolon",
        "يا له من يوم جميل! لقد فزنا؛ والجميع سعداء.",
        &["يا له من يوم جميل!", "لقد فزنا؛ والجميع سعداء."],
    ),
    (
        "zh",
        "full-width marks without spaces",
        "今天下雨了。你带伞了吗？带了！",
        &["今天下雨了。", "你带伞了吗？", "带了！"],
    ),
    (
        "zh",
        "closing quote after the mark",
        "他说：“我们走吧。”大家都同意。",
        &["他说：“我们走吧。”", "大家都同意。"],
    ),
    (
        "ja",
        "corner brackets after the mark",
        "彼は「行きます。」と言った。雨だった。",
        &["彼は「行きます。」と言った。", "雨だった。"],
    ),
    (
        "ja",
        "ASCII marks without spaces",
        "美味しい!また来ます?はい。",
        &["美味しい!", "また来ます?", "はい。"],
    ),
    (
        "ja",
        "opening quote after the mark",
        "会議は終わった。“次回”は未定だ。",
        &["会議は終わった。", "“次回”は未定だ。"],
    ),
];

#[test]
fn every_language_case_splits_as_expected() {
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|&(lang, name, input, expected)| {
            let splitter = SentenceSplitter::for_language(lang).expect("a built-in language");
            let got: Vec<&str> = splitter.sentences(input).collect();
            (got != expected).then(|| {
                format!("{lang}, {name}:\n  input    {input:?}\n  expected {expected:?}\n  got      {got:?}")
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_built_in_language_has_cases() {
    for lang in LANGUAGES {
        let count = CASES.iter().filter(|case| case.0 == lang).count();
        assert!(count >= 1 || lang == "en", "{lang} has no case of its own");
    }
}
