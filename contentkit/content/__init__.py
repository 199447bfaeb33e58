"""Reading content: front matter, Markdown with typography, and the loader that reads a site's files."""
