//! Criterion bench of the tagger in every language with a shipped model: one thread over the
//! text of the language's dev file (tokens joined as the language writes them, one line per
//! sentence), tokenization and sentence finding included, the model loaded outside the timed
//! loop as the stage shares it across documents.
//!
//! Run with `cargo bench -p textpipe-entities --bench languages`; `-- zh` benches one
//! language. Without `../shared` beside the checkout it prints a notice and measures nothing.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use textpipe_entities::conll::{read_conll_file, sample_text};
use textpipe_entities::languages::shipped_model;
use textpipe_entities::EntityTagger;
use textpipe_testkit::shared_file;

/// Language and its dev file under `../shared/` (the training file for French and Russian,
/// which have no other).
const DEV_FILES: &[(&str, &str)] = &[
    ("en", "data/entities/conll2003_dev.conll.gz"),
    ("de", "data/entities/conll2003_de_dev.conll.gz"),
    ("es", "data/entities/conll2002_es_dev.conll.gz"),
    ("nl", "data/entities/conll2002_nl_dev.conll.gz"),
    ("pt", "data/entities/uner_pt_bosque_dev.conll.gz"),
    ("da", "data/entities/uner_da_ddt_dev.conll.gz"),
    ("sv", "data/entities/uner_sv_talbanken_dev.conll.gz"),
    ("zh", "data/entities/uner_zh_gsd_dev.conll.gz"),
    ("hr", "data/entities/uner_hr_set_dev.conll.gz"),
    ("sr", "data/entities/uner_sr_set_dev.conll.gz"),
    ("sk", "data/entities/uner_sk_snk_dev.conll.gz"),
    ("fr", "data/entities/wikineural_fr_dev.conll.gz"),
    ("ru", "data/entities/wikineural_ru_dev.conll.gz"),
];

/// At most this much text per language, so a large file does not make a slow bench.
const MAX_BYTES: usize = 1 << 20;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("entities_languages");
    group.sample_size(10);
    for &(lang, file) in DEV_FILES {
        let Some(path) = shared_file(file) else {
            eprintln!("entities_languages: ../shared/{file} is missing, {lang} not measured");
            continue;
        };
        let documents = read_conll_file(&path).expect("a readable dev file");
        let text = sample_text(&documents, MAX_BYTES);
        let model = shipped_model(lang).expect("every listed language has a model");
        let tagger = EntityTagger::new(model.load());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(lang, |b| {
            b.iter(|| tagger.tag(std::hint::black_box(&text), None).len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
