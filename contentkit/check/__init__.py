"""`contentkit check`: what an editor should fix before publishing.

Reads the content model twice through `load_site` (never parsing content itself):
  * with drafts and future posts, for the articles to check (every post, page and topic hub);
  * as `contentkit build` would, for the set of URLs the published site really has: the planner's
    output files (articles, tag/category/author/year pages and their pagination, feeds, redirects
    of old URLs, events, search) and copied files (static/, theme, page bundles).

Findings (severity `error` makes the command exit 1; `--strict` counts warnings too), by code (the
key of its wording in catalogs/<lang>/errors.yml; a code with a suffix is a variant of the code it
starts with, worded differently):
  error    broken-link[-similar|-site-path]   internal link to a URL the build does not produce
  error    broken-anchor[-similar]            `#section` that does not exist on the target page
  error    unpublished-link[-future]          a live article links to a draft / future / unpublished post
  error    missing-image[-bundle|-no-source|-photo]   local image (body, front matter `image`, author
                                              photo) not found, or an image without a source
  error    <the content problem's code>      problems of the content itself (front matter, collisions…);
                                              `content` for a problem worded without a code
  error    site-plan            the site cannot be planned (theme or config error): not ready
  error    external-link / external-image     (`--external`) an external link or image answers 4xx/5xx
  warning  unpublished-link-draft[-future]    an unpublished article links to another unpublished one
  warning  redirected-link      link to an old URL that only redirects
  warning  image-alt[-no-source|-front-matter]  image without alt text (body, or `image` without `image_alt`)
  warning  social-image         front matter `image` is an SVG, which social networks do not show
  warning  no-summary           no `summary`/`description`: the first paragraph is used
  warning  long-title / long-description   over 60 / 160 characters (cut by search engines)
  warning  duplicate-title      two articles with the same title
  warning  orphan               a published post no other article links to
  warning  future[-scheduled]   a post dated in the future
  warning  unknown-author       an author without a profile (a minimal one is generated)
  warning  external-unreachable / external-timeout   (`--external`) network error or no answer in time

Each finding names the Markdown file and line (for a link or image: `body_line` + the line of the
match in the body), what is wrong and how to fix it. `--format json` prints the same as data.
External links are only checked with `--external` (timeout, on-disk cache of successes in
`.contentkit-cache/external-links.json`).

Each finding is an `errors.Problem` with its `code`, reported through the checker's ProblemLog
(`checker.log.warning(file, "image-alt", line=..., url=...)`), so it reads in the site's language.
Where each check lives:
    checker.py    Checker: loads the site, runs the checks below, sorts the findings
    published.py  PublishedSite: the URLs and page ids the published site really has
    html.py       links and images of an article's HTML, their line in the Markdown body
    links.py      internal links, anchors, unpublished targets, redirected links
    images.py     alt text, missing images (body, front matter `image`, author photos), SVG cards
    metadata.py   titles, summaries, future dates, unknown authors, duplicate titles, orphans
    external.py   `--external`: probing other sites, the cache of successes
    report.py     CheckReport (the log's problems) and its text output, worded from the `cli`
                  catalog section (`--format json` is `CheckReport.as_dict`)
The click command is in `contentkit/commands/check.py`.
"""
from __future__ import annotations

from .checker import Checker, run_checks
from .html import Locator, Ref, html_refs
from .report import CheckReport, print_text

__all__ = ["CheckReport", "Checker", "Locator", "Ref", "html_refs", "print_text", "run_checks"]
