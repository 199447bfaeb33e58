"""Write the output folder atomically: stage, then swap; never write outside it.

The new site is assembled in a staging folder beside the output folder. Files whose bytes did not
change are hard links to the previous build's files (same inode, same mtime: rsync and CDN uploads
skip them), changed files are written fresh. Only when everything is in place is the staging folder
swapped in with two renames, so a failed build leaves the previous site untouched.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


class UnsafePath(ValueError):
    pass


def safe_join(base: Path, rel: str) -> Path:
    """base/rel, refusing anything that would resolve outside base (.., absolute, drive letters)."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\x00" in rel:
        raise UnsafePath(rel)
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise UnsafePath(rel)
    path = base.joinpath(*parts)
    if not path.resolve().is_relative_to(base.resolve()):
        raise UnsafePath(rel)
    return path


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)  # new or changed bytes
    kept: int = 0  # unchanged, linked from the previous build
    removed: list[str] = field(default_factory=list)  # in the previous build, gone now

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def write_output(out_dir: Path, rendered: dict[str, bytes], kept: set[str],
                 copies: dict[str, Path], before_swap: Callable[[Path], None] | None = None,
                 generated_dirs: tuple[str, ...] = ()) -> WriteReport:
    """Make out_dir hold exactly: `rendered` (new bytes), `kept` (previous files), `copies`.

    `before_swap(staging)` runs once the staging folder is complete, before it is swapped in (e.g.
    the search index). The top-level folders it makes are named in `generated_dirs`: they are not
    "removed" files, and when nothing else changed (and they exist) the previous ones are kept.
    """
    out_dir = Path(out_dir)
    report = WriteReport()
    previous = out_dir if out_dir.is_dir() else None
    expected = set(rendered) | set(kept) | set(copies)
    # Decide what actually changes before touching the disk.
    plan: list[tuple[str, str, object]] = []  # (rel, "link"|"write"|"copy", payload)
    for rel in sorted(expected):
        old = safe_join(out_dir, rel)
        if rel in rendered:
            data = rendered[rel]
            if previous and _same_bytes(old, data):
                plan.append((rel, "link", old))
            else:
                plan.append((rel, "write", data))
                report.written.append(rel)
        elif rel in copies:
            src = copies[rel]
            st = src.stat()
            try:
                ost = old.stat()
                same = previous and ost.st_size == st.st_size and ost.st_mtime_ns == st.st_mtime_ns
            except OSError:
                same = False
            if same:
                plan.append((rel, "link", old))
            else:
                plan.append((rel, "copy", src))
                report.written.append(rel)
        else:
            plan.append((rel, "link", old))
    report.kept = sum(1 for _, how, _ in plan if how == "link")
    if previous:
        for dirpath, _dirs, files in os.walk(out_dir):
            for name in files:
                rel = Path(dirpath, name).relative_to(out_dir).as_posix()
                if rel not in expected and rel.split("/", 1)[0] not in generated_dirs:
                    report.removed.append(rel)
    if previous and not report.changed and all((out_dir / d).is_dir() for d in generated_dirs):
        return report  # nothing to do: not even a swap

    staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    old_copy = out_dir.parent / f".{out_dir.name}.previous-{os.getpid()}"
    for leftover in (staging, old_copy):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    try:
        made_dirs: set[Path] = set()
        for rel, how, payload in plan:
            dst = safe_join(staging, rel)
            if dst.parent not in made_dirs:
                dst.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(dst.parent)
            if how == "link":
                _link_or_copy(payload, dst)
            elif how == "copy":
                shutil.copy2(payload, dst)
            else:
                dst.write_bytes(payload)
        if before_swap is not None:
            before_swap(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if previous:
        os.rename(out_dir, old_copy)
        os.rename(staging, out_dir)
        shutil.rmtree(old_copy, ignore_errors=True)
    else:
        os.rename(staging, out_dir)
    return report
