//! Languages told apart by their letters alone: Cyrillic and Arabic-script languages, Chinese
//! and Japanese, and simplified and traditional Chinese.
//!
//! Within these scripts each language has letters the others lack (Serbian ђ ћ џ ј, Ukrainian
//! ї є ґ, Urdu ٹ ڈ ڑ, Persian پ چ ژ گ, Japanese kana), or a distinct way of writing the same
//! word (simplified 这 against traditional 這). Counting those letters is exact where the
//! n-gram model would need training text textpipe does not have; the rules below are written
//! from the alphabets, not fitted to data.

use crate::script::{Script, ScriptCensus};

/// A language decided from letters, with how sure the rule is (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LetterVerdict {
    /// The language tag.
    pub lang: &'static str,
    /// How sure: 1 when the deciding letters are plentiful, lower when they are few or absent.
    pub confidence: f32,
}

/// How sure a rule is from the rate of its deciding letters: a rate of 1% or more is certain.
fn sureness(rate: f32) -> f32 {
    (0.5 + rate * 50.0).min(1.0)
}

fn rate(count: usize, letters: usize) -> f32 {
    count as f32 / letters.max(1) as f32
}

/// Russian, Ukrainian, Belarusian, Bulgarian, Macedonian or Serbian (Cyrillic).
pub fn cyrillic_language(text: &str) -> LetterVerdict {
    let (mut letters, mut be, mut uk, mut uk_i, mut mk, mut sr, mut ru, mut hard) =
        (0, 0, 0, 0, 0, 0, 0, 0);
    for c in text.chars() {
        if Script::of(c) != Some(Script::Cyrillic) {
            continue;
        }
        letters += 1;
        match c {
            'ў' | 'Ў' => be += 1,
            'ї' | 'Ї' | 'є' | 'Є' | 'ґ' | 'Ґ' => uk += 1,
            'і' | 'І' => uk_i += 1,
            'ѓ' | 'Ѓ' | 'ќ' | 'Ќ' | 'ѕ' | 'Ѕ' => mk += 1,
            'ђ' | 'Ђ' | 'ћ' | 'Ћ' | 'џ' | 'Џ' | 'ј' | 'Ј' => sr += 1,
            'ы' | 'Ы' | 'э' | 'Э' | 'ё' | 'Ё' => ru += 1,
            'ъ' | 'Ъ' => hard += 1,
            _ => {}
        }
    }
    let rate = |count| rate(count, letters);
    // Belarusian writes і and ў but never и; Ukrainian writes і beside и and never ы.
    let verdict = if rate(be) >= 0.003 {
        ("be", rate(be))
    } else if rate(uk) >= 0.002 || (rate(uk_i) >= 0.01 && rate(ru) < 0.002) {
        ("uk", rate(uk + uk_i))
    } else if rate(mk) >= 0.002 {
        ("mk", rate(mk))
    } else if rate(sr) >= 0.005 {
        ("sr-Cyrl", rate(sr))
    } else if rate(ru) >= 0.003 {
        ("ru", rate(ru))
    } else if rate(hard) >= 0.005 {
        ("bg", rate(hard))
    } else {
        // No deciding letter at all (a short headline): Russian is by far the most written.
        ("ru", 0.0)
    };
    LetterVerdict {
        lang: verdict.0,
        confidence: sureness(verdict.1),
    }
}

/// Arabic, Persian or Urdu.
pub fn arabic_script_language(text: &str) -> LetterVerdict {
    let (mut letters, mut urdu, mut persian, mut arabic) = (0, 0, 0, 0);
    for c in text.chars() {
        if Script::of(c) != Some(Script::Arabic) {
            continue;
        }
        letters += 1;
        match c {
            // ٹ ڈ ڑ ں ے: retroflex letters, noon ghunna and bari ye exist only in Urdu.
            '\u{0679}' | '\u{0688}' | '\u{0691}' | '\u{06BA}' | '\u{06D2}' => urdu += 1,
            // پ چ ژ گ and the Persian forms of kaf and ye (ک ی).
            '\u{067E}' | '\u{0686}' | '\u{0698}' | '\u{06AF}' | '\u{06A9}' | '\u{06CC}' => {
                persian += 1
            }
            // The Arabic forms of ye and kaf, teh marbuta, alef maksura.
            '\u{064A}' | '\u{0643}' | '\u{0629}' | '\u{0649}' => arabic += 1,
            _ => {}
        }
    }
    let verdict = if rate(urdu, letters) >= 0.005 {
        ("ur", rate(urdu, letters))
    } else if persian > arabic {
        ("fa", rate(persian - arabic, letters))
    } else {
        ("ar", rate(arabic - persian, letters))
    };
    LetterVerdict {
        lang: verdict.0,
        confidence: sureness(verdict.1),
    }
}

/// Japanese when kana make up a noticeable part of the Han and kana letters, else Chinese
/// with its script (`zh-Hans` or `zh-Hant`).
pub fn han_language(text: &str, census: &ScriptCensus) -> LetterVerdict {
    let kana = census.count(Script::Kana);
    let han = census.count(Script::Han);
    // Japanese prose is a third to a half kana; Chinese has none, except in quoted names.
    let kana_share = rate(kana, kana + han);
    if kana_share >= 0.05 {
        return LetterVerdict {
            lang: "ja",
            confidence: sureness(kana_share / 10.0),
        };
    }
    let (simplified, traditional) = han_variant_counts(text);
    let lang = if traditional > simplified {
        "zh-Hant"
    } else {
        "zh-Hans"
    };
    // The confidence is in the language, Chinese rather than Japanese; the script variant is
    // reported but does not lower it.
    LetterVerdict {
        lang,
        confidence: (1.0 - kana_share * 10.0).max(0.5),
    }
}

/// Characters written differently in simplified and traditional Chinese: common ones, each
/// pair as (simplified, traditional).
const HAN_PAIRS: &[(char, char)] = &[
    ('们', '們'),
    ('这', '這'),
    ('个', '個'),
    ('来', '來'),
    ('时', '時'),
    ('国', '國'),
    ('说', '說'),
    ('会', '會'),
    ('对', '對'),
    ('发', '發'),
    ('经', '經'),
    ('学', '學'),
    ('后', '後'),
    ('过', '過'),
    ('还', '還'),
    ('进', '進'),
    ('动', '動'),
    ('种', '種'),
    ('长', '長'),
    ('当', '當'),
    ('现', '現'),
    ('开', '開'),
    ('问', '問'),
    ('间', '間'),
    ('关', '關'),
    ('么', '麼'),
    ('实', '實'),
    ('体', '體'),
    ('机', '機'),
    ('从', '從'),
    ('两', '兩'),
    ('产', '產'),
    ('应', '應'),
    ('电', '電'),
    ('业', '業'),
    ('样', '樣'),
    ('没', '沒'),
    ('点', '點'),
    ('东', '東'),
    ('见', '見'),
    ('头', '頭'),
    ('认', '認'),
    ('为', '為'),
    ('与', '與'),
    ('无', '無'),
    ('书', '書'),
    ('车', '車'),
    ('军', '軍'),
    ('门', '門'),
    ('马', '馬'),
    ('鸟', '鳥'),
    ('鱼', '魚'),
    ('龙', '龍'),
    ('广', '廣'),
    ('义', '義'),
    ('乐', '樂'),
    ('买', '買'),
    ('卖', '賣'),
    ('亚', '亞'),
    ('华', '華'),
    ('万', '萬'),
    ('众', '眾'),
    ('优', '優'),
    ('传', '傳'),
    ('伤', '傷'),
    ('价', '價'),
    ('办', '辦'),
    ('务', '務'),
    ('区', '區'),
    ('历', '歷'),
    ('县', '縣'),
    ('参', '參'),
    ('双', '雙'),
    ('变', '變'),
    ('号', '號'),
    ('听', '聽'),
    ('员', '員'),
    ('围', '圍'),
    ('园', '園'),
    ('图', '圖'),
    ('场', '場'),
    ('处', '處'),
    ('备', '備'),
    ('复', '復'),
    ('将', '將'),
    ('岁', '歲'),
    ('币', '幣'),
    ('师', '師'),
    ('带', '帶'),
    ('帮', '幫'),
    ('库', '庫'),
    ('张', '張'),
    ('强', '強'),
    ('总', '總'),
    ('战', '戰'),
    ('报', '報'),
    ('护', '護'),
    ('担', '擔'),
    ('据', '據'),
    ('数', '數'),
    ('旧', '舊'),
    ('显', '顯'),
    ('条', '條'),
    ('极', '極'),
    ('构', '構'),
    ('标', '標'),
    ('欢', '歡'),
    ('汉', '漢'),
    ('气', '氣'),
    ('湾', '灣'),
    ('灯', '燈'),
    ('热', '熱'),
    ('爱', '愛'),
    ('环', '環'),
    ('确', '確'),
    ('离', '離'),
    ('简', '簡'),
    ('线', '線'),
    ('组', '組'),
    ('结', '結'),
    ('给', '給'),
    ('统', '統'),
    ('网', '網'),
    ('联', '聯'),
    ('脑', '腦'),
    ('节', '節'),
    ('苏', '蘇'),
    ('议', '議'),
    ('让', '讓'),
    ('论', '論'),
    ('设', '設'),
    ('识', '識'),
    ('话', '話'),
    ('语', '語'),
    ('请', '請'),
    ('读', '讀'),
    ('调', '調'),
    ('谁', '誰'),
    ('负', '負'),
    ('质', '質'),
    ('费', '費'),
    ('资', '資'),
    ('转', '轉'),
    ('轻', '輕'),
    ('边', '邊'),
    ('达', '達'),
    ('运', '運'),
    ('远', '遠'),
    ('选', '選'),
    ('钱', '錢'),
    ('铁', '鐵'),
    ('队', '隊'),
    ('阳', '陽'),
    ('际', '際'),
    ('难', '難'),
    ('题', '題'),
    ('风', '風'),
    ('飞', '飛'),
    ('馆', '館'),
    ('验', '驗'),
    ('级', '級'),
    ('约', '約'),
    ('纪', '紀'),
    ('红', '紅'),
    ('纸', '紙'),
    ('练', '練'),
    ('织', '織'),
    ('终', '終'),
    ('续', '續'),
    ('维', '維'),
    ('综', '綜'),
    ('编', '編'),
    ('观', '觀'),
    ('规', '規'),
    ('视', '視'),
    ('览', '覽'),
    ('计', '計'),
    ('订', '訂'),
    ('记', '記'),
    ('讲', '講'),
    ('许', '許'),
    ('访', '訪'),
    ('证', '證'),
    ('评', '評'),
    ('词', '詞'),
    ('试', '試'),
    ('该', '該'),
    ('详', '詳'),
    ('误', '誤'),
    ('谈', '談'),
    ('谢', '謝'),
    ('贸', '貿'),
    ('赛', '賽'),
    ('输', '輸'),
    ('农', '農'),
    ('银', '銀'),
    ('错', '錯'),
    ('钟', '鐘'),
    ('闻', '聞'),
    ('陈', '陳'),
    ('险', '險'),
    ('随', '隨'),
    ('领', '領'),
    ('频', '頻'),
    ('预', '預'),
    ('饭', '飯'),
    ('驾', '駕'),
    ('鲁', '魯'),
    ('齐', '齊'),
    ('庆', '慶'),
    ('态', '態'),
    ('状', '狀'),
    ('独', '獨'),
    ('术', '術'),
    ('权', '權'),
    ('杂', '雜'),
];

/// How many characters of `text` are simplified-only and traditional-only forms.
pub fn han_variant_counts(text: &str) -> (usize, usize) {
    static VARIANTS: std::sync::LazyLock<Vec<(char, bool)>> = std::sync::LazyLock::new(|| {
        let mut variants: Vec<(char, bool)> = HAN_PAIRS
            .iter()
            .flat_map(|&(s, t)| [(s, false), (t, true)])
            .collect();
        variants.sort_unstable();
        variants.dedup();
        variants
    });
    let (mut simplified, mut traditional) = (0, 0);
    for c in text.chars() {
        if Script::of(c) != Some(Script::Han) {
            continue;
        }
        if let Ok(at) = VARIANTS.binary_search_by(|(v, _)| v.cmp(&c)) {
            if VARIANTS[at].1 {
                traditional += 1;
            } else {
                simplified += 1;
            }
        }
    }
    (simplified, traditional)
}

#[cfg(test)]
mod tests {
    use super::*;
    use textpipe_core::serbian;

    #[test]
    fn cyrillic_languages_are_told_by_their_letters() {
        assert_eq!(
            cyrillic_language("Это был тёплый день, мы вышли из дома.").lang,
            "ru"
        );
        assert_eq!(
            cyrillic_language("Влада Србије је данас усвојила нови закон о држави.").lang,
            "sr-Cyrl"
        );
        assert_eq!(
            cyrillic_language("Україна підписала угоду з Євросоюзом.").lang,
            "uk"
        );
        assert_eq!(
            cyrillic_language("Беларусь і суседзі ўзялі ўдзел.").lang,
            "be"
        );
        assert_eq!(
            cyrillic_language("Вчера българският парламент гласува бюджета.").lang,
            "bg"
        );
        assert_eq!(
            cyrillic_language("Владата на Македонија ќе ја поддржи одлуката.").lang,
            "mk"
        );
    }

    #[test]
    fn serbian_latin_maps_to_cyrillic_with_its_digraphs() {
        assert_eq!(
            serbian::to_cyrillic("Ljubav, Njegoš i džep."),
            "Љубав, Његош и џеп."
        );
        assert_eq!(
            cyrillic_language(&serbian::to_cyrillic("Vlada je rekla da će doći.")).lang,
            "sr-Cyrl"
        );
    }

    #[test]
    fn arabic_script_languages_are_told_by_their_letters() {
        assert_eq!(
            arabic_script_language("قالت الحكومة إن المفاوضات مستمرة في القاهرة").lang,
            "ar"
        );
        assert_eq!(
            arabic_script_language("دولت ایران گفت که این گزارش درست نیست").lang,
            "fa"
        );
        assert_eq!(
            arabic_script_language("حکومت نے کہا کہ یہ رپورٹ درست نہیں ہے").lang,
            "ur"
        );
    }

    #[test]
    fn japanese_needs_kana_and_chinese_script_is_read_from_the_characters() {
        let ja = "東京都は新しい計画を発表しました。";
        assert_eq!(han_language(ja, &ScriptCensus::of(ja)).lang, "ja");
        let hans = "这个国家的经济发展很快，他们说会继续。";
        assert_eq!(han_language(hans, &ScriptCensus::of(hans)).lang, "zh-Hans");
        let hant = "這個國家的經濟發展很快，他們說會繼續。";
        assert_eq!(han_language(hant, &ScriptCensus::of(hant)).lang, "zh-Hant");
    }
}
