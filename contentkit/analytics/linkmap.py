"""Topic clusters and internal links (exploratory): hubs, orphans, clusters without a pillar.

An internal link is a root-relative ``href`` (``/2021/x/``, not ``//host`` nor ``https://``) in an
article's HTML whose normalised path is another analysed article's permalink or alias.
A *pillar* of a cluster (primary category) is an article linked from at least
``max(2, 30 %)`` of the other articles of its cluster.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from contentkit.analytics.merge import ArticleKey, url_index
from contentkit.analytics.traffic.urls import normalize_url

__all__ = ["link_map"]

_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["'](/(?!/)[^"'#?]*)""", re.I)


def link_map(keys: Sequence[ArticleKey], htmls: Sequence[str], clusters: Sequence[str],
             root_path: str = "/") -> dict[str, Any]:
    index = url_index(keys, root_path)
    n = len(keys)
    out_links: list[set[int]] = [set() for _ in range(n)]
    for i, html in enumerate(htmls):
        for href in _HREF.findall(html or ""):
            j = index.get(normalize_url(href))
            if j is not None and j != i:
                out_links[i].add(j)
    in_deg = [0] * n
    for i in range(n):
        for j in out_links[i]:
            in_deg[j] += 1
    edges = sorted((i, j) for i in range(n) for j in out_links[i])
    by_cluster: dict[str, list[int]] = {}
    for i, c in enumerate(clusters):
        by_cluster.setdefault(c, []).append(i)
    cluster_rows = []
    for c, members in sorted(by_cluster.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        need = max(2, math.ceil(0.3 * (len(members) - 1)))
        inside = {i: sum(1 for j in members if i in out_links[j]) for i in members}
        pillars = [keys[i].source for i in members if inside[i] >= need]
        internal = sum(1 for i in members for j in out_links[i] if clusters[j] == c)
        cluster_rows.append({"cluster": c, "articles": len(members), "pillars": pillars,
                             "links_within": internal, "pillar_threshold": need,
                             "without_pillar": not pillars and len(members) >= 3})
    hubs = sorted(range(n), key=lambda i: (-in_deg[i], keys[i].source))[:10]
    return {
        "exploratory": True,
        "edges": [[keys[i].source, keys[j].source] for i, j in edges],
        "in_degree": {keys[i].source: in_deg[i] for i in range(n)},
        "out_degree": {keys[i].source: len(out_links[i]) for i in range(n)},
        "hubs": [{"source": keys[i].source, "title": keys[i].title, "in": in_deg[i]}
                 for i in hubs if in_deg[i] > 0],
        "orphans": [{"source": keys[i].source, "title": keys[i].title}
                    for i in range(n) if in_deg[i] == 0],
        "clusters": cluster_rows,
        "clusters_without_pillar": [r["cluster"] for r in cluster_rows if r["without_pillar"]],
    }
