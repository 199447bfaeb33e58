"""Posts migrated from Jekyll (issue 18, item 3): Liquid tags and kramdown syntax are read as what
they mean (highlight -> code block, raw -> text, {:toc} -> table of contents, {: .class} ->
attributes), never as invalid attributes; what is left literal is listed, located, per kind."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contentkit.content.markdown import new_engine, render_markdown

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))

# A post as Jekyll blogs have them (the quirks, in miniature, written for this test).
JEKYLL_POST = """\
* TOC
{:toc}

## Installer le serveur

Avant de commencer, vérifiez la version.
{: .note #avant}

{% highlight apache %}
<VirtualHost *:80>
  ServerName exemple.fr
</VirtualHost>
{% endhighlight %}

## Les gabarits

{% raw %}
Dans un gabarit, écrivez {{ page.title }} pour le titre.
{% endraw %}

Paragraphe suivi d’une liste d’attributs inconnue.
{: reveal}

Voir [l’article précédent]({% post_url 2020-01-15-premier-article %}) et
![schéma]({{ site.baseurl }}/images/schema.png), sur {{ site.title }}

{% include youtube.html id="dQw4w9WgXcQ" %}

## La suite

Fin.
"""


@pytest.fixture
def jekyll_site(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1)
    site.post("migre", "Migré de Jekyll", "2026-01-10", body=JEKYLL_POST)
    return site


def test_no_liquid_tag_or_kramdown_list_becomes_an_attribute(jekyll_site):
    jekyll_site.build()
    page = jekyll_site.html("/2026/migre-de-jekyll/")
    names = {name for el in page.iter() if isinstance(el.tag, str) for name in el.attrib}
    assert not names & {"_", "endhighlight", "endraw", "toc", "highlight", "raw"}, names
    text = page.text_content()
    assert "endhighlight" not in text and "endraw" not in text and "{:toc}" not in text


def test_highlight_is_a_code_block_coloured_like_any_other(jekyll_site):
    jekyll_site.build()
    page = jekyll_site.html("/2026/migre-de-jekyll/")
    blocks = page.xpath('//div[contains(@class, "highlight")]//pre')
    assert len(blocks) == 1
    code = blocks[0].text_content()
    assert "<VirtualHost *:80>" in code and "ServerName exemple.fr" in code
    assert not page.xpath("//virtualhost")  # the code's tag is text, not an element
    fenced = render_markdown("```apache\n<VirtualHost *:80>\n  ServerName exemple.fr\n</VirtualHost>\n```\n", "fr")
    assert fenced.html.strip() in render_markdown(JEKYLL_POST, "fr").html


def test_raw_is_literal_text_and_toc_is_the_table_of_contents(jekyll_site):
    jekyll_site.build()
    page = jekyll_site.html("/2026/migre-de-jekyll/")
    assert "écrivez {{ page.title }} pour le titre" in page.text_content()
    # contentkit's own table of contents, once; the kramdown marker and its "* TOC" line are gone
    toc = page.xpath('//nav[contains(@class, "toc-box")]//a/@href')
    assert toc == ["#installer-le-serveur", "#les-gabarits", "#la-suite"]
    assert not [li for li in page.iter("li") if li.text_content().strip() == "TOC"]
    note = page.xpath('//p[@id="avant"]')
    assert note and note[0].get("class") == "note"


def test_what_is_left_literal_is_listed_with_its_line(jekyll_site):
    result = jekyll_site.build()
    found = {p.code: p for p in result.warnings if p.file.endswith("migre.md")}
    lines = jekyll_site.read("content/posts/migre.md").splitlines()

    def line_of(text: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if text in line)
    assert found["liquid-include"].line == line_of("{% include youtube.html")
    assert "youtube.html" in found["liquid-include"].message
    assert "<iframe>" in found["liquid-include"].hint
    # no post has that file name here: the link stays the guess, and says so at its line
    assert found["liquid-post-url-unknown"].line == line_of("post_url")
    assert found["liquid-site-variable"].line == line_of("site.title")
    assert "site.title" in found["liquid-site-variable"].message
    assert found["kramdown-attributes-invalid"].line == line_of("{: reveal}")
    # understood constructs are not "shown as literal text"; the listed ones are not counted twice
    assert "template-tags-foreign" not in found
    page = jekyll_site.html("/2026/migre-de-jekyll/")
    assert "{% include youtube.html" in page.text_content()  # literal, as the warning says
    # a valid link in each case: the base path is contentkit's, post_url the nearest guess
    assert "/2020/premier-article/" in page.xpath("//a[contains(., 'précédent')]/@href")
    assert not [v for v in page.xpath("//a/@href | //img/@src") if "{" in v]


def test_the_foreign_tags_warning_counts_only_tags_left_as_they_are(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1)
    site.post("autre", "Autre", "2026-01-10", body="Un {{ titre }} et {% if x %}oui{% endif %}.\n\n"
              "{% raw %}{{ gardé }}{% endraw %}\n")
    result = site.build()
    (warning,) = [p for p in result.warnings if p.code == "template-tags-foreign"]
    assert dict(warning.params)["count"] == "3"


def test_shortcut_engine_reads_jekyll_like_the_stock_engine():
    for lang in ("fr", "en"):
        fast, stock = new_engine(lang), new_engine(lang, shortcuts=False)
        for md in (fast, stock):
            md.ck_source = JEKYLL_POST
            md.ck_admonition = False
            md.ck_toc_marker = False
        assert fast.convert(JEKYLL_POST) == stock.convert(JEKYLL_POST)
        fast.reset(), stock.reset()


def test_eleventy_url_filter_is_the_path_it_names():
    rendered = render_markdown('Voir [l’API]({{ "/2015/07/08/openfec-api/" | url }}).\n', "fr")
    assert 'href="/2015/07/08/openfec-api/"' in rendered.html
    assert "{{" not in rendered.html and rendered.template_tags == 0
