"""Benchmark: import + aggregate a 1,000,000-row GA4 per-day exploration CSV (5,000 paths).

    python benchmarks/traffic_import.py [--rows N] [--paths N] [--keep FILE]

The file is generated deterministically (fixed seed) in a temporary folder, in the layout GA4
downloads (``#`` preamble, Date + Page path dimensions, raw numbers), then
``import_export`` and ``aggregate_by_path`` are timed separately. Prints seconds and the peak
resident memory of the process (``resource.getrusage``; the generation is done in a child
process so it does not count).
Target on the project's 2-core machine: import + aggregate < ~8 s, < 1 GB.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def generate(path: Path, rows: int, paths: int, seed: int = 20250101) -> None:
    rng = random.Random(seed)
    days = max(1, rows // paths)
    start = date(2024, 1, 1)
    names = [f"/{2015 + i % 10}/article-{i:05d}/" for i in range(paths)]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("# ----------------------------------------\n# Free form 1\n"
                 "# Account: Benchmark\n# Property: bench.example.com - GA4\n"
                 "# ----------------------------------------\n#\n# All Users\n"
                 f"# Start date: {start:%Y%m%d}\n"
                 f"# End date: {start + timedelta(days=days - 1):%Y%m%d}\n\n")
        fh.write("Date,Page path and screen class,Views,Active users,Views per active user,"
                 "Average engagement time per active user,Bounce rate,Event count,Key events,"
                 "Total revenue\n")
        written = 0
        buf = []
        for d in range(days):
            day = f"{start + timedelta(days=d):%Y%m%d}"
            for name in names:
                if written >= rows:
                    break
                users = rng.randint(1, 400)
                views = users + rng.randint(0, 300)
                buf.append(f"{day},{name},{views},{users},{views / users},"
                           f"{rng.random() * 120},{rng.random()},{views * 3},{rng.randint(0, 3)},0\n")
                written += 1
            if len(buf) > 50000:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--paths", type=int, default=5_000)
    parser.add_argument("--keep", type=Path, help="write the generated CSV here and keep it")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.rows, args.paths)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "ga4-exploration-per-day.csv"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--paths",
                        str(args.paths), "--generate-only", str(path)], check=True)
        gen = time.perf_counter() - t0
        size = path.stat().st_size

        from contentkit.analytics.traffic import aggregate_by_path, import_export

        t1, c1 = time.perf_counter(), time.process_time()
        export = import_export(path)
        t2, c2 = time.perf_counter(), time.process_time()
        pages = aggregate_by_path([export])
        t3, c3 = time.perf_counter(), time.process_time()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"file: {args.rows:,} rows, {args.paths:,} paths, {size / 1e6:.1f} MB "
              f"(generated in {gen:.1f} s)")
        print(f"import_export:     {t2 - t1:6.2f} s wall, {c2 - c1:6.2f} s CPU  "
              f"({len(export.rows):,} rows, {export.number_convention}, "
              f"{len(export.problems)} problems)")
        print(f"aggregate_by_path: {t3 - t2:6.2f} s wall, {c3 - c2:6.2f} s CPU  ({len(pages):,} paths)")
        print(f"total:             {t3 - t1:6.2f} s wall, {c3 - c1:6.2f} s CPU "
              "(CPU time is what a busy machine does not distort)")
        print(f"peak RSS:          {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()
