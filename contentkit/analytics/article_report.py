"""Per-article analysis of a site: text measures, readability, editorial checks, topic depth.

    Site ──select_articles──▶ [Article]  (posts; published, or every status with drafts)
      per article (cached by content hash, computed in worker processes when many):
         html ─text_measures──▶ TextMeasures          readability.py
         html ─depth_features─▶ DepthFeatures         depth.py
      site-wide (always recomputed: it depends on every article):
         score_depth ─▶ DepthResult (clusters, key terms, originality)
      ─▶ [ArticleAnalysis] + summary ─▶ AnalysisReport ─▶ outputs.py (CSV, JSON, terminal)

Other analyses (traffic, length norms) extend the report without touching this module: they add
per-article values to ``ArticleAnalysis.extra`` and top-level blocks to ``AnalysisReport.extra``;
outputs.py writes both (see `outputs.Column` for extra CSV columns).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import statistics
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from contentkit import __version__, text
from contentkit.analytics import depth, readability, syllables, terms
from contentkit.analytics.depth import (FEATURES_VERSION, DepthDoc, DepthFeatures, DepthResult,
                                        depth_features, score_depth, site_hosts)
from contentkit.analytics.readability import (MIN_WORDS, Check, ReadabilityScores, TextMeasures,
                                              editorial_checks, editorial_hints,
                                              readability_scores, text_measures)
from contentkit.content.cache import CACHE_DIR
from contentkit.i18n import catalog
from contentkit.model import Article, Site
from contentkit.output import write_atomic
from contentkit.text import lang_root

__all__ = ["ANALYSIS_VERSION", "ArticleFeatures", "ArticleAnalysis", "AnalysisReport",
           "AnalysisCache", "select_articles", "analyze_site", "spearman"]

# Bump when anything cached per article changes meaning (measures, features).
ANALYSIS_VERSION = f"a1-{FEATURES_VERSION}"


def _code_fingerprint() -> str:
    """Hash of the modules the cached per-article values come from: editing any of them (prose
    extraction, syllables, measures, terms, depth features) invalidates the cache by itself."""
    h = hashlib.blake2b(digest_size=8)
    for module in (text, syllables, readability, terms, depth):
        try:
            h.update(Path(module.__file__).read_bytes())
        except OSError:
            h.update(module.__name__.encode())
    return h.hexdigest()
GENERATOR = f"contentkit {__version__}"
PARALLEL_MIN = 200  # articles to compute before worker processes are worth their start-up


@dataclass(frozen=True)
class ArticleFeatures:
    """Everything computed from one article alone: depends on its HTML, language, site hosts."""

    measures: TextMeasures
    depth: DepthFeatures


@dataclass
class ArticleAnalysis:
    source: str                 # Markdown file relative to the site folder (Article.source)
    url: str
    title: str
    kind: str
    status: str
    date: datetime | None
    lang: str
    category: str               # category name ("" if none)
    tags: list[str]             # tag names
    authors: list[str]          # author ids
    measures: TextMeasures
    readability: ReadabilityScores
    checks: list[Check]
    depth: DepthResult
    hints: list[str]
    extra: dict[str, Any] = field(default_factory=dict)  # added by other analyses (traffic...)

    @property
    def words(self) -> int:
        return self.measures.words

    @property
    def sentences(self) -> int:
        return self.measures.sentences


@dataclass
class AnalysisReport:
    generator: str
    site: dict[str, Any]        # {title, language, articles}
    articles: list[ArticleAnalysis]
    summary: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)  # top-level blocks, e.g. "length_norm"
    timings: dict[str, float] = field(default_factory=dict)  # not written to the outputs


# ------------------------------------------------------------------------------ cache

class AnalysisCache:
    """``.contentkit-cache/analysis-<version>.pickle``: article key -> ArticleFeatures.

    Like the document cache, an optimisation only: unreadable or stale files are ignored, and
    only the entries used by the last run are kept.
    """

    def __init__(self, root: Path):
        self.dir = Path(root) / CACHE_DIR
        self.path = self.dir / f"analysis-{ANALYSIS_VERSION}.pickle"
        self._old: dict[str, ArticleFeatures] = {}
        self._new: dict[str, ArticleFeatures] = {}
        self.corrupted = False

    def load(self) -> "AnalysisCache":
        try:
            with open(self.path, "rb") as fh:
                header, entries = pickle.load(fh)
            if header == (ANALYSIS_VERSION, __version__) and isinstance(entries, dict):
                self._old = entries
        except FileNotFoundError:
            pass
        except Exception:
            self.corrupted = True
        return self

    def get(self, key: str) -> ArticleFeatures | None:
        value = self._old.get(key)
        if value is not None:
            self._new[key] = value
        return value

    def put(self, key: str, value: ArticleFeatures) -> None:
        self._new[key] = value

    def save(self) -> None:
        if self._new.keys() == self._old.keys() and not self.corrupted:
            return
        write_atomic(self.path, pickle.dumps(((ANALYSIS_VERSION, __version__), self._new),
                                             protocol=pickle.HIGHEST_PROTOCOL))


def _key(html: str, lang: str, hosts: tuple[str, ...]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (ANALYSIS_VERSION, _CODE, lang, "\x00".join(hosts), html):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


_CODE = _code_fingerprint()


def _pool_context():
    """fork is cheapest, but forking a process that runs other threads can deadlock the child."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _extract(job: tuple[str, str, tuple[str, ...]]) -> ArticleFeatures:
    html, lang, hosts = job
    return ArticleFeatures(text_measures(html, lang), depth_features(html, lang, hosts))


# ------------------------------------------------------------------------------ analysis

def select_articles(site: Site) -> list[Article]:
    """The posts the report covers, sorted by source path (the order of every output).

    ``site`` already holds only what the options allowed (published posts, or drafts too).
    """
    return sorted(site.posts, key=lambda a: a.source)


def article_lang(article: Article, site: Site) -> str:
    return lang_root(article.lang or site.config.language) or "fr"


def _depth_hints(a: ArticleAnalysis) -> list[str]:
    t = catalog(a.lang)
    d, m = a.depth, a.measures
    hints = []
    evidence = d.component("evidence").details["counts"]
    if m.words >= MIN_WORDS and evidence["sources"] == 0:
        hints.append(t.t("analysis.hints.no_source"))
    if m.words >= 300 and evidence["figures"] == 0:
        hints.append(t.t("analysis.hints.no_figures"))
    if d.missing_terms:
        hints.append(t.t("analysis.hints.missing_terms", terms=", ".join(d.missing_terms)))
    if d.near_duplicate_of:
        hints.append(t.t("analysis.hints.near_duplicate", near=d.near_duplicate_of))
    return hints


def analyze_site(site: Site, cache: AnalysisCache | None = None,
                 workers: int | None = None) -> AnalysisReport:
    """Analyse every selected article of ``site`` (see `select_articles`)."""
    t0 = time.perf_counter()
    articles = select_articles(site)
    config = site.config
    hosts = site_hosts(config.base_url, getattr(config.publisher, "url", "") or "")
    langs = [article_lang(a, site) for a in articles]
    keys = [_key(a.html, lang, hosts) for a, lang in zip(articles, langs)]

    features: list[ArticleFeatures | None] = [cache.get(k) if cache else None for k in keys]
    todo = [i for i, f in enumerate(features) if f is None]
    jobs = [(articles[i].html, langs[i], hosts) for i in todo]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    computed: list[ArticleFeatures] | None = None
    if len(jobs) >= PARALLEL_MIN and workers > 1:
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
                computed = list(pool.map(_extract, jobs,
                                         chunksize=max(8, len(jobs) // (workers * 8))))
        except (OSError, BrokenProcessPool):  # no processes allowed here: same results, serially
            computed = None
    if computed is None:
        computed = [_extract(job) for job in jobs]
    for i, f in zip(todo, computed):
        features[i] = f
        if cache is not None:
            cache.put(keys[i], f)
    t1 = time.perf_counter()

    docs = [DepthDoc(source=a.source, lang=lang, words=f.measures.words,
                     groups=_groups(a), features=f.depth)
            for a, lang, f in zip(articles, langs, features)]
    depths = score_depth(docs)
    t2 = time.perf_counter()

    analyses: list[ArticleAnalysis] = []
    for a, lang, f, scored in zip(articles, langs, features, depths):
        measures = f.measures
        item = ArticleAnalysis(
            source=a.source, url=a.url, title=a.title, kind=a.kind, status=a.status,
            date=a.date, lang=lang, category=a.category.name if a.category else "",
            tags=[t.name for t in a.tags], authors=[p.id for p in a.authors],
            measures=measures, readability=readability_scores(measures),
            checks=editorial_checks(measures, lang), depth=scored, hints=[])
        item.hints = editorial_hints(measures, lang, extra=_depth_hints(item))
        analyses.append(item)

    report = AnalysisReport(
        generator=GENERATOR,
        site={"title": config.title, "language": config.language, "articles": len(analyses)},
        articles=analyses, summary=summarize(analyses, config.length_buckets))
    report.timings = {"features": t1 - t0, "depth": t2 - t1,
                      "total": time.perf_counter() - t0, "computed": float(len(jobs))}
    return report


def _groups(a: Article) -> tuple[str, ...]:
    groups = {f"category:{c.slug}" for c in a.categories[:1]}
    groups |= {f"tag:{t.slug}" for t in a.tags}
    return tuple(sorted(groups))


# ------------------------------------------------------------------------------ summary

def spearman(x: list[float], y: list[float]) -> float | None:
    """Spearman's rank correlation, None when undefined (fewer than 3 points, a constant)."""
    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    rx, ry = _ranks(x), _ranks(y)  # Pearson correlation of the ranks (ties: average rank)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float((rx * ry).sum() / np.sqrt((rx * rx).sum() * (ry * ry).sum()))


def _ranks(values: list[float]) -> np.ndarray:
    """1-based ranks, ties sharing their average rank (as scipy.stats.rankdata)."""
    a = np.asarray(values, dtype=np.float64)
    order = np.argsort(a, kind="stable")
    sorted_a = a[order]
    starts = np.flatnonzero(np.r_[True, sorted_a[1:] != sorted_a[:-1]])
    ends = np.r_[starts[1:], len(a)]
    avg = (starts + ends + 1) / 2.0  # average of 1-based positions start+1 .. end
    ranks = np.empty(len(a))
    ranks[order] = np.repeat(avg, ends - starts)
    return ranks


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def depth_by_length(analyses: list[ArticleAnalysis], buckets: Sequence[int]) -> list[dict]:
    """Depth per length band: if depth were a disguised word count, each band would be narrow."""
    edges = sorted({int(b) for b in buckets if int(b) > 0})
    bands = []
    for lo, hi in zip([0, *edges], [*edges, None]):
        scores = sorted(a.depth.score for a in analyses
                        if a.words >= lo and (hi is None or a.words < hi))
        if not scores:
            continue
        bands.append({"words": f"{lo}-{hi - 1}" if hi is not None else f"{lo}+",
                      "articles": len(scores), "depth_median": _median(scores),
                      "depth_min": scores[0], "depth_max": scores[-1]})
    return bands


def summarize(analyses: list[ArticleAnalysis],
              length_buckets: Sequence[int] = (500, 800, 1500, 3000)) -> dict[str, Any]:
    words = [a.words for a in analyses]
    scores = [a.depth.score for a in analyses]
    formulas: dict[str, list[float]] = {}
    for a in analyses:
        for name, value in a.readability.scores.items():
            formulas.setdefault(name, [])
            if value is not None:
                formulas[name].append(value)
    checks: dict[str, int] = {}
    for a in analyses:
        for c in a.checks:
            checks[c.name] = checks.get(c.name, 0) + int(c.passed)
    components: dict[str, Any] = {}
    for name in ("coverage", "subtopics", "evidence", "originality"):
        pts = [(a.words, a.depth.component(name).points) for a in analyses
               if a.depth.component(name).points is not None]
        components[name] = {
            "median_points": _median([p for _, p in pts]),
            "spearman_words": spearman([w for w, _ in pts], [p for _, p in pts]),
            "not_applicable": len(analyses) - len(pts),
        }
    pairs = sorted({tuple(sorted((a.source, a.depth.near_duplicate_of)))
                    for a in analyses if a.depth.near_duplicate_of})
    by_source = {a.source: a for a in analyses}
    near = []
    for s1, s2 in pairs:
        sim = by_source[s1].depth.most_similar
        jac = sim["jaccard"] if sim and sim["source"] == s2 else by_source[s2].depth.most_similar["jaccard"]
        near.append({"source": s1, "other": s2, "jaccard": jac})
    return {
        "articles": len(analyses),
        "words": {"total": sum(words), "median": _median(words),
                  "min": min(words, default=None), "max": max(words, default=None)},
        "too_short_to_score": sum(1 for a in analyses if a.readability.reason),
        "readability_median": {name: _median(v) for name, v in sorted(formulas.items())},
        "checks_passed": {name: {"passed": n, "articles": len(analyses)}
                          for name, n in checks.items()},
        "depth": {
            "median": _median(scores), "mean": statistics.fmean(scores) if scores else None,
            "min": min(scores, default=None), "max": max(scores, default=None),
            "spearman_words": spearman(words, scores),
            "by_length": depth_by_length(analyses, length_buckets),
            "components": components,
        },
        "near_duplicates": near,
    }
