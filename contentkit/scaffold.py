"""`contentkit new` and `contentkit init`: files that are right the first time."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import yaml
from slugify import slugify

from .config import load_config
from .dates import DateError, parse_date
from .errors import ContentError, ProblemLog


def _yaml_value(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip().removesuffix("...").strip()


@contextmanager
def _worded_in(lang):
    """A ContentError raised inside is worded in `lang` (a callable: the site's language may only be
    known once its config is read)."""
    try:
        yield
    except ContentError as exc:
        exc.problem = exc.problem.in_language(lang())
        raise


def new_post(root: Path, title: str, author: str | None = None, date_text: str | None = None,
             tags: str = "", category: str = "", bundle: bool = False) -> Path:
    log = ProblemLog()  # its language becomes the site's as soon as the config is read
    with _worded_in(lambda: log.lang):
        config = load_config(root, log)
        return _new_post(config, title, author, date_text, tags, category, bundle)


def _new_post(config, title: str, author: str | None, date_text: str | None, tags: str, category: str,
              bundle: bool) -> Path:
    slug = slugify(title)
    if not slug:
        raise ContentError("content/posts", "new-title-no-slug", title=repr(title))
    now = datetime.now(config.tz).replace(second=0, microsecond=0)
    try:
        date = parse_date(date_text, config.tz) if date_text else now
    except DateError:
        raise ContentError("--date", "new-date-unreadable", value=date_text) from None
    folder = config.content_dir / "posts" / f"{date.year:04d}"
    path = folder / slug / "index.md" if bundle else folder / f"{slug}.md"
    if path.exists():
        raise ContentError(path.relative_to(config.root).as_posix(), "post-exists")
    if author and not any((config.content_dir / "authors" / f"{author}{ext}").is_file()
                          for ext in (".yml", ".yaml", ".json")):
        raise ContentError(f"content/authors/{author}.yml", "author-profile-not-found", author=author)
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    lines = ["---", f"title: {_yaml_value(title)}", f"date: {date.strftime('%Y-%m-%d %H:%M')}"]
    lines.append(f"authors: [{author}]" if author else "authors: []  # your id from content/authors/")
    lines.append(f"tags: {_yaml_value(tag_list)}")
    lines.append(f"category: {_yaml_value(category)}" if category else "category: \"\"")
    lines += ["summary: \"\"  # one or two sentences, shown in search results and social cards",
              "status: writing  # idea | writing | review | approved | scheduled | published", "---", "",
              "Votre introduction ici." if config.language == "fr" else "Your introduction here.", "",
              "<!-- more -->", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def init_site(path: Path, title: str = "Mon blog", language: str = "fr") -> None:
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        with _worded_in(lambda: language):
            raise ContentError(str(path), "folder-not-empty")
    for sub in ("content/posts", "content/pages", "content/authors", "templates", "static"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    (path / "contentkit.yml").write_text(
        f"title: {_yaml_value(title)}\nbase_url: \"http://localhost:8000/\"\nlanguage: {language}\n"
        f"timezone: {'Europe/Paris' if language == 'fr' else 'UTC'}\nper_page: 10\n", encoding="utf-8")
    (path / "content/authors/moi.yml").write_text(
        "name: \"Prénom Nom\"\nrole: staff\njob_title: \"\"\nbio: \"\"\nexpertise: []\nlinks: {}\n", encoding="utf-8")
    (path / "content/pages/a-propos.md").write_text(
        "---\ntitle: " + ("\"À propos\"" if language == "fr" else "\"About\"") + "\n---\n\n"
        + ("Qui sommes-nous ?\n" if language == "fr" else "Who we are.\n"), encoding="utf-8")
    (path / ".gitignore").write_text("/site/\n.contentkit-cache/\n", encoding="utf-8")
