"""URL and output-path helpers shared by the core (assemble, render) and its extensions.

Pure functions on strings: no site, no files.
"""
from __future__ import annotations

import posixpath
import re

_RELATIVE_URL = re.compile(r'(\s(?:src|href))="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?)([^"]*)"')


def rooted_links(html: str, base_url: str) -> str:
    """Relative src/href -> root-relative, so an excerpt shown elsewhere keeps its images."""
    if 'src="' not in html and 'href="' not in html:
        return html
    return _RELATIVE_URL.sub(lambda m: f'{m.group(1)}="{posixpath.normpath(base_url + m.group(2))}'
                             f'{"/" if m.group(2).endswith("/") else ""}"', html)


def safe_url_path(value: str) -> str | None:
    """A root-relative URL path that cannot leave the output folder, or None."""
    value = value.strip()
    if not value or "\\" in value or "\x00" in value:
        return None
    if not value.startswith("/"):
        value = "/" + value
    # (a path starting with "/" always has parts: no need to build a PurePosixPath to check that)
    if any(p in ("..", ".") for p in value.split("/")):
        return None
    return value


def output_path(url_path: str) -> str:
    """'/2015/x/' -> '2015/x/index.html'; '/old.html' -> 'old.html'; '/old' -> 'old/index.html'."""
    rel = url_path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        return rel + "index.html"
    if "." in rel.rsplit("/", 1)[-1]:
        return rel
    return rel + "/index.html"
