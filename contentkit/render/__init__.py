"""Rendering: the Jinja environment, page planning, feeds and SEO files."""
