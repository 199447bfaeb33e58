"""Topic depth: an explainable 0-100 score, computed offline from the site itself.

The score is the sum of four named components; each is reported with its value, its points, its
maximum and what would raise it, so that an author can see *why* an article scores what it does.
Nothing is downloaded: the reference for "the topic" is the site's own articles.

==================  ======  =================================================================
component           points  how it is measured
==================  ======  =================================================================
``coverage``        35      Key terms of the article's topic cluster that the article uses.
``subtopics``       20      H2/H3 sections actually developed (80 words or more).
``evidence``        25      Figures, dates, external sources, quotations, tables per 1,000 words.
``originality``     20      Share of the article's 5-word sequences not found in other articles.
==================  ======  =================================================================

Coverage (35)
    The *cluster* of an article is the other articles in the same language filed under its
    category or one of its tags, each weighted by the number of groups (category, tags) it
    shares with the article. An article *uses* a term fully with 2 mentions or more, half with
    one. A term's *cluster share* is the weighted share of cluster articles using it; its weight is
    ``share × ln((N + 1) / (df + 1))`` with N articles on the site and df of them using the term
    (TF-IDF with the cluster as the document and the site as the corpus: a term every article
    uses weighs nothing). Key terms: the 20 heaviest terms used by ≥ 2 (weighted) cluster
    articles and ≥ 20 % of the cluster, and present in 2 other articles of the site at least.
    The article itself is left out of its cluster, so it cannot make its own key terms. Coverage = Σ weight × min(mentions, 2) / 2 ÷ Σ weight: the
    first two mentions of a term count, more do not (MarketMuse-style; stuffing does not pay).
    Points = 35 × min(1, coverage / 0.75). Not applicable (and the score rescaled over the
    other components) when the cluster has fewer than 3 articles or yields fewer than 5 key
    terms. Terms: see `contentkit.analytics.terms` (elisions split, stop words, light stems).
Sub-topics (20)
    An H2 or H3 section is developed when its prose (up to the next H2/H3) has 80+ words.
    Points = 5 per developed section, at most 4 counted.
Evidence (25), densities per 1,000 words (words counted as at least 300, so that a short
    news item is not rewarded for a single figure); each sub-item saturates at its target:
    figures (numbers that are not dates, percentages included) 8 pts at 8 / 1,000 words;
    dates (years, full dates) 2 pts at 2; distinct external sources (distinct hosts of
    links leaving the site) 9 pts at 3; quotations (block quotes, « … » / “ … ” of 5+ words)
    3 pts at 1; tables 3 pts at 0.5.
Originality (20)
    5-word shingles (lowercase words, stop words kept) compared with every other analysed
    article. ``reused`` = share of the article's shingles found in at least one other article.
    Points = 20 × clamp(1 − (reused − 0.05) / 0.45): up to 5 % reused (set phrases) costs
    nothing, 50 % or more gives 0. The most similar article (Jaccard index of the shingle
    sets) is named; the pair is flagged as near-duplicates when Jaccard ≥ 0.5 or when 80 % of
    either article's shingles are in the other. Shingles shared by more than 50 articles are
    boilerplate and ignored when looking for the most similar article (not for ``reused``).

The score is round(100 × Σ points / Σ maximum points of the applicable components).
"""
from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
import numpy as np
from scipy import sparse

from contentkit.analytics.terms import forms_of_tokens, stem
from contentkit.i18n import catalog
from contentkit.text import lang_root, prose_blocks, tokenize_words

__all__ = ["WEIGHTS", "DepthFeatures", "DepthDoc", "Component", "DepthResult", "depth_features",
           "score_depth", "FEATURES_VERSION"]

FEATURES_VERSION = "depth-1"

WEIGHTS = {"coverage": 35, "subtopics": 20, "evidence": 25, "originality": 20}

KEY_TERMS = 20
MIN_CLUSTER_ARTICLES = 3
MIN_KEY_TERMS = 5
MIN_TERM_SHARE = 0.2
MIN_TERM_CLUSTER_DOCS = 2
MENTIONS_CAP = 2
FULL_COVERAGE = 0.75
MISSING_SHOWN = 5

SECTION_MIN_WORDS = 80
SECTIONS_COUNTED = 4

DENSITY_MIN_WORDS = 300
# name -> (target per 1,000 words, points)
EVIDENCE_TARGETS = {
    "figures": (8.0, 8.0),
    "dates": (2.0, 2.0),
    "sources": (3.0, 9.0),
    "quotes": (1.0, 3.0),
    "tables": (0.5, 3.0),
}

SHINGLE = 5
REUSE_FREE = 0.05
REUSE_ZERO = 0.50
NEAR_DUP_JACCARD = 0.5
NEAR_DUP_CONTAINMENT = 0.8
BOILERPLATE_DOCS = 50

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SECTION_HEADINGS = {"h2", "h3"}
_TABLE_KINDS = {"td", "th"}


# ------------------------------------------------------------------------------ per article

@dataclass(frozen=True)
class Section:
    level: int
    title: str
    words: int
    has_children: bool  # an H2 directly followed by H3s: its own text is an introduction


@dataclass(frozen=True)
class DepthFeatures:
    """What depth needs from one article; depends only on its HTML, language and site hosts."""

    forms: dict[str, int]          # written form of each candidate term -> mentions
    sections: tuple[Section, ...]
    figures: int
    percentages: int
    dates: int
    hosts: tuple[str, ...]         # distinct external link hosts, sorted
    blockquotes: int
    inline_quotes: int
    tables: int
    shingles: np.ndarray           # sorted unique uint64 hashes of 5-word shingles

    @property
    def quotes(self) -> int:
        return self.blockquotes + self.inline_quotes


_HAS_DIGIT = re.compile(r"\d")
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")
_DATE_RE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")
_NUMBER_RE = re.compile(r"^[\d\u00a0\u202f .,:/-]*\d[\d\u00a0\u202f .,:/-]*$")
_PERCENT_RE = re.compile(r"\d\s?%|\d\s(?:pour\s?cent|percent|per cent)\b", re.IGNORECASE)
_MONTHS = re.compile(
    r"\b\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre|january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b", re.IGNORECASE)
_QUOTE_RES = (re.compile(r"«\s*([^«»]+?)\s*»"), re.compile(r"“([^“”]+)”"),
              re.compile(r"\"([^\"]+)\""))
_QUOTE_MIN_WORDS = 5


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def site_hosts(*urls: str) -> tuple[str, ...]:
    """Hosts that are not external sources: the site's and the publisher's (``www.`` dropped)."""
    return tuple(sorted({h for h in (_host(u) for u in urls if u) if h}))


_WORD_IDS: dict[str, int] = {}


def _word_id(word: str) -> int:
    b = word.encode("utf-8", "surrogatepass")
    wid = _WORD_IDS[word] = (zlib.crc32(b) << 32) | zlib.crc32(b, 0x9E3779B9)
    if len(_WORD_IDS) > 500_000:
        _WORD_IDS.clear()
    return wid


def _word_ids(tokens: list[str]) -> np.ndarray:
    """Stable 64-bit ids of words (two CRC-32s), the same in every process and run."""
    get = _WORD_IDS.get
    return np.fromiter((get(t) or _word_id(t) for t in tokens), dtype=np.uint64,
                       count=len(tokens))


_P = np.uint64(0x100000001B3)


def shingle_hashes(tokens: list[str], size: int = SHINGLE) -> np.ndarray:
    """Sorted unique hashes of the ``size``-word shingles of ``tokens`` (lowercase words)."""
    if len(tokens) < size:
        return np.empty(0, dtype=np.uint64)
    ids = _word_ids(tokens)
    n = len(ids) - size + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(size):
            h = h * _P + ids[k:k + n]
    return np.unique(h)


def depth_features(html: str, lang: str, own_hosts: Sequence[str] = ()) -> DepthFeatures:
    """Extract what depth needs from an article's rendered HTML (never from Markdown)."""
    blocks = prose_blocks(html, include_tables=True)
    forms: Counter = Counter()
    sections: list[list] = []  # [level, title, words]
    figures = percentages = dates = inline_quotes = 0
    shingle_tokens: list[str] = []
    for block in blocks:
        tokens = tokenize_words(block.text, lang)
        forms_of_tokens(tokens, lang, into=forms)
        if block.kind in _TABLE_KINDS:
            continue  # table cells: terms yes; prose measures, figures and shingles no
        shingle_tokens.extend(t.lower() for t in tokens)
        if block.kind in _SECTION_HEADINGS:
            sections.append([int(block.kind[1]), block.text, 0])
            continue
        if block.kind in _HEADINGS:
            continue
        if sections:
            sections[-1][2] += len(tokens)
        if _HAS_DIGIT.search(block.text):
            for t in tokens:
                if not _HAS_DIGIT.search(t):
                    continue
                if _YEAR_RE.match(t) or _DATE_RE.match(t):
                    dates += 1
                elif _NUMBER_RE.match(t):
                    figures += 1
            percentages += len(_PERCENT_RE.findall(block.text))
            dates += len(_MONTHS.findall(block.text))
        if block.kind != "blockquote":
            for rx in _QUOTE_RES:
                inline_quotes += sum(len(q.split()) >= _QUOTE_MIN_WORDS for q in rx.findall(block.text))

    own = set(own_hosts)
    hosts: set[str] = set()
    blockquotes = tables = 0
    if html and html.strip():
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for el in root.iter("a", "blockquote", "table"):
            if el.tag == "a":
                host = _host(el.get("href") or "")
                if host and host not in own and not any(host.endswith("." + o) for o in own):
                    hosts.add(host)
            elif el.tag == "blockquote":
                blockquotes += 1
            else:
                tables += 1

    built = tuple(Section(level, title, words,
                          has_children=i + 1 < len(sections) and sections[i + 1][0] > level)
                  for i, (level, title, words) in enumerate(sections))
    return DepthFeatures(forms=dict(forms), sections=built, figures=figures,
                         percentages=percentages, dates=dates, hosts=tuple(sorted(hosts)),
                         blockquotes=blockquotes, inline_quotes=inline_quotes, tables=tables,
                         shingles=shingle_hashes(shingle_tokens))


# ------------------------------------------------------------------------------ site-wide

@dataclass(frozen=True)
class DepthDoc:
    """One article as the site-wide scoring sees it."""

    source: str
    lang: str
    words: int                  # prose words (text_measures), the density denominator
    groups: tuple[str, ...]     # "category:<slug>", "tag:<slug>"
    features: DepthFeatures


@dataclass
class Component:
    name: str
    value: float | None
    points: float | None
    max_points: float
    explanation: str
    to_improve: str
    details: dict = field(default_factory=dict)

    @property
    def applicable(self) -> bool:
        return self.points is not None


@dataclass
class DepthResult:
    score: int
    components: list[Component]
    key_terms: list[dict]             # {term, weight, mentions}
    missing_terms: list[str]
    cluster_articles: int
    most_similar: dict | None         # {source, jaccard, containment}
    near_duplicate_of: str | None
    reused_share: float

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


def _fr(lang: str) -> bool:
    return lang_root(lang) == "fr"


def _n(x: float, fr: bool, digits: int = 0) -> str:
    text = f"{x:,.{digits}f}"
    if fr:
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _cat(fr: bool):
    """The catalog of the report's language (depth functions take a `fr` flag)."""
    return catalog("fr" if fr else "en")


def _pct(x: float, fr: bool) -> str:
    return f"{_n(100 * x, fr)}\u00a0%" if fr else f"{100 * x:.0f}%"


def _scoped_groups(doc: DepthDoc) -> tuple[str, ...]:
    """A cluster only holds articles in the same language: key terms are words."""
    root = lang_root(doc.lang)
    return tuple(f"{root}|{g}" for g in doc.groups)


class _TermIndex:
    """Stems of every article, the site's document frequencies and the groups' ones."""

    def __init__(self, docs: Sequence[DepthDoc]):
        per_doc: list[dict[str, int]] = []
        form_totals: Counter = Counter()
        for d in docs:
            counts: dict[str, int] = {}
            for form, c in d.features.forms.items():
                s = stem(form, d.lang)
                counts[s] = counts.get(s, 0) + c
            form_totals.update(d.features.forms)
            per_doc.append(counts)
        vocab = sorted({s for counts in per_doc for s in counts})
        index = {s: i for i, s in enumerate(vocab)}
        self.vocab = vocab
        self.idx: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        for counts in per_doc:
            keys = sorted(counts)
            self.idx.append(np.array([index[k] for k in keys], dtype=np.int64))
            self.counts.append(np.array([counts[k] for k in keys], dtype=np.int64))
        n_docs, v = len(docs), len(vocab)
        all_idx = np.concatenate(self.idx) if self.idx else np.empty(0, dtype=np.int64)
        self.df = np.bincount(all_idx, minlength=v).astype(np.float64)
        self.idf = np.log((n_docs + 1) / (self.df + 1))
        # Display form of a stem: its most frequent written form on the site (ties: alphabetical).
        self._form_totals = form_totals
        self._display: dict[int, str] | None = None
        self._docs_forms = [d.features.forms for d in docs]
        # groups
        members: dict[str, list[int]] = {}
        for i, d in enumerate(docs):
            for g in _scoped_groups(d):
                members.setdefault(g, []).append(i)
        self.group_names = sorted(members)
        self.group_members = {g: np.array(members[g], dtype=np.int64) for g in self.group_names}
        self.group_row = {g: k for k, g in enumerate(self.group_names)}
        # An article counts fully for a term it uses twice or more, half for a single mention.
        self.use = [np.minimum(c, MENTIONS_CAP) / MENTIONS_CAP for c in self.counts]
        rows, cols, vals = [], [], []
        for g in self.group_names:
            for i in members[g]:
                rows.append(np.full(len(self.idx[i]), self.group_row[g], dtype=np.int64))
                cols.append(self.idx[i])
                vals.append(self.use[i])
        if rows:
            r, c = np.concatenate(rows), np.concatenate(cols)
            self.group_df = sparse.csr_matrix((np.concatenate(vals), (r, c)),
                                              shape=(len(self.group_names), v))
        else:
            self.group_df = sparse.csr_matrix((0, v))

    def display(self, stem_index: int, docs: Sequence[DepthDoc]) -> str:
        if self._display is None:
            self._display = {}
            best: dict[int, tuple[int, str]] = {}
            index = {s: i for i, s in enumerate(self.vocab)}
            for d, forms in zip(docs, self._docs_forms):
                for form in forms:
                    i = index[stem(form, d.lang)]
                    total = self._form_totals[form]
                    cur = best.get(i)
                    if cur is None or (-total, form) < (-cur[0], cur[1]):
                        best[i] = (total, form)
            self._display = {i: f for i, (_, f) in best.items()}
        return self._display[stem_index]


def score_depth(docs: Sequence[DepthDoc]) -> list[DepthResult]:
    """Depth of every article of ``docs`` (the whole analysed site), in the same order."""
    if not docs:
        return []
    terms = _TermIndex(docs)
    originality = _originality(docs)
    coverages: list = [None] * len(docs)
    clusters = _Clusters(terms)
    # articles with the same groups share their cluster: visit them together
    for i in sorted(range(len(docs)), key=lambda i: (_scoped_groups(docs[i]), i)):
        coverages[i] = _coverage(i, docs[i], docs, terms, clusters, _fr(docs[i].lang))
    results = []
    for i, doc in enumerate(docs):
        fr = _fr(doc.lang)
        coverage, key_terms, missing, cluster_n = coverages[i]
        components = [coverage, _subtopics(doc, fr), _evidence(doc, fr), originality[i][0]]
        applicable = [c for c in components if c.applicable]
        total_max = sum(c.max_points for c in applicable)
        score = round(100 * sum(c.points for c in applicable) / total_max) if total_max else 0
        _, most_similar, near_dup, reused = originality[i]
        results.append(DepthResult(score=int(score), components=components, key_terms=key_terms,
                                   missing_terms=missing, cluster_articles=cluster_n,
                                   most_similar=most_similar, near_duplicate_of=near_dup,
                                   reused_share=reused))
    return results


class _Clusters:
    """Cluster document frequencies of a set of groups, for the last set asked (see caller)."""

    def __init__(self, terms: _TermIndex):
        self.terms = terms
        self._key: tuple | None = None
        self._value: tuple | None = None

    def get(self, groups: tuple[str, ...]) -> tuple[np.ndarray | None, float, int]:
        """(Σ group df, Σ group sizes, distinct articles in the groups)."""
        if groups != self._key:
            t = self.terms
            if groups:
                members = np.unique(np.concatenate([t.group_members[g] for g in groups]))
                rows = [t.group_row[g] for g in groups]
                cdf = np.asarray(t.group_df[rows].sum(axis=0)).ravel()
                size = float(sum(len(t.group_members[g]) for g in groups))
                self._value = (cdf, size, int(len(members)))
            else:
                self._value = (None, 0.0, 0)
            self._key = groups
        return self._value


def _coverage(i: int, doc: DepthDoc, docs, terms: _TermIndex, clusters: _Clusters, fr: bool):
    max_points = WEIGHTS["coverage"]
    name = "coverage"
    groups = tuple(g for g in _scoped_groups(doc) if g in terms.group_row)
    base_cdf, base_size, distinct = clusters.get(groups)
    cluster_n = max(0, distinct - 1)
    t = _cat(fr)
    not_applicable = t.t("analysis.depth.no_cluster")
    na_improve = t.t("analysis.depth.no_cluster_improve")
    if cluster_n < MIN_CLUSTER_ARTICLES:
        return (Component(name, None, None, max_points, not_applicable, na_improve,
                          {"cluster_articles": cluster_n, "key_terms": 0}), [], [], cluster_n)
    own_idx, own_counts = terms.idx[i], terms.counts[i]
    k = len(groups)
    cdf = base_cdf.copy()
    cdf[own_idx] -= k * terms.use[i]
    csize = base_size - k
    share = cdf / csize
    site_df_others = terms.df.copy()
    site_df_others[own_idx] -= 1
    weight = share * terms.idf
    eligible = ((cdf >= MIN_TERM_CLUSTER_DOCS) & (share >= MIN_TERM_SHARE)
                & (site_df_others >= 2) & (weight > 0))
    cand = np.nonzero(eligible)[0]
    if len(cand) < MIN_KEY_TERMS:
        return (Component(name, None, None, max_points,
                          t.t("analysis.depth.few_terms"),
                          na_improve, {"cluster_articles": cluster_n, "key_terms": int(len(cand))}),
                [], [], cluster_n)
    w = np.round(weight[cand], 12)  # stable ordering across platforms' last-bit noise
    order = np.lexsort((cand, -w))[:KEY_TERMS]
    key = cand[order]
    kw = weight[key]
    mentions = np.zeros(len(key), dtype=np.int64)
    pos = np.searchsorted(own_idx, key)
    pos_ok = pos < len(own_idx)
    hit = np.zeros(len(key), dtype=bool)
    hit[pos_ok] = own_idx[pos[pos_ok]] == key[pos_ok]
    mentions[hit] = own_counts[pos[hit]]
    credited = np.minimum(mentions, MENTIONS_CAP) / MENTIONS_CAP
    value = float((kw * credited).sum() / kw.sum())
    points = max_points * min(1.0, value / FULL_COVERAGE)
    key_terms = [{"term": terms.display(int(s), docs), "weight": float(wt), "mentions": int(m)}
                 for s, wt, m in zip(key, kw, mentions)]
    missing = [t["term"] for t in key_terms if t["mentions"] == 0]
    covered = sum(1 for t in key_terms if t["mentions"] > 0)
    t = _cat(fr)
    explanation = t.t("analysis.depth.coverage", covered=covered, total=len(key_terms),
                      cluster=cluster_n, pct=_pct(value, fr))
    improve = (t.t("analysis.depth.coverage_missing", terms=", ".join(missing[:MISSING_SHOWN]))
               if missing else t.t("analysis.depth.coverage_twice") if value < 1
               else t.t("analysis.depth.coverage_full"))
    comp = Component(name, value, points, max_points, explanation, improve,
                     {"cluster_articles": cluster_n, "key_terms": len(key_terms),
                      "covered": covered, "missing": missing[:MISSING_SHOWN]})
    return comp, key_terms, missing[:MISSING_SHOWN], cluster_n


def _subtopics(doc: DepthDoc, fr: bool) -> Component:
    max_points = WEIGHTS["subtopics"]
    sections = doc.features.sections
    developed = [s for s in sections if s.words >= SECTION_MIN_WORDS]
    thin = [s for s in sections if s.words < SECTION_MIN_WORDS and not s.has_children]
    n = len(developed)
    points = max_points * min(n, SECTIONS_COUNTED) / SECTIONS_COUNTED
    t = _cat(fr)
    explanation = t.t(f"analysis.depth.{'sections_other' if n > 1 else 'sections_one'}", n=n,
                      min=SECTION_MIN_WORDS, total=len(sections))
    if n >= SECTIONS_COUNTED:
        improve = t.t("analysis.depth.evidence_max")
    elif thin:
        improve = t.t("analysis.depth.develop", sections=", ".join(
            t.t("analysis.depth.develop_item", title=s.title, words=s.words) for s in thin[:3]))
    else:
        improve = t.t("analysis.depth.structure", min=SECTION_MIN_WORDS, counted=SECTIONS_COUNTED)
    return Component("subtopics", n, points, max_points, explanation, improve,
                     {"sections": len(sections), "developed": n,
                      "thin": [{"title": s.title, "words": s.words} for s in thin]})


# Evidence labels and advice: analysis.depth.evidence.<kind> / analysis.depth.advice.<kind>.


def _evidence(doc: DepthDoc, fr: bool) -> Component:
    f = doc.features
    counts = {"figures": f.figures, "dates": f.dates, "sources": len(f.hosts),
              "quotes": f.quotes, "tables": f.tables}
    per = 1000 / max(doc.words, DENSITY_MIN_WORDS)
    densities = {k: v * per for k, v in counts.items()}
    parts = {k: pts * min(1.0, densities[k] / target) for k, (target, pts) in EVIDENCE_TARGETS.items()}
    points = sum(parts.values())
    value = sum(densities.values())
    # what would raise it most: the sub-item with the most points still to gain
    gains = sorted(((EVIDENCE_TARGETS[k][1] - parts[k], k) for k in parts), key=lambda x: (-x[0], x[1]))
    t = _cat(fr)
    listing = ", ".join(f"{counts[k]} {t.t(f'analysis.depth.evidence.{k}')}" for k in counts)
    explanation = t.t("analysis.depth.evidence_explanation", value=_n(value, fr, 1), listing=listing)
    todo = [t.t(f"analysis.depth.advice.{k}") for gain, k in gains if gain > 0.5][:2]
    improve = "; ".join(todo) if todo else t.t("analysis.depth.evidence_max")
    return Component("evidence", value, points, WEIGHTS["evidence"], explanation, improve,
                     {"counts": {**counts, "percentages": f.percentages},
                      "per_1000_words": densities,
                      "points": parts,
                      "sources": list(f.hosts)})


def _originality(docs: Sequence[DepthDoc]):
    """Per doc: (component, most_similar, near_duplicate_of, reused share)."""
    n = len(docs)
    sizes = np.array([len(d.features.shingles) for d in docs], dtype=np.int64)
    out = []
    reused = np.zeros(n)
    inter: dict[tuple[int, int], int] = {}
    if sizes.sum():
        all_h = np.concatenate([d.features.shingles for d in docs])
        doc_of = np.repeat(np.arange(n, dtype=np.int64), sizes)
        uniq, inverse, counts = np.unique(all_h, return_inverse=True, return_counts=True)
        c = counts[inverse]
        shared = np.bincount(doc_of, weights=(c >= 2).astype(np.float64), minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            reused = np.where(sizes > 0, shared / np.maximum(sizes, 1), 0.0)
        # Pairs of documents sharing non-boilerplate shingles, with the number they share.
        sel = (c >= 2) & (c <= BOILERPLATE_DOCS)
        if sel.any():
            keys, docs_sel = inverse[sel], doc_of[sel]
            order = np.lexsort((docs_sel, keys))
            keys, docs_sel = keys[order], docs_sel[order]
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            lengths = np.diff(np.r_[starts, len(keys)])
            pair_keys = []
            for k in np.unique(lengths):
                st = starts[lengths == k]
                block = docs_sel[st[:, None] + np.arange(k)[None, :]]  # (groups, k), sorted docs
                a, b = np.triu_indices(int(k), 1)
                pair_keys.append((block[:, a] * n + block[:, b]).ravel())
            pk, pc = np.unique(np.concatenate(pair_keys), return_counts=True)
            for key, cnt in zip(pk.tolist(), pc.tolist()):
                inter[(key // n, key % n)] = cnt
    best: dict[int, tuple[float, float, float, int]] = {}  # doc -> (jaccard, cont_self, cont_other, other)
    for (a, b), k in inter.items():
        union = sizes[a] + sizes[b] - k
        j = k / union if union else 0.0
        for x, y in ((a, b), (b, a)):
            cand = (j, k / sizes[x], k / sizes[y], y)
            cur = best.get(x)
            # highest Jaccard; ties: the earlier document in the (sorted) analysis order
            if cur is None or (cand[0], -cand[3]) > (cur[0], -cur[3]):
                best[x] = cand
    for i, d in enumerate(docs):
        fr = _fr(d.lang)
        r = float(reused[i])
        points = WEIGHTS["originality"] * min(1.0, max(0.0, 1 - (r - REUSE_FREE) / (REUSE_ZERO - REUSE_FREE)))
        most_similar = near = None
        if i in best:
            j, c_self, c_other, other = best[i]
            most_similar = {"source": docs[other].source, "jaccard": j, "containment": c_self}
            if j >= NEAR_DUP_JACCARD or c_self >= NEAR_DUP_CONTAINMENT or c_other >= NEAR_DUP_CONTAINMENT:
                near = docs[other].source
        t = _cat(fr)
        if sizes[i] == 0:
            expl = t.t("analysis.depth.too_short")
        else:
            expl = t.t("analysis.depth.original_share", pct=_pct(1 - r, fr))
        if most_similar:
            expl += t.t("analysis.depth.closest", source=most_similar["source"],
                        jaccard=_n(most_similar["jaccard"], fr, 2))
        if near:
            improve = t.t("analysis.depth.near_duplicate", near=near)
        elif r > REUSE_FREE:
            improve = t.t("analysis.depth.rephrase", pct=_pct(r, fr))
        else:
            improve = t.t("analysis.depth.original")
        comp = Component("originality", 1 - r, points, WEIGHTS["originality"], expl, improve,
                         {"reused_share": r, "shingles": int(sizes[i]),
                          "most_similar": most_similar, "near_duplicate_of": near})
        out.append((comp, most_similar, near, r))
    return out


def correlation_note(rho: float | None, lang: str) -> str:
    """How strong a Spearman correlation is, in words of `lang` (for the terminal summary)."""
    t = catalog(lang)
    if rho is None or math.isnan(rho):
        return t.t("analysis.terminal.not_available")
    a = abs(rho)
    strength = ("very_weak" if a < 0.2 else "weak" if a < 0.4 else "moderate" if a < 0.6
                else "strong" if a < 0.8 else "very_strong")
    return t.t("analysis.terminal." + ("positive" if rho >= 0 else "negative"),
               strength=t.t(f"analysis.terminal.strength.{strength}"))
