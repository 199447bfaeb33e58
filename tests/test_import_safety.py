"""Hostile and broken exports: `contentkit import wordpress` says what is wrong in the catalog's words,
never prints a traceback, never resolves an entity, never writes outside --into."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from contentkit.errors import ContentError
from contentkit.i18n import catalog
from contentkit.importers.common import ImportedItem, ImportResult, MediaRef, write_import
from contentkit.importers.wordpress import read_wordpress

from .conftest import SiteFactory, run_cli, snapshot

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Essai</title><link>https://vieux.example.fr</link><language>fr-FR</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://vieux.example.fr</wp:base_blog_url>
"""


def _item(post_id: int, slug: str, body: str = "<p>Texte.</p>", title: str = "Un titre", status: str = "publish") -> str:
    return f"""<item><title><![CDATA[{title}]]></title><link>https://vieux.example.fr/{slug}/</link>
<dc:creator>alice</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>2024-02-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2024-02-01 09:00:00</wp:post_date_gmt><wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>post</wp:post_type></item>
"""


def _wxr(*items: str) -> str:
    return HEAD + "".join(items) + "</channel></rss>\n"


def _message(code: str, lang: str = "fr", **params) -> str:
    return catalog(lang).t(f"errors.{code}.message", **params)


def _refused(tmp_path, data: bytes, code: str, **params) -> None:
    export = tmp_path / "export.xml"
    export.write_bytes(data)
    into = tmp_path / "site"
    SiteFactory(into)
    before = snapshot(into)
    proc = run_cli("import", "wordpress", str(export), "--into", str(into))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr.replace("errors", "")
    assert _message(code, **params).split("(")[0].split("{")[0] in proc.stderr.replace("\u202f", " ").replace("\u00a0", " "), proc.stderr
    assert catalog("fr").t("cli.import.failed") in proc.stderr
    assert snapshot(into) == before  # nothing written


def test_an_external_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET", encoding="utf-8")
    xxe = HEAD.replace('<?xml version="1.0" encoding="UTF-8" ?>\n',
                       f'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n')
    data = (xxe + _item(1, "fuite", body="&xxe;").replace("<![CDATA[&xxe;]]>", "&xxe;") + "</channel></rss>").encode()
    _refused(tmp_path, data, "import-wxr-entities")
    with pytest.raises(ContentError) as info:
        read_wordpress(tmp_path / "export.xml")
    assert info.value.problem.code == "import-wxr-entities"
    assert "MOT-DE-PASSE-SECRET" not in str(info.value.problem)


def test_a_billion_laughs_is_refused_at_once(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    data = (HEAD.replace('?>\n', f'?>\n<!DOCTYPE rss [{entities}]>\n', 1) + _item(1, "rire", body="&lol9;")
            + "</channel></rss>").encode()
    _refused(tmp_path, data, "import-wxr-entities")


def test_a_truncated_export_is_said_to_be_truncated(tmp_path):
    data = EXPORT.read_bytes()
    _refused(tmp_path, data[: len(data) * 2 // 3], "import-wxr-truncated")


def test_bytes_in_another_encoding_than_declared(tmp_path):
    data = _wxr(_item(1, "accents", body="<p>Café crème</p>")).encode("latin-1")
    _refused(tmp_path, data, "import-wxr-encoding", detail="")


def test_an_unknown_declared_encoding(tmp_path):
    data = _wxr(_item(1, "x")).replace('encoding="UTF-8"', 'encoding="klingon-8"').encode()
    _refused(tmp_path, data, "import-wxr-encoding", detail="")


@pytest.mark.parametrize("data, code", [
    (b"", "import-wxr-not-xml"),
    (b"Ceci n'est pas un export.\n", "import-wxr-not-xml"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Un flux</title><item><title>x</title></item></channel></rss>',
     "import-wxr-not-wordpress"),
    (b'<?xml version="1.0"?><html><body>page</body></html>', "import-wxr-not-wordpress"),
    (b'<?xml version="1.0"?>\n<rss><channel><wp:x xmlns:wp="http://wordpress.org/export/1.2/">a</b></channel></rss>',
     "import-wxr-malformed"),
])
def test_files_that_are_not_exports(tmp_path, data, code):
    _refused(tmp_path, data, code, detail="")


def test_a_missing_file(tmp_path):
    proc = run_cli("import", "wordpress", str(tmp_path / "absent.xml"), "--into", str(tmp_path / "site"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert _message("import-file-missing", "en") in proc.stderr or _message("import-file-missing") in proc.stderr
    assert not (tmp_path / "site").exists()


def test_path_traversal_in_slugs_stays_inside_the_site(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(_wxr(_item(1, "..%2F..%2F..%2Fevil", title="Évasion"), _item(2, "../../etc/passwd", title="Deux"),
                           _item(3, "%2e%2e", title="Points"), _item(4, "/absolu", title="Absolu")), encoding="utf-8")
    into = tmp_path / "site"
    site = SiteFactory(into)
    proc = run_cli("import", "wordpress", str(export), "--into", str(into))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_relative_to(into) and p != export]
    assert outside == []
    posts = sorted(p.relative_to(into).as_posix() for p in (into / "content/posts").rglob("*.md"))
    assert len(posts) == 4 and all(p.startswith("content/posts/2024/") and p.count("/") == 3 for p in posts), posts
    report = json.loads((into / "import-report.json").read_text("utf-8"))
    assert sum(w["code"] == "import-slug-unsafe" for w in report["warnings"]) == 4
    site.build()


def test_attachment_paths_cannot_reach_outside_the_media_folder(tmp_path):
    media = tmp_path / "uploads"
    (media / "2024").mkdir(parents=True)
    (media / "2024" / "ok.png").write_bytes(b"\x89PNG fixture")
    (tmp_path / "secret.png").write_bytes(b"not yours")
    body = ('<p><img src="https://vieux.example.fr/wp-content/uploads/../secret.png" alt="a"></p>'
            '<p><img src="https://vieux.example.fr/wp-content/uploads/2024/%2e%2e/%2e%2e/secret.png" alt="b"></p>'
            '<p><img src="https://vieux.example.fr/wp-content/uploads/2024/ok.png" alt="c"></p>')
    export = tmp_path / "export.xml"
    export.write_text(_wxr(_item(1, "images", body=body)), encoding="utf-8")
    into = tmp_path / "site"
    SiteFactory(into)
    proc = run_cli("import", "wordpress", str(export), "--media", str(media), "--into", str(into))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    copied = sorted(p.name for p in (into / "content").rglob("*.png"))
    assert copied == ["ok.png"]
    assert b"not yours" not in b"".join(p.read_bytes() for p in into.rglob("*") if p.is_file())


def test_a_symbolic_link_in_the_site_is_never_followed(tmp_path):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    into = tmp_path / "site"
    SiteFactory(into)
    (into / "content" / "posts").mkdir(parents=True)
    (into / "content" / "posts" / "2024").symlink_to(elsewhere, target_is_directory=True)
    export = tmp_path / "export.xml"
    export.write_text(_wxr(_item(1, "lien")), encoding="utf-8")
    proc = run_cli("import", "wordpress", str(export), "--into", str(into))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert list(elsewhere.iterdir()) == []


def test_write_import_refuses_unsafe_media_names_and_never_leaves_into(tmp_path):
    source = tmp_path / "photo.png"
    source.write_bytes(b"png")
    result = ImportResult()
    result.items.append(ImportedItem("post", "x:1", "Titre", "titre", status="published",
                                     media=[MediaRef(str(source), "../../dehors.png"), MediaRef(str(source), "ok.png")],
                                     body="![a](ok.png)"))
    into = tmp_path / "site"
    report = write_import(result, into, dry_run=False, source_kind="test")
    assert not (tmp_path / "dehors.png").exists()
    bundle = into / "content/posts/undated/titre"
    assert sorted(p.name for p in bundle.iterdir()) == ["dehors.png", "index.md", "ok.png"]  # the name, cleaned
    assert all(p.resolve().is_relative_to(into.resolve()) for p in into.rglob("*"))
    assert "content/posts/undated/titre/dehors.png" in report.created


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=EXPORT.stat().st_size))
def test_any_prefix_of_an_export_reads_or_fails_with_a_catalog_code(tmp_path, cut):
    path = tmp_path / "prefix.xml"
    path.write_bytes(EXPORT.read_bytes()[:cut])
    try:
        read_wordpress(path)
    except ContentError as exc:
        assert f"errors.{exc.problem.code}.message" in catalog("en")
