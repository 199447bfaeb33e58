"""What search engines and social networks read: meta tags, JSON-LD, sitemap.xml, robots.txt."""
from __future__ import annotations

from lxml import etree

from ..model import Article, Author, Site, Term

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


class Fields(dict):
    """A read-only dict whose keys templates read as attributes (`meta.title`, `pagination.page`)
    without Jinja first failing a getattr (an AttributeError raised and caught at each of the ~40
    such reads of a page). Keys named like a dict method (`items`...) stay methods, as in a dict."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__.update((k, v) for k, v in self.items() if isinstance(k, str) and not hasattr(dict, k))

    def _read_only(self, *args, **kwargs):
        raise TypeError("read-only")

    __setitem__ = __delitem__ = __ior__ = update = setdefault = pop = popitem = clear = _read_only


def _image(site: Site, path: str) -> str:
    return site.config.absolute(path) if path else ""


def default_image(site: Site) -> str:
    cfg = site.config
    # Social networks do not show SVG: an SVG logo is no fallback for og:image (the theme's PNG is).
    logo = cfg.publisher.logo if not cfg.publisher.logo.lower().endswith((".svg", ".svgz")) else ""
    return cfg.absolute(cfg.default_image or logo or cfg.root_path + "images/og-default.png")


def person_ld(site: Site, person: Author) -> dict:
    data = {"@type": "Person", "name": person.name}
    if site.config.builds("author"):  # else the author has no page to point to
        data["url"] = site.config.absolute(person.url)
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.company:
        data["worksFor"] = {"@type": "Organization", "name": person.company}
    elif person.role == "staff":
        data["worksFor"] = {"@type": "Organization", "name": site.config.publisher.name or site.config.title}
    if person.photo:
        data["image"] = _image(site, person.photo)
    same_as = [u for u in person.links.values() if u.startswith(("http://", "https://"))]
    if same_as:
        data["sameAs"] = same_as
    return data


def publisher_ld(site: Site) -> dict:
    pub = site.config.publisher
    data = {"@type": "Organization", "name": pub.name or site.config.title,
            "url": pub.url or site.config.base_url}
    if pub.logo:
        data["logo"] = {"@type": "ImageObject", "url": site.config.absolute(pub.logo)}
    return data


def article_ld(site: Site, a: Article) -> dict:
    url = site.config.absolute(a.url)
    data = {
        "@context": "https://schema.org", "@type": "BlogPosting", "@id": url + "#article",
        "headline": a.title, "description": a.summary, "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": a.lang, "wordCount": a.words,
        "image": _image(site, a.image) or default_image(site),
        "author": [person_ld(site, p) for p in a.authors] or [publisher_ld(site)],
        "publisher": publisher_ld(site),
    }
    if a.date:
        data["datePublished"] = a.date.isoformat()
        data["dateModified"] = (a.updated or a.date).isoformat()
    if a.tags:
        data["keywords"] = [t.name for t in a.tags]
    if a.category:
        data["articleSection"] = a.category.name
    if a.interviewees:
        data["mentions"] = [person_ld(site, p) for p in a.interviewees]
    return data


def event_ld(site: Site, a: Article) -> dict | None:
    ev = a.event
    if ev is None:
        return None
    online = not ev.location or ev.location.casefold() in ("en ligne", "online", "webinar", "webinaire")
    data = {
        "@context": "https://schema.org", "@type": "Event", "name": a.title, "description": a.summary,
        "startDate": ev.start.isoformat(), "url": site.config.absolute(a.url),
        "eventAttendanceMode": "https://schema.org/" + ("OnlineEventAttendanceMode" if online
                                                        else "OfflineEventAttendanceMode"),
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": publisher_ld(site),
        "location": ({"@type": "VirtualLocation", "url": ev.registration_url or site.config.absolute(a.url)}
                     if online else {"@type": "Place", "name": ev.location, "address": ev.location}),
        "image": _image(site, a.image) or default_image(site),
    }
    if ev.end:
        data["endDate"] = ev.end.isoformat()
    if a.authors:
        data["performer"] = [person_ld(site, p) for p in a.authors]
    return data


def page_meta(site: Site, *, title: str, url: str, description: str = "", kind: str = "website",
              article: Article | None = None, term: Term | None = None, noindex: bool = False) -> dict:
    """Everything the <head> partial prints, computed once here so templates stay declarative."""
    cfg = site.config
    canonical = (article.canonical_url if article and article.canonical_url else cfg.absolute(url))
    description = description or cfg.description
    image = _image(site, article.image) if article and article.image else default_image(site)
    jsonld = []
    if article is not None and article.kind == "post":
        jsonld.append(article_ld(site, article))
        ev = event_ld(site, article)
        if ev:
            jsonld.append(ev)
    elif term is not None and term.author is not None:
        jsonld.append({"@context": "https://schema.org", "@type": "ProfilePage",
                       "mainEntity": person_ld(site, term.author)})
    elif url == cfg.root_path:
        jsonld.append({"@context": "https://schema.org", "@type": "WebSite", "name": cfg.title,
                       "url": cfg.base_url, "inLanguage": cfg.language, "publisher": publisher_ld(site)})
    meta = Fields({
        "title": title, "description": description, "canonical": canonical, "image": image,
        "image_alt": (article.image_alt if article and article.image else cfg.title),
        "type": "article" if article is not None and article.kind == "post" else "website",
        "locale": {"fr": "fr_FR", "en": "en_US"}.get(cfg.language, cfg.language),
        "jsonld": jsonld, "noindex": noindex, "article": article,
    })
    return meta


def sitemap_xml(entries: list[tuple[str, str | None]]) -> bytes:
    """entries: (absolute URL, W3C date or None). Child order follows the XSD: loc, lastmod."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for loc, lastmod in entries:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
        if lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def robots_txt(site: Site) -> bytes:
    return (f"User-agent: *\nAllow: /\n\nSitemap: {site.config.absolute(site.config.root_path + 'sitemap.xml')}\n"
            ).encode()
