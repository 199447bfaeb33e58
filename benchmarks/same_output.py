"""Does a change keep contentkit's output byte-identical? Builds the demo site (and its analysis
report) with a reference commit and with the working tree, side by side, and compares every file.

    python3 benchmarks/same_output.py            # reference: HEAD
    python3 benchmarks/same_output.py --ref 9db4df1 --site path/to/site

Exit 0 when every file is identical; otherwise the differing paths are listed (exit 1).
The reference is checked out with `git worktree` into a temporary folder and run from source
(an editable install's import hook is bypassed), so the installed contentkit does not matter.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


# An editable install puts a finder on sys.meta_path that maps `contentkit` to its checkout whatever
# PYTHONPATH says: drop it, so each run imports the source tree it is given.
BOOT = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in "
        "getattr(f, '__module__', '')]; sys.path.insert(0, sys.argv.pop(1)); "
        "import contentkit; assert contentkit.__file__.startswith(sys.path[0]), contentkit.__file__; "
        "from contentkit.cli import main; sys.argv[0] = 'contentkit'; main()")


def run(src: Path, site: Path, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    work = out.parent / "site-src"  # the same path for both runs: outputs may name the site folder
    shutil.copytree(site, work, ignore=shutil.ignore_patterns("site", ".contentkit-cache", "reports", ".git"))
    for args in (["build", "--output", str(out / "site"), "--no-cache"],
                 ["analyze", "--output", str(out / "reports"), "--no-cache"]):
        done = subprocess.run([sys.executable, "-c", BOOT, str(src), *args], cwd=work, env=env,
                              capture_output=True, text=True)
        (out / f"{args[0]}.log").write_text(done.stdout + done.stderr)
        if done.returncode not in (0,):
            print(f"{src}: contentkit {args[0]} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    shutil.rmtree(work)


def differences(a: Path, b: Path) -> list[str]:
    out: list[str] = []
    cmp = filecmp.dircmp(a, b)

    def walk(c: filecmp.dircmp, rel: str) -> None:
        out.extend(f"only in reference: {rel}{n}" for n in c.left_only)
        out.extend(f"only in new: {rel}{n}" for n in c.right_only)
        for name in c.common_files:
            if not filecmp.cmp(Path(c.left) / name, Path(c.right) / name, shallow=False):
                out.append(f"differs: {rel}{name}")
        for name, sub in c.subdirs.items():
            walk(sub, f"{rel}{name}/")

    walk(cmp, "")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD", help="reference commit (default: HEAD)")
    parser.add_argument("--site", type=Path, default=REPO, help="site folder (default: the demo site)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ck-same-") as tmp:
        tmp = Path(tmp)
        ref_src = tmp / "ref-src"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(ref_src), args.ref],
                       check=True)
        try:
            (tmp / "ref").mkdir()
            (tmp / "new").mkdir()
            run(ref_src, args.site.resolve(), tmp / "ref")
            run(REPO, args.site.resolve(), tmp / "new")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(ref_src)], check=False)
        diffs = []
        for part in ("site", "reports"):
            diffs += [f"{part}/: {d}" for d in differences(tmp / "ref" / part, tmp / "new" / part)]
        print("\n".join(diffs) if diffs else f"identical: site/ and reports/ of {args.site} at {args.ref} "
              "and in the working tree")
        return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
