"""Articles substantially expanded after publication (git history), and — exploratory — how their
traffic changed compared with unchanged articles of the same cluster (difference-in-differences).

* Each article's Markdown file is followed through renames (``git log --follow``); every stored
  version is read in one ``git cat-file --batch`` process and its words counted on the body with
  front matter, code blocks, HTML tags and link targets removed (an approximation of the rendered
  prose: old versions are not in the content model, and the same count is used on both sides of
  the comparison, so ratios are consistent).
* "Substantially expanded" = a later version has at least +50 % words than the first version
  (and at least 100 more words).
* With per-day traffic: for each expansion, mean daily views in the W days before and after
  (W ≤ 90, ≥ 28 days both sides covered by the data), compared on ``log1p`` with the same change
  for articles of the same cluster never expanded and online for the whole period. Exploratory:
  few articles, no randomisation, the expansion often comes with promotion.

Degrades to ``{"available": False, "reason": …}`` without git, without history, or without
per-day data (then only the list of expansions is given).
"""
from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from contentkit.text import count_words

__all__ = ["markdown_words", "file_history", "find_expansions", "diff_in_diff", "EXPANSION"]

EXPANSION = 0.5          # +50 % words
MIN_ADDED = 100
MAX_ARTICLES = 3000      # above this, the history scan is skipped (cost)
_FRONT = re.compile(r"\A\ufeff?(?:---|\+\+\+)\s*\n.*?\n(?:---|\+\+\+)\s*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.S | re.M)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"\]\([^)]*\)")
_MARK = re.compile(r"[#*_>`|\[\]]")


def markdown_words(text: str, lang: str = "fr") -> int:
    """Approximate word count of a Markdown file's body (see the module docstring)."""
    text = _FRONT.sub("", text, count=1)
    text = _FENCE.sub(" ", text)
    text = _LINK.sub("]", text)
    text = _TAG.sub(" ", text)
    text = _MARK.sub(" ", text)
    return count_words(text, lang)


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes | None:
    try:
        res = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True,
                             timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout if res.returncode == 0 else None


def file_history(top: Path, rel: str) -> list[tuple[str, datetime, str]]:
    """(commit, commit date, path at that commit), oldest first, following renames."""
    out = _git(["log", "--follow", "--name-only", "--format=%x00%H%x1f%cI", "--", rel], top)
    if not out:
        return []
    entries = []
    for chunk in out.decode("utf-8", "replace").split("\x00"):
        chunk = chunk.strip()
        if not chunk:
            continue
        head, *names = [line for line in chunk.splitlines() if line.strip()]
        sha, when = head.split("\x1f")
        entries.append((sha, datetime.fromisoformat(when), names[0] if names else rel))
    return entries[::-1]


def _cat_batch(top: Path, specs: list[str]) -> list[bytes | None]:
    if not specs:
        return []
    out = _git(["cat-file", "--batch"], top, ("\n".join(specs) + "\n").encode())
    if out is None:
        return [None] * len(specs)
    res, pos = [], 0
    for _ in specs:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) < 3 or header[1] == b"missing":
            res.append(None)
            continue
        size = int(header[2])
        res.append(out[pos:pos + size])
        pos += size + 1
    return res


def find_expansions(root: Path, articles: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """``articles`` = [(source relative to root, lang)] → versions and expansions per article."""
    root = Path(root).resolve()
    top_b = _git(["rev-parse", "--show-toplevel"], root)
    if top_b is None:
        return {"available": False, "reason": "not a git repository (or git is not installed)",
                "articles": {}, "expanded": []}
    if len(articles) > MAX_ARTICLES:
        return {"available": False, "reason": f"more than {MAX_ARTICLES} articles: history scan "
                "skipped", "articles": {}, "expanded": []}
    top = Path(top_b.decode().strip()).resolve()
    histories = {}
    specs: list[str] = []
    for source, _ in articles:
        try:
            rel = (root / source).resolve().relative_to(top).as_posix()
        except ValueError:
            continue
        hist = file_history(top, rel)
        if hist:
            histories[source] = hist
            specs += [f"{sha}:{path}" for sha, _, path in hist]
    blobs = iter(_cat_batch(top, specs))
    lang_of = dict(articles)
    per_article: dict[str, Any] = {}
    expanded = []
    for source, hist in histories.items():
        versions = []
        for sha, when, _ in hist:
            blob = next(blobs)
            if blob is None:
                continue
            versions.append({"commit": sha[:10], "date": when.date().isoformat(),
                             "words": markdown_words(blob.decode("utf-8", "replace"),
                                                     lang_of[source])})
        if not versions:
            continue
        first = versions[0]["words"]
        exp = next((v for v in versions[1:] if v["words"] >= first * (1 + EXPANSION)
                    and v["words"] - first >= MIN_ADDED), None)
        per_article[source] = {"versions": versions, "first_words": first,
                               "expanded_on": exp["date"] if exp else None,
                               "words_after": exp["words"] if exp else None}
        if exp:
            expanded.append({"source": source, "date": exp["date"], "words_before": first,
                             "words_after": exp["words"]})
    reason = None if histories else "no commit touches the article files (not committed yet?)"
    return {"available": bool(histories), "reason": reason, "articles": per_article,
            "expanded": sorted(expanded, key=lambda e: (e["date"], e["source"]))}


def diff_in_diff(expansions: dict[str, Any], sources: Sequence[str], clusters: Sequence[str],
                 published: Sequence[date | None], daily: np.ndarray | None,
                 start: date | None, covered: np.ndarray | None, max_window: int = 90,
                 min_window: int = 28) -> dict[str, Any]:
    """Exploratory difference-in-differences of log1p(mean daily views) around each expansion."""
    if daily is None or start is None:
        return {"available": False, "reason": "no per-day traffic (export with a Date dimension)",
                "items": []}
    if not expansions.get("expanded"):
        return {"available": False, "reason": "no substantially expanded article", "items": []}
    index = {s: i for i, s in enumerate(sources)}
    ever = {e["source"] for e in expansions["expanded"]}
    ndays = daily.shape[1]
    items = []
    for e in expansions["expanded"]:
        i = index.get(e["source"])
        if i is None:
            continue
        k = (date.fromisoformat(e["date"]) - start).days
        w = min(max_window, k, ndays - 1 - k)
        item = {"source": e["source"], "date": e["date"], "window_days": max(w, 0),
                "words_before": e["words_before"], "words_after": e["words_after"]}
        if w < min_window or (covered is not None and not covered[k - w:k + w + 1].all()):
            item["note"] = "not enough per-day data around the expansion"
            items.append(item)
            continue
        lo_day = start + timedelta(days=k - w)
        pub = published[i]
        if pub is not None and pub > lo_day:
            item["note"] = "published less than the window before the expansion"
            items.append(item)
            continue
        pre = np.log1p(daily[i, k - w:k].mean())
        post = np.log1p(daily[i, k + 1:k + 1 + w].mean())
        ctrl = [j for j, s in enumerate(sources) if s not in ever and clusters[j] == clusters[i]
                and (published[j] is None or published[j] <= lo_day)]
        if not ctrl:
            item["note"] = "no unchanged article of the same cluster to compare with"
            item["treated_change"] = float(post - pre)
            items.append(item)
            continue
        c_pre = np.log1p(daily[ctrl, k - w:k].mean(axis=1))
        c_post = np.log1p(daily[ctrl, k + 1:k + 1 + w].mean(axis=1))
        change_c = float(np.mean(c_post - c_pre))
        did = float(post - pre) - change_c
        item.update({"treated_change": float(post - pre), "control_change": change_c,
                     "controls": len(ctrl), "did_log": did,
                     "did_pct": float((np.exp(did) - 1) * 100)})
        items.append(item)
    done = [it["did_log"] for it in items if "did_log" in it]
    return {"available": bool(done), "reason": None if done else "no expansion could be compared",
            "items": items, "mean_did_pct": float((np.exp(np.mean(done)) - 1) * 100) if done else None,
            "exploratory": True}
