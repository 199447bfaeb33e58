"""External links (`contentkit check --external`): each URL probed once (HEAD, then GET), in
parallel, with an on-disk cache of successes in `.contentkit-cache/external-links.json`."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from ..content.cache import CACHE_DIR
from ..model import Article
from ..output import write_atomic

EXTERNAL_CACHE = "external-links.json"
TIMEOUT = "timeout"  # what probe() says of a site that did not answer in time
USER_AGENT = "contentkit-check (+https://github.com/contentkit; link checker)"


def check_external(checker, refs: dict[str, list[tuple[Article, int | None, str]]]) -> None:
    """`refs`: {url: [(article, line, kind: 'a' or 'img')]}."""
    cache_file = checker.cfg.root / CACHE_DIR / EXTERNAL_CACHE
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError):
        cache = {}
    now = time.time()
    ttl = checker.cache_days * 86400
    todo = [u for u in refs if not (isinstance(cache.get(u), dict) and cache[u].get("ok")
                                    and now - cache[u].get("checked", 0) < ttl)]
    with ThreadPoolExecutor(max_workers=max(1, checker.workers)) as pool:
        results = dict(zip(todo, pool.map(lambda u: probe(u, checker.timeout), todo)))
    checker.report.external_checked = len(todo)
    for url, (status, error) in results.items():
        ok = status is not None and status < 400
        if ok:
            cache[url] = {"ok": True, "status": status, "checked": now}
        else:
            cache.pop(url, None)  # failures are checked again next time
    for url, places in refs.items():
        if url in results:
            status, error = results[url]
        else:
            status, error = cache[url].get("status"), ""
        if status is not None and status < 400:
            continue
        for a, line, kind in places:
            if status is not None and kind == "img":
                checker.log.error(a.source, "external-image", line=line, url=url, status=status)
            elif status is not None:
                checker.log.error(a.source, "external-link", line=line, url=url, status=status)
            elif error == TIMEOUT:
                checker.log.warning(a.source, "external-timeout", line=line, url=url,
                                    seconds=f"{checker.timeout:g}")
            else:
                checker.log.warning(a.source, "external-unreachable", line=line, url=url, error=error)
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file, json.dumps(cache, indent=1, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def probe(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, "") or (None, error text). HEAD first, GET when HEAD is refused."""
    last_error = ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT,
                                                                      "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return response.status, ""
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (400, 403, 404, 405, 429, 500, 501, 503):
                last_error = f"HTTP {exc.code}"
                continue  # some servers refuse HEAD: ask again with GET
            return exc.code, ""
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return None, TIMEOUT if "timed out" in str(reason) else str(reason)
    return None, last_error
