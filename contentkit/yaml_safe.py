"""The one YAML loader contentkit reads every file with: a safe loader (plain data, never Python
objects), libyaml's C loader when it is installed (~8x faster than the pure-Python one)."""

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
