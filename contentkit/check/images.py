"""Images: alt text and source of body images, the front matter `image` (alt text, SVG, file
present) and author photos."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..model import Article, Site
from .html import Ref


def check_body_image(checker, a: Article, ref: Ref, line: int | None) -> None:
    """An image in the body: alt text, and a source at all (whether the file exists is checked with
    the links, which resolve the path)."""
    url = ref.url
    if ref.alt is None or not ref.alt.strip():
        if url:
            checker.log.warning(a.source, "image-alt", line=line, url=url)
        else:
            checker.log.warning(a.source, "image-alt-no-source", line=line)
    if not url:
        checker.log.error(a.source, "missing-image-no-source")


def missing_image(checker, a: Article, url: str, line: int | None, path: str) -> None:
    """An image (in the body or the front matter `image`) whose file is not found; the hint says
    where to put it (the article's folder for a page bundle)."""
    if a.bundle_dir is not None:
        checker.log.error(a.source, "missing-image-bundle", line=line, url=url,
                          folder=Path(a.source).parent.as_posix())
    else:
        checker.log.error(a.source, "missing-image", line=line, url=url, path=path)


def check_images_front_matter(checker, articles: list[Article]) -> None:
    for a in articles:
        if not a.image:
            continue
        line = a.key_lines.get("image")
        if not a.image_alt.strip():
            checker.log.warning(a.source, "image-alt-front-matter", line=line, image=a.image)
        if urlsplit(a.image).path.lower().endswith((".svg", ".svgz")):
            checker.log.warning(a.source, "social-image", line=line, image=a.image)
        if a.image.startswith(("http://", "https://", "//")):
            continue
        path = unquote(urlsplit(a.image).path)
        if checker.published.resolve(path) is None and not source_file_exists(a, path):
            missing_image(checker, a, a.image, line, path)


def source_file_exists(a: Article, path: str) -> bool:
    """A bundle file of an unpublished post (not in the published site yet)."""
    if a.bundle_dir is None:
        return False
    base = a.url
    return path.startswith(base) and (a.bundle_dir / path[len(base):]).is_file()


def check_author_photos(checker, site: Site) -> None:
    for person in site.authors.values():
        if person.generated or not person.photo or person.photo.startswith(("http://", "https://", "//")):
            continue
        photo = person.photo if person.photo.startswith("/") else "/" + person.photo
        if not photo.startswith(checker.cfg.root_path):
            photo = checker.cfg.root_path.rstrip("/") + photo
        if checker.published.resolve(unquote(photo)) is None:
            checker.log.error(person.source or "content/authors", "missing-image-photo", photo=person.photo,
                              name=person.name, path=photo[len(checker.cfg.root_path) - 1:])
