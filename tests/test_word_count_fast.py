"""count_prose_words_fast must return exactly the reference count for every input.

The reference is the count the site has always shown: ``sum(count_words(b.text, lang) for b in
prose_blocks(html))``. The fast path (contentkit/text.py) re-derives it without building the blocks,
so it is compared with the reference on (a) Markdown rendered from the benchmark corpus, (b)
hand-written fragments covering each drop rule and edge case of prose_blocks / normalize_space /
tokenize_words, and (c) a few hundred seeded random fragments combining those pieces.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from contentkit import text as ck_text
from contentkit.content.frontmatter import decode_source, split_front_matter
from contentkit.content.markdown import render_markdown
from contentkit.content.reader import count_prose_words
from contentkit.text import count_prose_words_fast, count_words, prose_blocks
from tests.test_text import RENDERED as TEXT_SAMPLE

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
LANGS = ("fr", "en", "fr_CA", "de")
NBSP, NNBSP, THIN, FIGURE, WJ, BOM = "\u00a0", "\u202f", "\u2009", "\u2007", "\u2060", "\ufeff"


def reference(html: str, lang: str) -> int:
    return sum(count_words(block.text, lang) for block in prose_blocks(html))


def assert_same(html: str, langs=LANGS) -> None:
    for lang in langs:
        expected = reference(html, lang)
        assert count_prose_words_fast(html, lang) == expected, (lang, html)


# ------------------------------------------------------------------ (a) the generated corpus

@pytest.fixture(scope="module")
def corpus_html(tmp_path_factory) -> list[str]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import corpus
    finally:
        sys.path.remove(str(BENCHMARKS))
    out = tmp_path_factory.mktemp("corpus")
    corpus.generate(out, 200, seed=3, layouts=("contentkit",))
    paths = sorted((out / "contentkit" / "content" / "posts").rglob("*.md"))
    assert len(paths) == 200
    pages = []
    for path in paths:
        fm = split_front_matter(decode_source(path.read_bytes(), path.name), path.name)
        pages.append(render_markdown(fm.body, "fr").html)
    return pages


def test_rendered_corpus_counts_match_the_reference(corpus_html):
    for html in corpus_html:
        assert_same(html, ("fr", "en"))
    assert count_prose_words("<p>Un mot</p>", "fr") == 2  # the build goes through the fast path


def test_rendered_corpus_never_needs_the_reference(corpus_html, monkeypatch):
    # Speed, not correctness: ordinary articles must not fall back to prose_blocks.
    def no_blocks(*args, **kwargs):
        raise AssertionError("fell back to prose_blocks")
    counts = [count_prose_words_fast(html, "fr") for html in corpus_html]
    monkeypatch.setattr(ck_text, "prose_blocks", no_blocks)
    assert [count_prose_words_fast(html, "fr") for html in corpus_html] == counts
    assert count_prose_words_fast("<p>Il a 1 000 salariés.</p>", "fr") == 4  # digit-group path


# ------------------------------------------------------------------ (b) hand-written edge cases

# test_text's rendered article, plus a heading with its anchor, a list nested three deep and a
# second kind of highlighted code; with and without its bare URLs.
EXTRAS = """
<h3 id="deux">Deux<a class="heading-anchor" href="#deux" title="Lien">#</a></h3>
<ul><li>item<ul>
<li>sous-item<ol><li>sous-sous-item</li></ol></li>
</ul>
</li></ul>
<div class="highlight"><pre><code>more code</code></pre></div>
"""
RENDERED = TEXT_SAMPLE + EXTRAS
RENDERED_WITHOUT_URLS = RENDERED.replace("Voir https://exemple.fr/page. Ou www.exemple.fr, enfin.", "Voir la suite.")

FRAGMENTS = [
    # empty and blank
    "", " ", "\n\t ", "<p></p>", "<!-- seul -->", "<p>   </p>", "<br>", "&nbsp;",
    RENDERED, RENDERED_WITHOUT_URLS,
    # every dropped tag, with text after it that still counts
    *(f"<p>avant<{tag}>caché mot</{tag}>après suite</p>" for tag in sorted(ck_text._DROP_TAGS)),
    "<p>a<table><tr><td>cellule</td></tr></table>b</p>", "<table><caption>Légende</caption></table>",
    "<p>x <td>cellule seule</td> y</p>", "<tr><th>entête</th></tr> fin",
    # every drop class, on inline and block elements, and near misses
    *(f"<p>avant<span class=\"{name}\">caché</span>après</p>" for name in sorted(ck_text._DROP_CLASSES)),
    *(f"<div class=\"{name}\"><p>caché</p></div><p>visible</p>" for name in sorted(ck_text._DROP_CLASSES)),
    '<p>a<span class="toc footnote">x</span>b</p>', '<p>a<span class="toc extra">x</span>b</p>',
    '<p>a<span class=" toc">x</span>b</p>', '<p>a<span class="toc\tx">x</span>b</p>',
    '<p>a<span class="toc\u00a0x">x</span>b</p>', '<p>a<span class="toc\u2003x">x</span>b</p>',
    '<p>a<span class="tocx">x</span>b</p>', '<p>a<span class="TOC">x</span>b</p>',
    '<p>a<span class="">x</span>b</p>', '<p>a<span class>x</span>b</p>',
    '<p>a<span class="highlighted">x</span>b</p>', '<p>a<span class="my-toc">x</span>b</p>',
    '<p>a<span class="footnote-ref\u000bx">x</span>b</p>', '<p>a<span class="toc" class="x">y</span>b</p>',
    '<p>a<br class="toc">b</p>', '<p>a<br class="x">b</p>', '<h2 class="note">Titre</h2>x',
    '<p>a<pre class="x">code</pre>b</p>', '<p>fin <sup id="fnref:2">deux</sup> suite</p>',
    '<p>fin <sup id="fnref">deux</sup> suite</p>', '<p>fin <sup id="xfnref">deux</sup> suite</p>',
    '<p>fin <sup>deux</sup> suite</p>', '<p>fin <b id="fnref:3">trois</b> suite</p>',
    '<p class="admonition-title">Titre</p><p>corps</p>',
    # inline elements join, blocks separate
    "<p><em>l'</em>été</p>", "<p><em>l’</em>été</p>", "<p>aujourd<b>'</b>hui</p>",
    "<p>mot<span>collé</span></p>", "<p>mot</p><p>collé</p>", "<li>mot</li><li>collé</li>",
    "<p>peut<em>-</em>être</p>", "<p>peut-</p><p>être</p>", "<p>a</p>b<p>c</p>d",
    "<p>un<div>deux</div>trois</p>", "<em><p>dans</p>emphase</em>", "<p>a<center>b</center>c</p>",
    "<p>a<font>b</font>c</p>", "<div>texte <p>para</p> queue</div>", "texte nu <b>gras</b>",
    "<details><summary>Résumé</summary>Détail caché</details>", "<figure><img src=x>"
    "<figcaption>Légende ici</figcaption></figure>", "<hr>ligne<hr>", "<address>1 rue</address>",
    "<nav>menu</nav><header>tête</header><footer>pied</footer><main>corps</main>",
    "<aside>à côté</aside><section>sec</section><article>art</article><form>f<fieldset>g</fieldset></form>",
    # <br> is a space
    "<p>un<br>deux</p>", "<p>1<br>000</p>", "<p>l'<br>été</p>", "<p>1<br/>000,5</p>",
    # comments, processing instructions, entities, CDATA
    "<p>l'<!-- note -->été</p>", "<p>1<!-- -->&nbsp;000</p>", "<p>a<?php echo 1 ?>b</p>",
    "<p>l&rsquo;été &amp; l&#8217;hiver &lt;tag&gt;</p>", "<p>1&#160;000 et 2&#8239;000 et 3&#8201;000</p>",
    "<p>a<![CDATA[ b ]]>c</p>", "<p>&#x2060;mot&#xfeff;</p>",
    # French digit groups, inside a block, across inline tags, across block boundaries
    "<p>1 000 euros</p>", "<p>1 000 000 euros</p>", "<p>1 234,5 et 1 234.5</p>", "<p>12 1234</p>",
    f"<p>1{NBSP}000 and 1{NNBSP}000 and 1{THIN}000 and 1{FIGURE}000</p>", f"<p>12{NBSP}1234</p>",
    f"<p>1{NBSP}{NBSP}000</p>", f"<p>1 {NBSP}000</p>", f"<p>1{NBSP} 000</p>", "<p>1\n000</p>",
    "<p>1\t000</p>", "<p>1  000</p>", f"<p>1{WJ}000</p>", f"<p>1{BOM}000</p>", f"<p>1{NBSP}{WJ}000</p>",
    "<p>1<em> </em>000</p>", "<p><b>1</b> 000</p>", "<p>1 <b>000</b></p>", "<p>1</p> <p>000</p>",
    "<li>1</li><li>000</li>", "<p>1 </p><p>000</p>", "<p>x,1 000</p>", "<p>x.1 000</p>",
    "<p>a1 000</p>", "<p>1 000a</p>", "<p>1 000-a</p>", "<p>1 000,5.6</p>", "<p>1 000 ,5</p>",
    "<p>1 000, 5</p>", "<p>_1 000 x_1 000 a_ 1 000 _ 1 000</p>", "<p>10 000-20 000</p>", "<p>2 000 € soit 3 %</p>", "<p>1 0000</p>",
    "<p>1234 567</p>", "<p>01 000</p>", "<p>1 000 000 000 000</p>", "<p>٣ ٠٠٠</p>", "<p>²3 000</p>",
    # numbers, abbreviations, joins
    "<p>3.5 3,5 1,234.5 24/03/15 14:30 COVID-19</p>", "<p>U.S. e.g. J.-C. a.-b a'-b a.b.c</p>",
    "<p>c'est-à-dire a-t-il l'on qu'il jusqu'à</p>", "<p>et/ou a/ b /c a//b</p>", "<p>a::b a:b 1:2</p>",
    "<p>a,b 1,2 1,,2 1.,2 a.,b 1-2 1–2 a—b a‐b a‑b</p>", "<p>a‐b a‑b a‐ ‑b a.‐b a‐‐b</p>",
    "<p>1,2,3 1:2:3 a,1 1,a 1.2.3 1;2</p>", "<p>don't l’économie aʼb aʼ bʼ</p>",
    "<p>mot.suite mot..suite mot.-suite mot.-.suite mot-.suite</p>", "<p>snake_case _a a_ __</p>",
    "<p>« guillemets » ( parenthèses ) [crochets] … ... — – - ! ? ; :</p>", "<p>100% 50 % 3€</p>",
    # orphan punctuation left by dropped code or URLs
    "<p>voir <code>x</code>. Suite</p>", "<p>voir <code>x</code> . Suite</p>", "<p>a ,b</p>",
    "<p>3 ,5</p>", "<p>3 .5</p>", "<p>U.S .A</p>", "<p>a .b</p>", "<p>a\n.b</p>", f"<p>a{NBSP}.b</p>",
    f"<p>a{WJ}.b</p>", "<p>a  ,  b</p>", "<p>a )b a ]b</p>", "<p>a . . b</p>", "<p> .a</p>",
    "<p>1 000 .5</p>", "<p>a <kbd>k</kbd>, b</p>",
    # bare URLs (removed, trailing punctuation kept)
    "<p>Voir https://exemple.fr/page. Suite</p>", "<p>Ou www.exemple.fr, enfin.</p>",
    "<p>(https://x.fr/a). fin</p>", "<p>WWW.EXEMPLE.FR/x!</p>", "<p>http://a.b/c?d=1&amp;e=2 mot</p>",
    "<p>ftp://x.y mot</p>", "<p>l'https://x.fr mot</p>", "<p>law. Then we saw www. And w.w.</p>",
    "<p>https://x.fr</p><p>suite</p>", "<p>a https://x.fr\u007fb c</p>", "<p>mailto:x@y.fr mot</p>",
    "<p>a https://x.fr&#127;b c</p>", "<p>a https://x.fr&#x7F;b c</p>", "<p>a https://x.fr&#0127b c</p>",
    "<p>a https://x.fr&#1270;b c</p>", "<p>u https://x.fr<em>b c</em>d<br>e</p>",
    "<p>www.a.fr</p><li>www.b.fr, mot</li>x www.c.fr", "<p>https://x.fr/1 000 www.a.b 2 000</p>",
    # other scripts, symbols, control characters
    "<p>Ελληνικά κείμενα και Русский текст здесь</p>", "<p>中文文本 日本語のテキスト</p>",
    "<p>emoji 😀 mot 👍🏽 fin 𝒳𝒴 𝟙𝟚</p>", "<p>cœur œuvre Œuvre naïve</p>", "<p>a\x01b a\x7fb a\ue001b</p>",
    "<p>a&#127;b</p>", "<p>a\x00b</p>", "<p>a\x85b a\u2028b a\u3000b</p>", "<p>a\ufffdb</p>",
    # full documents and odd structures
    "<html><body><p>Corps du texte.</p></body></html>", "<!DOCTYPE html><p>doc type</p>",
    "<html><head><title>Titre</title></head><body>corps</body></html>", "<body>seul</body>",
    "   <html><p>espace</p></html>", "<p>a</p></body></html>b", "<head><title>t</title></head>x",
    "<title>titre</title> texte", "<frameset><frame></frameset>", "<p>non fermé <em>italique",
    "</p>orphelin</div>", "<p>a<p>b<li>c<li>d", "<ul>texte libre<li>item</li></ul>",
    "<math><mi>x</mi></math> visible", "<svg:rect>y</svg:rect> z", "<o:p>office</o:p>",
]


@pytest.mark.parametrize("html", FRAGMENTS)
def test_fragment_counts_match_the_reference(html):
    assert_same(html)


def test_fragments_cover_each_path(monkeypatch):
    calls = []
    real = ck_text.prose_blocks
    monkeypatch.setattr(ck_text, "prose_blocks", lambda *a, **k: calls.append(1) or real(*a, **k))
    for html in ("<p>mot</p>", "<p>1 000</p>", "<p>œuvre — fin</p>", "<p>a ,b</p>", "<p>www.x.fr.</p>"):
        count_prose_words_fast(html, "fr")
    assert calls == []
    for html in ('<p>a<span class="toc x">b</span></p>', "<p>www.x.fr&#127;</p>", "<body>x</body>"):
        count_prose_words_fast(html, "fr")
    assert len(calls) == 3


def test_character_classes_agree_with_the_regexes():
    # The fast path classifies characters with str methods; the reference uses regex classes.
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert re.findall(r"[^\W_]", chars) == [c for c in chars if c.isalnum()]
    assert re.findall(r"\d", chars) == [c for c in chars if c.isdecimal()]
    one_space = ck_text._SPACE_RE.pattern.removesuffix("+")  # the class, without the run
    assert set(re.findall(one_space, chars)) == (
        {c for c in chars if c.isspace()} | {WJ, BOM})
    # _may_hold_url looks for "w"/"W" only: nothing else matches "w" case-insensitively.
    assert re.findall("w", chars, re.IGNORECASE) == ["W", "w"]


# ------------------------------------------------------------------ (c) random fragments

WORDS = ["mot", "été", "l'été", "l’économie", "aujourd'hui", "peut-être", "c'est-à-dire", "a-t-il",
         "U.S.", "e.g.", "J.-C.", "COVID-19", "3,5", "3.5", "1,234.5", "24/03/15", "14:30", "et/ou",
         "don't", "aʼb", "cœur", "naïve", "Ελλάδα", "текст", "中文", "😀", "snake_case", "x", "a",
         "1", "12", "123", "1234", "000", "100", "1 000", "12 345,6", "2000", "½", "²", "٣"]
PUNCT = [".", ",", ";", ":", "!", "?", "…", "...", "«", "»", "(", ")", "[", "]", "'", "’", "-",
         "–", "—", "‐", "‑", "/", "%", "€", "&amp;", "&lt;", "_", ".-", "'-", "\x7f"]
SPACES = [" ", " ", " ", "  ", "\n", "\t", NBSP, NNBSP, THIN, FIGURE, WJ, BOM, "\u2003", "&nbsp;",
          "&#8239;", ""]
LETTER_WORDS = [w for w in WORDS if not any(c.isdigit() for c in w)]
URLS = ["https://exemple.fr/a", "http://x.y/z).", "www.site.fr,", "WWW.X.FR", "www.", "://"]
INLINE = ["em", "strong", "b", "i", "a", "span", "code", "kbd", "samp", "small", "q", "abbr", "u",
          "font", "center", "button", "noscript", "video"]
BLOCK = ["p", "div", "blockquote", "li", "h2", "h3", "dt", "dd", "section", "figcaption", "td",
         "table", "pre", "ul", "ol", "details", "summary", "address", "aside"]
CLASSES = ["toc", "footnote", "footnote-ref", "footnote-backref", "headerlink", "heading-anchor",
           "codehilite", "highlight", "admonition-title", "note", "toc x", "x toc", " toc", "tocx",
           "toc\tx", "", "highlight footnote"]


def random_text(rng: random.Random, digits: bool) -> str:
    parts = []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.55:
            parts.append(rng.choice(WORDS if digits else LETTER_WORDS))
        elif roll < 0.8:
            parts.append(rng.choice(PUNCT))
        elif roll < 0.84:
            parts.append(rng.choice(URLS))
        elif digits:
            parts.append(str(rng.randint(0, 9999)))
        parts.append(rng.choice(SPACES))
    return "".join(parts)


def random_html(rng: random.Random, digits: bool = True, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.4 or depth >= 3:
            out.append(random_text(rng, digits))
        elif roll < 0.6:
            tag = rng.choice(INLINE)
            attrs = f' class="{rng.choice(CLASSES)}"' if rng.random() < 0.25 else ""
            out.append(f"<{tag}{attrs}>{random_html(rng, digits, depth + 1)}</{tag}>")
        elif roll < 0.85:
            tag = rng.choice(BLOCK)
            attrs = f' class="{rng.choice(CLASSES)}"' if rng.random() < 0.2 else ""
            out.append(f"<{tag}{attrs}>{random_html(rng, digits, depth + 1)}</{tag}>")
        elif roll < 0.9:
            out.append(rng.choice(["<br>", "<br/>", "<hr>", "<img src=x>", "<!-- c -->",
                                   '<sup id="fnref:1"><a class="footnote-ref">1</a></sup>',
                                   '<sup id="fnref:2">note</sup>']))
        elif roll < 0.95:
            out.append(rng.choice(["<p>", "</p>", "<li>", "</div>", "<em>", "</em>"]))  # unbalanced
        else:
            heading = random_text(rng, digits)
            out.append(f'<h2 id="t">{heading}<a class="heading-anchor" href="#t">#</a></h2>')
    return "".join(out)


@pytest.mark.parametrize("digits", [True, False])  # without digits: no digit-group path
def test_random_fragments_match_the_reference(digits):
    rng = random.Random(20240611)
    for _ in range(400):
        assert_same(random_html(rng, digits), ("fr", "en"))
