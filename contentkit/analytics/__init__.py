"""Editorial analytics computed from each article's rendered HTML (prose only)."""
