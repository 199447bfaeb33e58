"""Importers: bring an existing blog in from WordPress (WXR), Jekyll, Hugo or Pelican.

Each reader turns its source into an `ImportResult` (`common.py`); `write_import` writes it into a
site folder (content, author profiles, comments, redirects, the report) and keeps a manifest so a
rerun only updates what the import created. Not part of the site core: nothing in the core imports
this package (pyproject's import-linter contract, tests/test_architecture.py).
"""
