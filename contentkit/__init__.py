"""contentkit: a static blog generator for experts who blog, with live preview and editorial analytics."""

__version__ = "0.1.0"
