"""`contentkit check`: every kind of finding, located at the right file and line, on a small site
written here; the demo site has no errors; `--external` against a local server only."""
from __future__ import annotations

import http.server
import json
import threading
import time
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from contentkit.check import Locator, published, run_checks
from contentkit.commands import main
from contentkit.errors import Problem

from .conftest import REPO, SiteFactory, run_cli

SOURCE = """\
---
title: Article source
date: 2022-01-10
authors: [alice]
summary: "Un résumé court."
---
Premier paragraphe avec [un lien valide](/2022/cible/).

Un [lien cassé](/2022/n-existe-pas/) et une [ancre cassée](/2022/cible/#pas-de-section).

Une [bonne ancre](/2022/cible/#deuxieme-partie) et un [brouillon](/2022/brouillon/).

![Schéma manquant](/images/absent.png)

![](/images/present.svg)

```python
lien = "[pas un lien](/nulle-part/)"
```

Vers un [tag](/tags/cloud/), la [catégorie](/categories/data/), l'[auteur](/authors/alice/), le
[flux](/atom.xml), la [page 1](/index.html), l'[ancienne adresse](/ancien/cible/).

## Premier

Une [ancre locale](#premier), une [ancre locale cassée](#nulle-part), un [lien relatif](../cible/),
un [relatif cassé](../perdu/), une [adresse absolue](https://blog.example.com/2022/cible/) et
un [lien externe](https://example.invalid/page) et [écrire](mailto:redaction@example.com).
Par référence : [la cible][ref].

[ref]: /2022/cibel/
"""

FILES = {
    "content/authors/alice.yml": "name: Alice Durand\nphoto: /images/alice.svg\n",
    "content/authors/bob.yml": "name: Bob Martin\nphoto: /images/bob.png\n",
    "static/images/alice.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "static/images/present.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "content/posts/2022/source.md": SOURCE,
    "content/posts/2022/cible.md": """
        ---
        title: Cible
        date: 2022-01-05
        authors: [alice]
        tags: [cloud]
        category: Data
        aliases: ["/ancien/cible/"]
        summary: "La cible des liens."
        ---
        Introduction.

        ## Deuxième partie

        Suite, et retour vers la [source](/2022/article-source/).
        """,
    "content/posts/2022/brouillon.md": """
        ---
        title: Brouillon
        date: 2022-02-01
        authors: [alice]
        draft: true
        summary: "Pas fini."
        ---
        Il cite un [article futur](/2099/article-du-futur-avec-un-titre-beaucoup-trop-long-pour-les-moteurs/).
        """,
    "content/posts/2099/futur.md": """
        ---
        title: Article du futur avec un titre beaucoup trop long pour les moteurs
        date: 2099-01-01
        authors: [bob]
        summary: "Un résumé bien trop long : il dépasse largement les cent soixante caractères que les moteurs de recherche affichent, donc il sera coupé au milieu d'une phrase, ou pire."
        ---
        Plus tard.
        """,
    "content/posts/2022/doublon.md": """
        ---
        title: Cible
        slug: doublon
        date: 2022-03-01
        author: Inconnu Total
        image: /images/absent-og.png
        ---
        Même titre que la cible.
        """,
    "content/posts/2022/bundle/index.md": """
        ---
        title: Avec des images
        date: 2022-04-01
        authors: [alice]
        image: plan.svg
        image_alt: "Le plan"
        summary: "Un article en dossier."
        ---
        ![Le plan](plan.svg)

        ![Le manquant](manque.png)
        """,
    "content/posts/2022/bundle/plan.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "content/pages/a-propos.md": """
        ---
        title: À propos
        ---
        Voir [la source](/2022/article-source/) et [le dossier](/2022/avec-des-images/).
        """,
}


def line_of(text: str, needle: str, nth: int = 1) -> int:
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = SiteFactory(tmp_path_factory.mktemp("check") / "site", FILES).root
    report = run_checks(root)
    return root, report


def findings(report, code=None, file=None):
    """The findings (of one code, in one file), worded in English (the test site is French)."""
    return [f.in_language("en") for f in report.findings if (code is None or f.code == code)
            and (file is None or f.file.endswith(file))]


def test_broken_internal_links_are_errors_at_their_line(checked):
    _root, report = checked
    broken = {(f.line, f.message.split(":")[0]) for f in findings(report, "broken-link")}
    assert broken == {
        (line_of(SOURCE, "/2022/n-existe-pas/"), "link to /2022/n-existe-pas/"),
        (line_of(SOURCE, "../perdu/"), "link to ../perdu/"),
        (line_of(SOURCE, "[ref]: /2022/cibel/"), "link to /2022/cibel/"),
    }
    assert all(f.severity == "error" and f.file == "content/posts/2022/source.md" and f.hint
               for f in findings(report, "broken-link"))
    assert line_of(SOURCE, "[ref]: /2022/cibel/") == 31  # body_line 7 + 24 lines into the body


def test_links_to_generated_pages_static_files_and_absolute_site_urls_resolve(checked):
    _root, report = checked
    messages = " ".join(f.message for f in findings(report, file="source.md")
                        if f.code in ("broken-link", "broken-anchor", "missing-image"))
    for fine in ("/tags/cloud/", "/categories/data/", "/authors/alice/", "/atom.xml", "/index.html",
                 "/images/present.svg", "../cible/", "https://blog.example.com/2022/cible/", "#premier",
                 "/nulle-part/", "mailto:", "example.invalid"):
        assert fine not in messages, fine


def test_anchors_are_checked_against_the_target_page(checked):
    _root, report = checked
    anchors = sorted((f.line, f.message) for f in findings(report, "broken-anchor"))
    assert [line for line, _ in anchors] == [line_of(SOURCE, "#pas-de-section"), line_of(SOURCE, "(#nulle-part)")]
    assert "#pas-de-section" in anchors[0][1] and "#nulle-part" in anchors[1][1]
    assert all(f.severity == "error" for f in findings(report, "broken-anchor"))
    assert "deuxieme-partie" not in " ".join(m for _, m in anchors)


def test_links_to_unpublished_posts(checked):
    _root, report = checked
    live = [f for f in findings(report, "unpublished-link") if f.file.endswith("source.md")]
    assert len(live) == 1 and live[0].severity == "error" and live[0].line == line_of(SOURCE, "/2022/brouillon/")
    assert "brouillon.md" in live[0].message and "writing" in live[0].message
    draft = [f for f in findings(report, "unpublished-link-draft-future") if f.file.endswith("brouillon.md")]
    assert len(draft) == 1 and draft[0].severity == "warning" and draft[0].line == 8
    assert "future" in draft[0].message


def test_redirected_links_are_warnings(checked):
    _root, report = checked
    (f,) = findings(report, "redirected-link")
    assert f.severity == "warning" and f.line == line_of(SOURCE, "/ancien/cible/")
    assert "/2022/cible/" in f.hint


def test_missing_images_and_alt_text(checked):
    _root, report = checked
    missing = {(f.file, f.line, f.severity, f.code) for f in findings(report) if f.code.startswith("missing-image")}
    assert missing == {
        ("content/posts/2022/source.md", line_of(SOURCE, "/images/absent.png"), "error", "missing-image"),
        ("content/posts/2022/doublon.md", 6, "error", "missing-image"),  # front matter `image:`
        ("content/posts/2022/bundle/index.md", 11, "error", "missing-image-bundle"),
        ("content/authors/bob.yml", None, "error", "missing-image-photo"),
    }
    bundle = next(f for f in findings(report, "missing-image-bundle") if "bundle" in f.file)
    assert "manque.png" in bundle.message and "content/posts/2022/bundle/" in bundle.hint
    alt = {(f.file, f.line, f.code) for f in findings(report) if f.code.startswith("image-alt")}
    assert alt == {("content/posts/2022/source.md", line_of(SOURCE, "![](/images/present.svg)"), "image-alt"),
                   ("content/posts/2022/doublon.md", 6, "image-alt-front-matter")}
    assert all(f.severity == "warning" for f in findings(report) if f.code.startswith("image-alt"))


def test_metadata_warnings(checked):
    _root, report = checked
    assert {f.file for f in findings(report, "no-summary")} == {"content/posts/2022/doublon.md"}
    (title,) = findings(report, "long-title")
    assert title.file == "content/posts/2099/futur.md" and title.line == 2 and "66 characters" in title.message
    (desc,) = findings(report, "long-description")
    assert desc.file == "content/posts/2099/futur.md" and desc.line == 5
    dup = findings(report, "duplicate-title")
    assert {f.file for f in dup} == {"content/posts/2022/cible.md", "content/posts/2022/doublon.md"}
    (future,) = findings(report, "future")
    assert future.file == "content/posts/2099/futur.md" and future.line == 3 and "2099-01-01" in future.message
    (author,) = findings(report, "unknown-author")
    assert author.file == "content/posts/2022/doublon.md" and author.line == 5 and "Inconnu Total" in author.message
    assert not [f for f in findings(report) if f.code == "author-profile-missing"]  # the build's warning, said once
    assert all(f.severity == "warning" for f in findings(report) if f.code in (
        "no-summary", "long-title", "long-description", "duplicate-title", "future", "unknown-author", "orphan"))


def test_svg_social_images_are_warnings(checked):
    _root, report = checked
    (f,) = findings(report, "social-image")
    assert f.file == "content/posts/2022/bundle/index.md" and f.line == 5 and f.severity == "warning"
    assert "PNG or JPEG" in f.hint
    assert not [x for x in findings(report, "missing-image") if "plan.svg" in x.message]


def test_orphans_are_published_posts_nobody_links_to(checked):
    _root, report = checked
    assert {f.file for f in findings(report, "orphan")} == {"content/posts/2022/doublon.md"}


def test_every_finding_says_what_and_how(checked):
    _root, report = checked
    assert report.articles == 7
    for f in report.findings:
        assert f.file and f.message and f.hint and f.severity in ("error", "warning"), f


def test_cli_json_and_exit_status(checked):
    root, report = checked
    proc = run_cli("check", "--root", str(root), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["errors"] == len(report.errors) and data["summary"]["warnings"] == len(report.warnings)
    first = data["findings"][0]
    assert set(first) == {"file", "line", "severity", "code", "message", "hint"}
    assert first["severity"] == "error"
    text = run_cli("check", "--root", str(root))
    assert text.returncode == 1
    assert "content/posts/2022/source.md:9" in text.stdout and "pas encore prêt à publier" in text.stdout


def test_a_clean_site_exits_zero_and_strict_counts_warnings(make_site):
    root = make_site({
        "content/authors/alice.yml": "name: Alice\n",
        "content/posts/2022/a.md": "---\ntitle: Un\ndate: 2022-01-01\nauthors: [alice]\nsummary: Un.\n---\n"
                                   "Voir [deux](/2022/deux/).\n",
        "content/posts/2022/b.md": "---\ntitle: Deux\ndate: 2022-01-02\nauthors: [alice]\nsummary: Deux.\n---\n"
                                   "Voir [un](/2022/un/#).\n",
    }).root
    proc = run_cli("check", "--root", str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "aucune erreur, aucun avertissement — prêt à publier" in proc.stdout
    (root / "content/posts/2022/c.md").write_text("---\ntitle: Trois\ndate: 2022-01-03\nauthors: [alice]\n"
                                                  "summary: Trois.\n---\nSeul.\n", encoding="utf-8")
    assert run_cli("check", "--root", str(root)).returncode == 0
    assert run_cli("check", "--root", str(root), "--strict").returncode == 1  # c.md is an orphan


def test_site_under_a_sub_path(make_site):
    root = make_site({
        "content/posts/2022/a.md": "---\ntitle: Un\ndate: 2022-01-01\nsummary: Un.\n---\n"
                                   "[bon](/blog/2022/deux/) [oubli du chemin](/2022/deux/)\n",
        "content/posts/2022/b.md": "---\ntitle: Deux\ndate: 2022-01-02\nsummary: Deux.\n---\n[retour](/blog/2022/un/)\n",
    }, config='title: T\nbase_url: "https://example.com/blog/"\n').root
    report = run_checks(root)
    (broken,) = findings(report, "broken-link-site-path")
    assert "/2022/deux/" in broken.message and "/blog/" in broken.hint


def test_demo_site_has_no_errors():
    report = run_checks(REPO)
    assert report.articles >= 20
    assert not report.errors, "\n".join(f"{f.location()}: {f.message}" for f in report.errors)
    counts: dict[str, int] = {}
    for f in report.warnings:
        counts[f.code] = counts.get(f.code, 0) + 1
    print(f"demo: {report.articles} articles, warnings by kind: {counts}")


# ------------------------------------------------------------------------------------------------
# --external, against a local server only

class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[tuple[str, str]] = []

    def log_message(self, *args):
        pass

    def _answer(self, body: bool):
        self.hits.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(2)
        status = {"/ok": 200, "/gone": 404, "/slow": 200}.get(self.path, 200)
        if self.path == "/no-head":
            status = 405 if self.command == "HEAD" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def local_server():
    _Handler.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_external_links_are_checked_only_when_asked_with_a_cache(make_site, local_server):
    base = local_server
    body = (f"[ok]({base}/ok) et [parti]({base}/gone)\n\n[sans HEAD]({base}/no-head) "
            f"[lent]({base}/slow) ![image]({base}/gone)\n")
    root = make_site({"content/posts/2022/a.md": f"---\ntitle: Un\ndate: 2022-01-01\nsummary: Un.\n---\n{body}"}).root
    report = run_checks(root)
    assert not _Handler.hits, "external links are only checked with --external"
    assert not [f for f in report.findings if f.code.startswith("external")]

    report = run_checks(root, external=True, timeout=0.5)
    errors = sorted((f.line, f.message) for f in findings(report) if f.code in ("external-link", "external-image"))
    assert [line for line, _ in errors] == [6, 8]  # the body starts on line 6
    assert "HTTP 404" in errors[0][1] and "link" in errors[0][1] and "image" in errors[1][1]
    (slow,) = findings(report, "external-timeout")
    assert slow.severity == "warning" and "/slow" in slow.message and "did not answer within 0.5 s" in slow.message
    assert ("GET", "/no-head") in _Handler.hits  # HEAD refused: asked again with GET
    assert not [f for f in report.findings if "/no-head" in f.message or f.message.endswith("/ok")]
    cache = json.loads((root / ".contentkit-cache" / "external-links.json").read_text())
    assert cache[f"{base}/ok"]["ok"] is True and f"{base}/gone" not in cache

    _Handler.hits.clear()
    again = run_checks(root, external=True, timeout=0.5)
    paths = {p for _m, p in _Handler.hits}
    assert "/ok" not in paths and "/no-head" not in paths, "successes come from the cache"
    assert "/gone" in paths, "failures are checked again"
    assert len(findings(again, "external-link")) + len(findings(again, "external-image")) == 2
    proc = run_cli("check", "--root", str(root), "--external", "--timeout", "0.5", "--format", "json")
    assert proc.returncode == 1 and json.loads(proc.stdout)["summary"]["errors"] == 2


def test_locator_finds_each_occurrence_of_a_url_outside_code():
    body = ("Voir [a](/a/#b).\n```\n[a](/a/)\n```\nPuis `[a](/a/)` en ligne,\n[a](/a/) et\n\n"
            "[a][r]\n\n[r]: /a/\n")
    locator = Locator(SimpleNamespace(body=body, body_line=20))
    assert locator.line("/a/") == 25  # not in "/a/#b" (line 20), nor in the fenced or inline code
    assert locator.line("/a/") == 29  # the reference definition
    assert locator.line("/a/#b") == 20


def test_a_site_that_cannot_be_planned_is_not_ready(make_site, monkeypatch):
    """Without the plan the check cannot know the site's URLs: an error, never "ready to publish"."""
    root = make_site({"content/posts/2022/a.md": "---\ntitle: Un\ndate: 2022-01-01\nsummary: Un.\n---\nSeul.\n"}).root

    def broken_plan(self):
        raise ValueError("a theme in progress")

    monkeypatch.setattr(published.Planner, "plan", broken_plan)
    report = run_checks(root)
    (plan,) = findings(report, "site-plan")
    assert isinstance(plan, Problem) and plan.severity == "error" and "could not be planned" in plan.message
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert "prêt à publier" not in result.output.replace("pas encore prêt à publier", "")
    assert "a theme in progress" in result.output
