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
        checker.add(a.source, line, "warning", "image-alt", f"image {url or '(no src)'} has no alt text",
                    "describe what the image shows: ![Courbe des ventes 2019-2023](…); "
                    "screen readers and search engines read it")
    if not url:
        checker.add(a.source, None, "error", "missing-image", "an image has no source",
                    "write ![description](chemin/vers/image.png)")


def missing_body_image(checker, a: Article, url: str, line: int | None, path: str) -> None:
    checker.add(a.source, line, "error", "missing-image", f"image {url} not found",
                missing_file_hint(a, path))


def missing_file_hint(a: Article, path: str) -> str:
    if a.bundle_dir is not None:
        return (f"put the file in the article's folder ({Path(a.source).parent.as_posix()}/) and link it "
                "by its name, or in static/ and link it from the site root (/images/…)")
    return f"put the file in static{path} (static/ is copied to the site root) or fix the path"


def check_images_front_matter(checker, articles: list[Article]) -> None:
    for a in articles:
        if not a.image:
            continue
        line = a.key_lines.get("image")
        if not a.image_alt.strip():
            checker.add(a.source, line, "warning", "image-alt", f"`image: {a.image}` has no `image_alt`",
                        "add `image_alt: \"…\"` describing the image (used by social networks)")
        if urlsplit(a.image).path.lower().endswith((".svg", ".svgz")):
            checker.add(a.source, line, "warning", "social-image",
                        f"`image: {a.image}` is an SVG: social networks do not show SVG previews",
                        "use a PNG or JPEG, ideally 1200×630 pixels, for the social card")
        if a.image.startswith(("http://", "https://", "//")):
            continue
        path = unquote(urlsplit(a.image).path)
        if checker.published.resolve(path) is None and not source_file_exists(a, path):
            checker.add(a.source, line, "error", "missing-image", f"image {a.image} not found",
                        missing_file_hint(a, path))


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
            checker.add(person.source or "content/authors", None, "error", "missing-image",
                        f"photo {person.photo} of {person.name} not found",
                        f"put the file in static{photo[len(checker.cfg.root_path) - 1:]} or fix `photo:`")
