"""Regenerate the GENERATED SAMPLE traffic exports of the demo site in content/traffic/.

    python benchmarks/make_demo_traffic.py [--root .] [--out content/traffic]

Deterministic (fixed seed): see contentkit/analytics/sample.py for the planted pattern.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contentkit.analytics.sample import make_demo_traffic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    for path in make_demo_traffic(args.root, args.out):
        print(f"{path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
