"""Load `contentkit.yml` into a typed `SiteConfig`.

Every key has a default, so an empty or missing file builds. Unknown keys are reported as
warnings (a typo such as `per_pgae` must not be silently ignored), wrong types as errors.
"""
from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .content.frontmatter import yaml_mistake
from .errors import ContentError, ProblemLog
from .yaml_safe import SAFE_LOADER

CONFIG_NAMES = ("contentkit.yml", "contentkit.yaml")
# What `disable_kinds` can turn off. A taxonomy's kind removes its pages, its index and its feeds;
# links to them are left out of every page, the sitemap and the feeds. What each one is, as an
# author reads it, is in the errors catalog (config-output-kind-unknown's hint).
OUTPUT_KINDS = ("tag", "category", "author", "year", "term_feed", "atom", "rss")
RAW_HTML_MODES = ("allow", "sanitize", "escape")  # markdown.raw_html (content/markdown.py says the same)
MARKDOWN_KEYS = ("raw_html",)


@dataclass
class Publisher:
    name: str = ""
    url: str = ""
    logo: str = ""


@dataclass
class SiteConfig:
    root: Path = Path(".")
    title: str = "Mon blog"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "fr"
    timezone: str = "UTC"
    theme: str = "default"
    permalink: str = "/{year}/{slug}/"
    page_permalink: str = "/{slug}/"
    slug_from: str = "title"  # "title" or "filename"
    per_page: int = 10
    feed_items: int = 20
    feed_full_content: bool = True
    related_posts: int = 4
    toc_min_headings: int = 3
    publisher: Publisher = field(default_factory=Publisher)
    default_image: str = ""
    author_default: str | None = None
    # Analytics options; the analyze command reads them.
    traffic: list[str] = field(default_factory=list)
    length_buckets: list[int] = field(default_factory=lambda: [500, 800, 1500, 3000])
    # Marketing link hygiene: query parameters appended to links in feeds, e.g. {"utm_source": "rss"}.
    feed_link_params: dict = field(default_factory=dict)
    outbound_rel: str = ""  # e.g. "noopener nofollow", added to links leaving the site (article HTML)
    outbound_link_params: dict = field(default_factory=dict)  # e.g. {"utm_source": "carnet"}
    search: bool = True  # static search with Pagefind (search.py), when the pagefind package is installed
    # Kinds of output not to build (Hugo's disableKinds): see OUTPUT_KINDS.
    disable_kinds: list[str] = field(default_factory=list)
    paginate_terms: bool = True  # false: one page per tag/category/author/year, listing all its posts
    # Markdown options: `raw_html` (RAW_HTML_MODES): what raw HTML in bodies may do (docs/security.md).
    markdown: dict = field(default_factory=dict)
    # Everything else a theme wants to read (menu, social links...). Kept, not interpreted.
    params: dict = field(default_factory=dict)
    source_file: str | None = None

    # Derived ----------------------------------------------------------------
    @property
    def root_path(self) -> str:
        """The path part of base_url ("/" or "/blog/"): every internal link starts with it."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def site_url(self) -> str:
        """base_url without its path, e.g. "https://blog.example.com"."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def raw_html(self) -> str:
        """"allow" (the default: a company's own staff write the bodies), "sanitize" or "escape";
        posts by an author who is not trusted get at least "sanitize" (assemble.py)."""
        value = self.markdown.get("raw_html", "allow") if isinstance(self.markdown, dict) else "allow"
        return value if value in RAW_HTML_MODES else "allow"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def builds(self, kind: str) -> bool:
        """Whether the site has this kind of output (OUTPUT_KINDS), i.e. it is not disabled."""
        return kind not in self.disable_kinds

    def absolute(self, url: str) -> str:
        """Root-relative URL -> absolute URL on the site's host."""
        if url.startswith(("http://", "https://", "//", "mailto:")):
            return url
        return self.site_url + (url if url.startswith("/") else "/" + url)


def find_config_file(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def load_config(root: Path, log: ProblemLog | None = None, **overrides) -> SiteConfig:
    """Read the site's config. Raises ContentError for a file that cannot be used at all."""
    log = log if log is not None else ProblemLog()
    root = Path(root).resolve()
    path = find_config_file(root)
    data: dict = {}
    rel = path.name if path else "contentkit.yml"
    if path is not None:
        text = path.read_text(encoding="utf-8-sig")
        log.lang = declared_language(text)  # problems read in the site's language, even the config's
        try:
            data = yaml.load(text, Loader=SAFE_LOADER) or {}
        except yaml.YAMLError as exc:
            line = yaml_mistake(exc, rel)
            raise ContentError(rel, "config-yaml-invalid", line=line,
                               problem=getattr(exc, "problem", None) or exc) from None
        if not isinstance(data, dict):
            raise ContentError(rel, "config-not-mapping", line=1)
    cfg = SiteConfig(root=root, source_file=rel if path else None)
    log.lang = str(data.get("language") or overrides.get("language") or cfg.language)
    known = {f.name for f in dataclasses.fields(SiteConfig)} - {"root", "source_file"}
    lines = _key_lines(path) if path else {}
    for key, value in data.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)  # per_pgae -> per_page
            if close:
                log.warning(rel, "config-key-misspelt", line=lines.get(key), setting=key, suggestion=close[0],
                            keys=", ".join(sorted(known)))
            else:
                log.warning(rel, "config-key-unknown", line=lines.get(key), setting=key, keys=", ".join(sorted(known)))
            continue
        if key == "publisher":
            if not isinstance(value, dict):
                log.error(rel, "config-publisher-not-mapping", line=lines.get(key))
                continue
            value = Publisher(**{k: str(v) for k, v in value.items() if k in ("name", "url", "logo")})
        else:
            default = getattr(cfg, key)
            expected = type(default) if default is not None else None
            if expected is bool and not isinstance(value, bool):
                log.error(rel, "config-not-boolean", line=lines.get(key), setting=key, value=repr(value))
                continue
            if expected is int and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                log.error(rel, "config-not-positive-number", line=lines.get(key), setting=key, value=repr(value))
                continue
            if expected is list and isinstance(value, str):
                value = [value]
            if expected in (list, dict) and not isinstance(value, expected):
                if expected is list:
                    log.error(rel, "config-not-list", line=lines.get(key), setting=key)
                else:
                    log.error(rel, "config-key-not-mapping", line=lines.get(key), setting=key)
                continue
            if expected is str:
                value = "" if value is None else str(value)
        setattr(cfg, key, value)
    for key, value in overrides.items():
        if value is not None:
            setattr(cfg, key, value)
    _validate(cfg, rel, lines, log)
    return cfg


def _validate(cfg: SiteConfig, rel: str, lines: dict, log: ProblemLog) -> None:
    try:
        ZoneInfo(cfg.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        log.error(rel, "config-timezone-unknown", line=lines.get("timezone"), timezone=cfg.timezone)
        cfg.timezone = "UTC"
    if not cfg.base_url.startswith(("http://", "https://")):
        log.error(rel, "config-base-url-scheme", line=lines.get("base_url"), base_url=cfg.base_url)
        cfg.base_url = "http://localhost:8000/"
    if not cfg.base_url.endswith("/"):
        cfg.base_url += "/"
    if "{slug}" not in cfg.permalink:
        log.error(rel, "config-permalink-no-slug", line=lines.get("permalink"), permalink=cfg.permalink)
        cfg.permalink = "/{year}/{slug}/"
    unknown = [k for k in cfg.disable_kinds if k not in OUTPUT_KINDS]
    if unknown:
        kinds = ", ".join(map(repr, unknown))
        if len(unknown) > 1:
            log.error(rel, "config-output-kinds-unknown", line=lines.get("disable_kinds"), kinds=kinds)
        else:
            log.error(rel, "config-output-kind-unknown", line=lines.get("disable_kinds"), kinds=kinds)
        cfg.disable_kinds = [k for k in cfg.disable_kinds if k in OUTPUT_KINDS]
    for key in cfg.markdown:
        if key not in MARKDOWN_KEYS:
            log.warning(rel, "config-key-unknown", line=lines.get("markdown"), setting=f"markdown.{key}",
                        keys=", ".join(MARKDOWN_KEYS))
    raw_html = cfg.markdown.get("raw_html", "allow")
    if raw_html not in RAW_HTML_MODES:
        log.error(rel, "config-raw-html-unknown", line=lines.get("markdown"), value=repr(raw_html),
                  modes=", ".join(RAW_HTML_MODES))
        cfg.markdown = {**cfg.markdown, "raw_html": "allow"}
    if cfg.slug_from not in ("title", "filename"):
        log.error(rel, "config-slug-from-unknown", line=lines.get("slug_from"))
        cfg.slug_from = "title"


def declared_language(text: str) -> str:
    """The `language:` a config text declares, read line by line so that it is known even when the
    YAML is broken (its problems are then worded in that language); the default otherwise."""
    for line in text.splitlines():
        if line.startswith("language:"):
            value = line.split(":", 1)[1].split("#", 1)[0].strip().strip("\"'")
            if value:
                return value
    return SiteConfig.language


def site_language(root: Path) -> str:
    """The language a site folder declares (see declared_language); the default when its config
    declares none or cannot be read."""
    path = find_config_file(Path(root))
    try:
        return declared_language(path.read_text(encoding="utf-8-sig")) if path else SiteConfig.language
    except (OSError, UnicodeDecodeError):
        return SiteConfig.language


def _key_lines(path: Path) -> dict[str, int]:
    """Line of each top-level key, for located messages."""
    out: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if line and not line[0].isspace() and ":" in line and not line.startswith("#"):
            out.setdefault(line.split(":", 1)[0].strip(), number)
    return out

