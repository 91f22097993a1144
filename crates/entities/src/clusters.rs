//! Word clusters learned from unlabeled text: words that occur between the same neighbours
//! land in the same cluster, so "Kirkuk" can borrow what the model learned from "Basra".
//!
//! Each frequent word (lowercased) is described by how often each of the most frequent words
//! appears just before and just after it; the square roots of those counts, normalised, are
//! clustered with spherical k-means twice, into a few coarse and many fine clusters. This is
//! a cheap stand-in for Brown clusters (which take hours on large corpora) that works on the
//! few million words of unlabeled text at hand in seconds.

use crate::features::PrehashedMap;

/// Marks a sentence boundary in a corpus of lowercase word hashes.
pub const BOUNDARY: u64 = u64::MAX;

/// How clusters are learned.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Words seen fewer times get no cluster.
    pub min_count: u32,
    /// At most this many words (the most frequent) are clustered.
    pub max_words: usize,
    /// The most frequent words used as left and right contexts.
    pub contexts: usize,
    /// Number of coarse clusters.
    pub coarse: usize,
    /// Number of fine clusters.
    pub fine: usize,
    /// K-means rounds.
    pub rounds: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            min_count: 4,
            max_words: 40_000,
            contexts: 120,
            coarse: 32,
            fine: 256,
            rounds: 8,
        }
    }
}

/// Packs the coarse and fine cluster of a word; 0 means "no cluster".
pub fn pack(coarse: usize, fine: usize) -> u32 {
    1 + ((coarse as u32) << 16 | fine as u32)
}

/// The coarse and fine cluster of a packed value (which must not be 0).
pub fn unpack(packed: u32) -> (u32, u32) {
    let value = packed - 1;
    (value >> 16, value & 0xffff)
}

/// Learns clusters from `corpus`: lowercase word hashes with [`BOUNDARY`] between sentences.
pub fn learn(corpus: &[u64], options: &ClusterOptions) -> PrehashedMap<u32> {
    let mut counts: PrehashedMap<u32> = PrehashedMap::default();
    for &word in corpus.iter().filter(|&&w| w != BOUNDARY) {
        *counts.entry(word).or_default() += 1;
    }
    let mut vocabulary: Vec<(u64, u32)> = counts
        .into_iter()
        .filter(|&(_, n)| n >= options.min_count)
        .collect();
    // Most frequent first; the hash breaks ties so the order never depends on the map.
    vocabulary.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    vocabulary.truncate(options.max_words);
    if vocabulary.len() < options.fine.max(options.coarse) {
        return PrehashedMap::default();
    }
    let vectors = context_vectors(corpus, &vocabulary, options.contexts);
    let coarse = spherical_kmeans(&vectors, options.coarse, options.rounds);
    let fine = spherical_kmeans(&vectors, options.fine, options.rounds);
    vocabulary
        .iter()
        .enumerate()
        .map(|(n, &(word, _))| (word, pack(coarse[n], fine[n])))
        .collect()
}

/// Dense normalised context vectors, one row of `2 * contexts + 2` per vocabulary word.
struct Vectors {
    dimensions: usize,
    values: Vec<f32>,
}

impl Vectors {
    fn row(&self, n: usize) -> &[f32] {
        &self.values[n * self.dimensions..(n + 1) * self.dimensions]
    }

    fn len(&self) -> usize {
        self.values.len() / self.dimensions
    }
}

fn context_vectors(corpus: &[u64], vocabulary: &[(u64, u32)], contexts: usize) -> Vectors {
    let index: PrehashedMap<usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(n, &(w, _))| (w, n))
        .collect();
    // Context slot of a neighbour: one of the most frequent words, or the sentence edge.
    let slot = |word: u64| -> Option<usize> {
        if word == BOUNDARY {
            return Some(contexts);
        }
        index.get(&word).copied().filter(|&n| n < contexts)
    };
    let dimensions = 2 * (contexts + 1);
    let mut values = vec![0f32; vocabulary.len() * dimensions];
    for (i, &word) in corpus.iter().enumerate() {
        let Some(&row) = index.get(&word) else {
            continue;
        };
        let left = if i == 0 { BOUNDARY } else { corpus[i - 1] };
        let right = corpus.get(i + 1).copied().unwrap_or(BOUNDARY);
        if let Some(s) = slot(left) {
            values[row * dimensions + s] += 1.0;
        }
        if let Some(s) = slot(right) {
            values[row * dimensions + contexts + 1 + s] += 1.0;
        }
    }
    for row in values.chunks_mut(dimensions) {
        row.iter_mut().for_each(|v| *v = v.sqrt());
        normalize(row);
    }
    Vectors { dimensions, values }
}

fn normalize(row: &mut [f32]) {
    let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        row.iter_mut().for_each(|v| *v /= norm);
    }
}

/// Spherical k-means (cosine similarity); starts from words spread evenly over the
/// frequency ranking, so the result is deterministic.
fn spherical_kmeans(vectors: &Vectors, k: usize, rounds: usize) -> Vec<usize> {
    let (n, d) = (vectors.len(), vectors.dimensions);
    let mut centroids: Vec<f32> = (0..k)
        .flat_map(|c| vectors.row(c * n / k).to_vec())
        .collect();
    let mut assignment = vec![0usize; n];
    for _ in 0..rounds {
        assign(vectors, &centroids, k, &mut assignment);
        centroids.iter_mut().for_each(|v| *v = 0.0);
        for (i, &c) in assignment.iter().enumerate() {
            for (sum, v) in centroids[c * d..(c + 1) * d].iter_mut().zip(vectors.row(i)) {
                *sum += v;
            }
        }
        for centroid in centroids.chunks_mut(d) {
            normalize(centroid);
        }
    }
    assign(vectors, &centroids, k, &mut assignment);
    assignment
}

/// Assigns every vector to its nearest centroid, on two threads.
fn assign(vectors: &Vectors, centroids: &[f32], k: usize, assignment: &mut [usize]) {
    let d = vectors.dimensions;
    let half = assignment.len() / 2;
    let (first, second) = assignment.split_at_mut(half);
    let work = |offset: usize, out: &mut [usize]| {
        for (i, slot) in out.iter_mut().enumerate() {
            let row = vectors.row(offset + i);
            let mut best = (f32::NEG_INFINITY, 0);
            for c in 0..k {
                let centroid = &centroids[c * d..(c + 1) * d];
                let similarity: f32 = row.iter().zip(centroid).map(|(a, b)| a * b).sum();
                if similarity > best.0 {
                    best = (similarity, c);
                }
            }
            *slot = best.1;
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(|| work(0, first));
        work(half, second);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::TokenFeatures;

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        let h = |w: &str| TokenFeatures::of(w).lower;
        let mut corpus = Vec::new();
        for round in 0..20 {
            for city in ["paris", "rome", "oslo"] {
                corpus.extend([h("flew"), h("to"), h(city), h("today"), BOUNDARY]);
            }
            for name in ["anna", "boris", "carla"] {
                corpus.extend([h(name), h("said"), h("that"), BOUNDARY]);
            }
            corpus.extend([h("round"), h(&round.to_string()), BOUNDARY]);
        }
        let options = ClusterOptions {
            min_count: 2,
            contexts: 6,
            coarse: 2,
            fine: 4,
            ..ClusterOptions::default()
        };
        let clusters = learn(&corpus, &options);
        let fine = |w: &str| unpack(clusters[&h(w)]).1;
        assert_eq!(fine("paris"), fine("oslo"));
        assert_eq!(fine("anna"), fine("carla"));
        assert_ne!(fine("paris"), fine("anna"));
        assert_eq!(unpack(pack(3, 200)), (3, 200));
    }
}
