"""Articles expanded later (git history) and the exploratory difference-in-differences."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import numpy as np
import pytest

from contentkit.analytics.history import diff_in_diff, find_expansions, markdown_words

from .conftest import SiteFactory

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def git(cwd, *args, date_="2025-01-01T10:00:00+00:00"):
    env = {"GIT_AUTHOR_DATE": date_, "GIT_COMMITTER_DATE": date_, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def body(words: int) -> str:
    return " ".join(["mot"] * words) + "\n\n```\ncode code code\n```\n"


def test_markdown_words_ignores_front_matter_and_code():
    assert markdown_words(SiteFactory.document({"title": "X"}, body(120))) == 120


def test_expansions_and_did(site):
    root = site.root
    git(root, "init", "-q")
    for name in ("a", "b", "c"):
        site.post(name, "X", body=body(400))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first", date_="2024-01-10T10:00:00+00:00")
    site.post("a", "X", body=body(700))          # +75 %: expanded
    site.post("b", "X", body=body(450))          # +12 %: not
    git(root, "commit", "-q", "-am", "expand", date_="2025-03-01T10:00:00+00:00")
    git(root, "mv", "content/posts/a.md", "content/posts/a2.md")  # followed through renames
    git(root, "commit", "-q", "-m", "rename", date_="2025-04-01T10:00:00+00:00")
    arts = [("content/posts/a2.md", "fr"), ("content/posts/b.md", "fr"),
            ("content/posts/c.md", "fr")]
    res = find_expansions(root, arts)
    assert res["available"]
    assert res["expanded"] == [{"source": "content/posts/a2.md", "date": "2025-03-01",
                                "words_before": 400, "words_after": 700}]
    assert [v["words"] for v in res["articles"]["content/posts/a2.md"]["versions"]] == [400, 700, 700]
    # per-day views: a doubles after its expansion, controls stay flat
    start = date(2025, 1, 1)
    days = 180
    daily = np.full((3, days), 10.0)
    k = (date(2025, 3, 1) - start).days
    daily[0, k + 1:] = 20.0
    did = diff_in_diff(res, [a for a, _ in arts], ["x", "x", "x"],
                       [date(2024, 1, 1)] * 3, daily, start, np.ones(days, bool))
    assert did["available"]
    item = did["items"][0]
    assert item["controls"] == 2
    assert item["did_pct"] == pytest.approx((21 / 11 - 1) * 100, rel=1e-6)  # log1p scale


def test_degrades_without_git_or_daily(tmp_path):
    res = find_expansions(tmp_path, [("content/posts/a.md", "fr")])
    assert res["available"] is False and res["reason"]
    did = diff_in_diff(res, ["content/posts/a.md"], ["x"], [None], None, None, None)
    assert did["available"] is False and "per-day" in did["reason"]
