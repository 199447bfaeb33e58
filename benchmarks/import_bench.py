"""Time and peak memory of `contentkit import wordpress` on a generated export (issue 15).

    python3 benchmarks/import_bench.py [--posts 10000] [--kb 10] [--keep]

Writes /tmp/contentkit-import-bench/export.xml (10,000 posts of ~10 KB each: about 100 MB; Gutenberg
and classic bodies, captions, galleries, embeds, an unknown shortcode, tags, nested categories,
comments, attachments), then runs the real command in a child process into a fresh folder and
reports its wall time and peak RSS (getrusage of the child). Targets: under 60 s, under 500 MB.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Banc d'essai</title><link>https://banc.example.fr</link><language>fr-FR</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://banc.example.fr</wp:base_blog_url>
<wp:author><wp:author_login>alice</wp:author_login><wp:author_display_name>Alice Martin</wp:author_display_name></wp:author>
<wp:author><wp:author_login>bruno</wp:author_login><wp:author_display_name>Bruno Petit</wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>produit</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Produit</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>api</wp:category_nicename><wp:category_parent>produit</wp:category_parent><wp:cat_name>API</wp:cat_name></wp:category>
"""
WORDS = ("données analyse client équipe produit rapport sécurité intégration tableau réunion projet "
         "mesure croissance marché service logiciel plateforme usage valeur décision").split()


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def body(rng: random.Random, i: int, kb: int) -> str:
    parts, size = [], 0
    gutenberg = i % 2 == 0
    while size < kb * 1024:
        kind = rng.randrange(6)
        if gutenberg:
            if kind == 0:
                block = f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{paragraph(rng, 4)}</h2>\n<!-- /wp:heading -->'
            elif kind == 1:
                block = ('<!-- wp:image {"id":1} -->\n<figure class="wp-block-image"><img src="https://banc.example.fr/'
                         f'wp-content/uploads/2024/01/image-{i}-1024x768.jpg" alt="{paragraph(rng, 3)}"/>'
                         f'<figcaption>{paragraph(rng, 5)}</figcaption></figure>\n<!-- /wp:image -->')
            elif kind == 2:
                items = "".join(f"<li>{paragraph(rng, 6)}</li>" for _ in range(4))
                block = f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->"
            else:
                block = f"<!-- wp:paragraph -->\n<p>{paragraph(rng, 60)} <a href=\"https://banc.example.fr/?p={i}\">lien</a></p>\n<!-- /wp:paragraph -->"
        else:
            if kind == 0:
                block = (f'[caption id="attachment_{i}" width="300"]<img src="https://banc.example.fr/wp-content/uploads/'
                         f'2023/05/photo-{i}-300x200.jpg" alt="x" /> {paragraph(rng, 4)}[/caption]')
            elif kind == 1:
                block = "https://www.youtube.com/watch?v=banc" + str(i)
            elif kind == 2:
                block = f'[gallery ids="{i},{i + 1}"] [formulaire id="{i}"]'
            else:
                block = paragraph(rng, 40) + "\n" + paragraph(rng, 30)
        parts.append(block)
        size += len(block)
    return "\n\n".join(parts)


def generate(path: Path, posts: int, kb: int) -> None:
    rng = random.Random(15)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEAD)
        for i in range(1, posts + 1):
            year = 2015 + i % 10
            status = "publish" if i % 20 else "draft"
            comments = "".join(
                f"<wp:comment><wp:comment_id>{i * 10 + c}</wp:comment_id><wp:comment_author>Lecteur</wp:comment_author>"
                f"<wp:comment_date_gmt>{year}-03-04 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[{paragraph(rng, 15)}]]>"
                f"</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>"
                for c in range(i % 3))
            fh.write(f"""<item><title><![CDATA[{paragraph(rng, 6)} {i}]]></title>
<link>https://banc.example.fr/{year}/03/04/article-{i}/</link><dc:creator>{"alice" if i % 2 else "bruno"}</dc:creator>
<content:encoded><![CDATA[{body(rng, i, kb)}]]></content:encoded><excerpt:encoded><![CDATA[{paragraph(rng, 12)}]]></excerpt:encoded>
<wp:post_id>{i}</wp:post_id><wp:post_date>{year}-03-04 11:00:00</wp:post_date><wp:post_date_gmt>{year}-03-04 10:00:00</wp:post_date_gmt>
<wp:post_name>article-{i}</wp:post_name><wp:status>{status}</wp:status><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>
<wp:is_sticky>0</wp:is_sticky><category domain="category" nicename="api">API</category>
<category domain="post_tag" nicename="tag-{i % 50}">étiquette {i % 50}</category>{comments}</item>
""")
            if i % 10 == 0:
                fh.write(f"""<item><title>image {i}</title><link>https://banc.example.fr/?attachment_id={posts + i}</link>
<wp:post_id>{posts + i}</wp:post_id><wp:post_parent>{i}</wp:post_parent><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>https://banc.example.fr/wp-content/uploads/2024/01/image-{i}.jpg</wp:attachment_url></item>
""")
        fh.write("</channel></rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--kb", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the generated export and site")
    args = parser.parse_args()
    folder = Path("/tmp/contentkit-import-bench")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    export = folder / "export.xml"
    t0 = time.perf_counter()
    generate(export, args.posts, args.kb)
    print(f"export: {args.posts} posts, {export.stat().st_size / 1e6:.1f} MB, generated in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "contentkit", "import", "wordpress", str(export),
                           "--into", str(folder / "site")], capture_output=True, text=True,
                          env={"COLUMNS": "100", "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        print(proc.stderr[-3000:])
        sys.exit(1)
    files = sum(1 for _ in (folder / "site" / "content").rglob("*.md"))
    print(f"import: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB, {files} Markdown files "
          f"(targets: < 60 s, < 500 MB)")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
