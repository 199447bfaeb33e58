"""Write the output folder: only what changed, nothing visible before everything is ready.

Two ways to publish a build. Both guarantee that a failed build (a template error, a full disk, a
permission problem, an exception in a hook) leaves the previous site byte-identical, that a build
killed at any moment (kill -9, power cut of the process) leaves either the previous site or, once
recovered, the whole new one — never a mix —, and neither ever writes outside the output folder or
follows a symbolic link found inside it.

- transaction (when the output folder exists and nothing needs the whole new site on disk first):
  each new or changed file is written under a hidden folder beside the output folder
  (`.site.txn-<pid>/`). Files whose bytes did not change are not touched at all (same inode, same
  mtime: rsync and CDN uploads skip them). Once every file is ready, the commit writes a journal
  beside the output folder (`.site.journal`: the work folder, the files to rename into place and
  the files to delete, checksummed, fsync'd, renamed into place: it exists whole or not at all),
  then renames the files into place (one `rename(2)` each) and deletes the files that are gone,
  then deletes the journal. The journal is the commit point: a build killed before it leaves the
  previous site untouched; a build killed after it is rolled forward by `recover()`, which every
  build (and so `contentkit serve`, which builds first) runs before anything else, under the build
  lock (lock.py). A damaged journal (it cannot be half-written by us, but a disk can damage it) is
  dropped with a warning and the next build re-renders every file it cannot vouch for.
- staging (a first build, or a step that needs the complete new site on disk before it is
  published, e.g. the search index): the new site is assembled in `.site.staging-<pid>/`, unchanged
  files hard-linked from the previous build, then exchanged with the output folder in one
  `renameat2(RENAME_EXCHANGE)` (Linux; no moment without `site/`), or, where that is not available,
  by two renames under a journal that `recover()` completes.

Why a journal and not a symlinked output folder (`site -> site.builds/N`, every build a new tree):
measured on a 5,000-post site (benchmarks/corpus.py, 8,598 files) with one post changed, on this
project's 2-core VM (ext4): the transaction commit is ~5.6 ms without a journal and ~11 ms with it
(the journal's two fsyncs are ~5 ms), while a new hard-linked tree costs ~3.3 s (8,598 links) plus
~1.7 s to remove the previous tree — more than the ~2.4 s of the whole incremental build. And
`site/` would become a symbolic link (`rsync -a site dest` copies the link, web servers need
FollowSymLinks). What the journal does not give is an untorn view to a *reader* that runs during
the commit's milliseconds: a deploy that must never see one runs after the build (CI), or holds
the build lock while it reads: `flock .contentkit-cache/build.lock rsync -a site/ host:/var/www/`.
Sites with search (Pagefind) are staged whole anyway, and swapped in one system call.

`prepare()` only writes into the private work folder and returns a small picklable outcome, so
render workers (forked processes) can write their own files; the parent `record()`s the outcomes.

Test hook: `CONTENTKIT_TEST_KILL_AT=<stage>:<n>` makes the build kill itself with SIGKILL at a
named point (`kill_point`; stages read, cache, render, write, swap, manifest; see
tests/test_crash_safety.py). Read once at import; unset, each point costs one comparison.
"""
from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import marshal
import os
import re
import shutil
import signal
import stat as stat_mod
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .forking import can_fork, pid_alive


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()  # read once: os.umask can only be read by setting it (not thread-safe)


# Test hook (tests/test_crash_safety.py): "<stage>:<n>" -> the build kills itself at that point.
def _kill_at(value: str | None) -> tuple[str, int] | None:
    stage, _, n = (value or "").partition(":")
    return (stage, int(n)) if stage and n.isdigit() else None


_KILL_AT = _kill_at(os.environ.get("CONTENTKIT_TEST_KILL_AT"))
_MAIN_PID = os.getpid()  # the build's process (forked workers inherit it)


def kill_point(stage: str, n: int = 0) -> None:
    """SIGKILL the build (and this process) once `stage` reaches `n`, if the test hook asks."""
    if _KILL_AT is not None and _KILL_AT[0] == stage and n >= _KILL_AT[1]:
        os.kill(_MAIN_PID, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (bytes or an iterable of byte chunks) to `path` all at once or not at all: a
    temporary file beside it, renamed over it. The file gets the permissions a plain write would
    (mkstemp makes 0600 files). Used by the build manifest, the document cache, the analytics
    outputs and caches, and the external-link check cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray, memoryview)):
                fh.write(data)
            else:
                fh.writelines(data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class UnsafePath(ValueError):
    pass


def check_rel(rel: str) -> str:
    """Validate a path inside the output folder, lexically: no '..', '.', empty part, absolute path,
    backslash, NUL or drive letter. Symbolic links are handled by the writer (never followed)."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\x00" in rel:
        raise UnsafePath(rel)
    parts = rel.split("/")
    if "" in parts or "." in parts or ".." in parts or ":" in parts[0]:
        raise UnsafePath(rel)
    return rel


def safe_join(base: Path, rel: str) -> Path:
    """base/rel, refusing anything that would resolve outside base (.., absolute, drive letters,
    symbolic links pointing elsewhere)."""
    check_rel(rel)
    path = base.joinpath(*rel.split("/"))
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


def scan_output(out_dir: Path) -> tuple[dict[str, tuple[int, int, int]], list[str]]:
    """Regular files of out_dir -> (size, mtime_ns, inode), and the other entries (symbolic links,
    sockets...) which the next commit deletes. Never follows a link."""
    files: dict[str, tuple[int, int, int]] = {}
    foreign: list[str] = []
    base = str(out_dir)
    stack = [(base, "")]
    while stack:
        path, prefix = stack.pop()
        try:
            entries = os.scandir(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                    continue
                st = entry.stat(follow_symlinks=False)
                if stat_mod.S_ISREG(st.st_mode):
                    files[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
                else:
                    foreign.append(rel)
    return files, foreign


class ScanSoon:
    """`scan_output(out_dir)` started now in a forked process (~14,000 system calls at 5,000 posts,
    done on the other core while the build loads its cache); `result()` waits for it. Scans in this
    process instead where fork is unavailable or unsafe (other threads running). Call `close()` if
    the result is not needed (a failed build): the child is never left behind."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.pid = self.fd = None
        if not can_fork() or not self.out_dir.is_dir():
            return
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # child: scan, send, leave without running any of the parent's cleanup
            try:
                os.close(read_end)
                data = marshal.dumps(scan_output(self.out_dir))
                with os.fdopen(write_end, "wb") as fh:
                    fh.write(data)
            finally:
                os._exit(0)
        os.close(write_end)
        self.pid, self.fd = pid, read_end

    def result(self) -> tuple[dict[str, tuple[int, int, int]], list[str]]:
        if self.pid is not None:
            with os.fdopen(self.fd, "rb") as fh:
                data = fh.read()
            self.fd = None
            os.waitpid(self.pid, 0)
            self.pid = None
            try:
                files, foreign = marshal.loads(data)
                return dict(files), list(foreign)
            except Exception:  # noqa: BLE001 - the child failed: scan here
                pass
        return scan_output(self.out_dir) if self.out_dir.is_dir() else ({}, [])

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # the child's write fails if it has not finished; it exits anyway
            self.fd = None
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None


def _temp_name(rel: str) -> str:
    return hashlib.blake2b(rel.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


JOURNAL_FORMAT = 1
_WORK_NAME = re.compile(r"\.(?P<out>.+)\.(?P<kind>txn|staging|previous)-(?P<pid>[0-9]+)\Z")


def journal_path(out_dir: Path) -> Path:
    """The commit journal of an output folder: beside it, `.site.journal` for `site/`."""
    out_dir = Path(out_dir)
    return out_dir.parent / f".{out_dir.name}.journal"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_journal(out_dir: Path, entry: dict) -> Path:
    """Write the journal whole or not at all (temporary file, fsync, rename, fsync of the folder)."""
    body = json.dumps({"format": JOURNAL_FORMAT, "pid": os.getpid(), **entry}, separators=(",", ":"))
    data = f"{body}\n{hashlib.sha256(body.encode()).hexdigest()}\n".encode()
    path = journal_path(out_dir)
    tmp = path.with_name(f"{path.name}-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return path


def _read_journal(path: Path) -> dict | None:
    """The journal's entry, or None when it is damaged (checksum, format, names)."""
    try:
        body, digest, rest = path.read_bytes().split(b"\n", 2)
        if rest or hashlib.sha256(body).hexdigest().encode() != digest:
            return None
        entry = json.loads(body)
        out_name = path.name[1:-len(".journal")]
        work = _WORK_NAME.match(entry["work"])
        if entry["format"] != JOURNAL_FORMAT or not work or work["out"] != out_name:
            return None
        if entry["mode"] == "txn":
            for rel in entry["renames"] + entry["removed"]:
                check_rel(rel)
        elif entry["mode"] == "swap":
            old = _WORK_NAME.match(entry["old"])
            if not old or old["out"] != out_name:
                return None
        else:
            return None
        return entry
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UnsafePath):
        return None


def recover(out_dir: Path) -> str | None:
    """Complete the commit of a build that was killed after its commit point (the journal exists),
    before anything reads or writes the output folder. Run under the build lock (lock.py): a
    journal found then belongs to a build that is gone. Returns "rolled-forward", "damaged" (the
    journal could not be trusted: dropped; the output folder is as the kill left it, and the build
    that follows re-renders every file the manifest cannot vouch for) or None (nothing to do).
    Idempotent: a recovery that is itself killed is completed by the next one."""
    out_dir = Path(out_dir)
    path = journal_path(out_dir)
    for name in _listdir(out_dir.parent):  # journals never completed: no commit happened
        if name.startswith(path.name + "-"):
            _unlink(out_dir.parent / name)
    if not os.path.lexists(path):
        return None
    entry = _read_journal(path)
    if entry is None:
        _unlink(path)
        return "damaged"
    work = out_dir.parent / entry["work"]
    if entry["mode"] == "txn":
        _apply_txn(out_dir, work, entry["renames"], entry["removed"], resume=True)
    else:
        old = out_dir.parent / entry["old"]
        if os.path.isdir(work):  # the new tree is not in place yet
            if os.path.lexists(out_dir) and not os.path.lexists(old):
                os.rename(out_dir, old)
            if not os.path.lexists(out_dir):
                os.rename(work, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    _unlink(path)
    _fsync_dir(out_dir.parent)
    shutil.rmtree(work, ignore_errors=True)
    return "rolled-forward"


def _listdir(path: Path) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _ensure_dir(base: str, rel_dir: str, ok: set[str]) -> None:
    """Make base/rel_dir a real folder, replacing any file or link in the way (never following a
    link: a link in the output folder cannot redirect a write elsewhere)."""
    if not rel_dir or rel_dir in ok:
        return
    _ensure_dir(base, rel_dir.rpartition("/")[0], ok)
    path = os.path.join(base, rel_dir)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        os.mkdir(path)
    else:
        if not stat_mod.S_ISDIR(st.st_mode):
            os.unlink(path)
            os.mkdir(path)
    ok.add(rel_dir)


def _apply_txn(out_dir: Path, work: Path, renames: list[str], removed: list[str], resume: bool = False) -> None:
    """Rename each work file into place and delete what is gone: the commit, or its roll forward
    (`resume`: the files renamed before the kill are skipped)."""
    ok_dirs: set[str] = set()
    base = str(out_dir)
    for rel in renames:  # the folders first: a failure here (no room left) has renamed nothing
        _ensure_dir(base, rel.rpartition("/")[0], ok_dirs)
    for i, rel in enumerate(renames, 1):
        src = os.path.join(work, _temp_name(rel))
        if resume and not os.path.lexists(src):
            continue  # renamed before the kill
        dst = os.path.join(base, rel)
        try:
            if stat_mod.S_ISDIR(os.lstat(dst).st_mode):
                shutil.rmtree(dst)  # a folder of the previous site where a file goes now
        except FileNotFoundError:
            pass
        os.replace(src, dst)
        kill_point("write", i)
    parents: set[str] = set()
    for rel in removed:
        try:
            os.unlink(os.path.join(base, rel))
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            shutil.rmtree(os.path.join(base, rel), ignore_errors=True)
        parent = rel.rpartition("/")[0]
        while parent and parent not in parents:
            parents.add(parent)
            parent = parent.rpartition("/")[0]
    for parent in sorted(parents, key=lambda p: -p.count("/")):  # deepest first
        try:
            os.rmdir(os.path.join(base, parent))
        except OSError:
            pass  # not empty


_RENAME_EXCHANGE = 2
_EXCHANGE_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM, errno.EXDEV}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one system call (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _EXCHANGE_UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


class CommitInterrupted(OSError):
    """The commit failed after its commit point, some files renamed (no room left for a rename):
    the journal stays, and the next build completes the commit."""


class OutputWriter:
    """Collects the new site's files, then `commit()`s them at once (or `abort()`s)."""

    def __init__(self, out_dir: Path, *, staging: bool = False,
                 current: tuple[dict[str, tuple[int, int, int]], list[str]] | None = None):
        self.out_dir = Path(out_dir)
        # a commit killed after its commit point is completed first (the build did it already,
        # under its lock, before scanning: then there is nothing left to do here)
        self.recovered = recover(self.out_dir)
        self.previous = self.out_dir.is_dir()
        self.mode = "staging" if staging or not self.previous else "txn"
        if current is None or self.recovered:
            current = scan_output(self.out_dir) if self.previous else ({}, [])
        self.current, self.foreign = current
        self.work = self.out_dir.parent / f".{self.out_dir.name}.{self.mode}-{os.getpid()}"
        self.cleaned: list[str] = []  # work folders of killed builds, removed
        self._clean_leftovers()
        self.work.mkdir(parents=True)
        self.expected: set[str] = set()
        self.pending: dict[str, str] = {}  # rel -> file in the work folder
        self._made: set[str] = set()  # folders made in the work folder (staging mode)
        self._done = False

    def _clean_leftovers(self) -> None:
        """Work folders of builds that were killed (their process is gone), and our own."""
        prefix = f".{self.out_dir.name}."
        try:
            names = os.listdir(self.out_dir.parent)
        except OSError:
            return
        for name in names:
            if not name.startswith(prefix):
                continue
            kind, _, pid = name[len(prefix):].rpartition("-")
            if kind not in ("txn", "staging", "previous") or not pid.isdigit():
                continue
            if int(pid) == os.getpid() or not pid_alive(int(pid)):
                shutil.rmtree(self.out_dir.parent / name, ignore_errors=True)
                if int(pid) != os.getpid():
                    self.cleaned.append(name)

    # Preparing (may run in a forked worker: touches only the work folder) ---------------------
    def same_as_current(self, rel: str, data: bytes) -> bool:
        cur = self.current.get(rel)
        if cur is None or cur[0] != len(data):
            return False
        try:
            with open(os.path.join(self.out_dir, rel), "rb") as fh:
                return fh.read() == data
        except OSError:
            return False

    def _work_path(self, rel: str) -> str:
        if self.mode == "txn":
            return os.path.join(self.work, _temp_name(rel))
        parent = rel.rpartition("/")[0]
        if parent and parent not in self._made:
            self._make_dir(parent)
        return os.path.join(self.work, rel)

    def _make_dir(self, rel_dir: str) -> None:
        """work/rel_dir and its parents, each made once per process: one mkdir per folder instead
        of a makedirs (stat + mkdir) per file, at 5,000 posts (a folder per article). Forked
        workers may race to make the same folder: whoever comes second finds it made."""
        parent = rel_dir.rpartition("/")[0]
        if parent and parent not in self._made:
            self._make_dir(parent)
        try:
            os.mkdir(os.path.join(self.work, rel_dir))
        except FileExistsError:
            pass
        self._made.add(rel_dir)

    def prepare(self, rel: str, data: bytes) -> tuple[str, str | None]:
        """Write `data` for `rel` into the work folder unless the current file has these bytes."""
        if self.same_as_current(rel, data):
            return rel, None
        path = self._work_path(rel)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)  # as open("wb")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        return rel, path

    def prepare_copy(self, rel: str, src: Path) -> tuple[str, str | None]:
        """A static file: copied (with its mtime) unless the current one has its size and mtime."""
        st = os.stat(src)
        cur = self.current.get(rel)
        if cur is not None and cur[0] == st.st_size and cur[1] == st.st_mtime_ns:
            return rel, None
        path = self._work_path(rel)
        shutil.copy2(src, path)
        return rel, path

    # Recording (parent) ------------------------------------------------------------------------
    def record(self, outcome: tuple[str, str | None]) -> None:
        rel, path = outcome
        self.expected.add(rel)
        if path is not None:
            self.pending[rel] = path

    def add(self, rel: str, data: bytes) -> None:
        self.record(self.prepare(check_rel(rel), data))

    def copy(self, rel: str, src: Path) -> None:
        self.record(self.prepare_copy(check_rel(rel), src))

    def keep(self, rel: str) -> None:
        """The current file stays as it is (the caller checked it is the right one)."""
        check_rel(rel)
        if rel not in self.current:
            raise FileNotFoundError(rel)
        self.expected.add(rel)

    # Committing --------------------------------------------------------------------------------
    def commit(self, before_swap: Callable[[Path], None] | None = None,
               generated_dirs: tuple[str, ...] = ()) -> WriteReport:
        """Publish. `before_swap(folder)` (staging mode only) runs on the complete new site before it
        is swapped in; the top-level folders it makes are `generated_dirs` (never "removed")."""
        if before_swap is not None and self.mode != "staging":
            raise ValueError("before_swap needs a writer created with staging=True")
        report = WriteReport()
        report.written = sorted(self.pending)
        report.kept = len(self.expected) - len(self.pending)
        gone = [r for r in self.current if r not in self.expected and r.split("/", 1)[0] not in generated_dirs]
        report.removed = sorted(gone + self.foreign)
        try:
            if self.previous and not report.changed and all(
                    os.path.isdir(os.path.join(self.out_dir, d)) for d in generated_dirs):
                pass  # nothing to do: not even a swap
            elif self.mode == "staging":
                self._commit_staging(before_swap)
            else:
                self._commit_txn(report.removed)
        finally:
            self.abort()  # removes the work folder (empty after a transaction)
        return report

    def _commit_txn(self, removed: list[str]) -> None:
        renames = sorted(self.pending)
        journal = _write_journal(self.out_dir, {"mode": "txn", "work": self.work.name, "renames": renames,
                                                "removed": removed})
        kill_point("write", 0)  # the commit point: from here on, a kill is rolled forward
        try:
            _apply_txn(self.out_dir, self.work, renames, removed)
        except OSError as exc:
            if all(os.path.lexists(p) for p in self.pending.values()):
                _unlink(journal)  # nothing renamed yet (no room for a folder): the previous site stands
                raise
            self._done = True  # keep the work folder: the journal needs it
            raise CommitInterrupted(exc.errno, exc.strerror, exc.filename) from exc
        _unlink(journal)

    def _commit_staging(self, before_swap: Callable[[Path], None] | None) -> None:
        made: set[str] = set()
        for rel in sorted(self.expected):
            if rel in self.pending:
                continue
            dst = os.path.join(self.work, rel)
            parent = os.path.dirname(dst)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            src = os.path.join(self.out_dir, rel)
            try:
                os.link(src, dst, follow_symlinks=False)
            except OSError:
                shutil.copy2(src, dst, follow_symlinks=False)
        if before_swap is not None:
            before_swap(self.work)
        kill_point("swap")
        if not self.previous:
            os.rename(self.work, self.out_dir)
        elif _exchange(self.work, self.out_dir):  # one system call: site/ is never missing
            kill_point("swap", 1)
            shutil.rmtree(self.work, ignore_errors=True)  # the previous site now
        else:  # two renames under a journal: a kill between them is completed by recover()
            old = self.out_dir.parent / f".{self.out_dir.name}.previous-{os.getpid()}"
            journal = _write_journal(self.out_dir, {"mode": "swap", "work": self.work.name, "old": old.name})
            os.rename(self.out_dir, old)
            try:
                os.rename(self.work, self.out_dir)
            except BaseException:
                os.rename(old, self.out_dir)
                _unlink(journal)
                raise
            _unlink(journal)
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        if not self._done:
            shutil.rmtree(self.work, ignore_errors=True)
            self._done = True

    def final_stat(self, rel: str) -> tuple[int, int, int] | None:
        """(size, mtime_ns, inode) of a published file, after `commit()`."""
        if rel not in self.pending and rel in self.current:
            return self.current[rel]
        try:
            st = os.stat(os.path.join(self.out_dir, rel), follow_symlinks=False)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns, st.st_ino


def write_output(out_dir: Path, rendered: dict[str, bytes], kept: set[str],
                 copies: dict[str, Path], before_swap: Callable[[Path], None] | None = None,
                 generated_dirs: tuple[str, ...] = ()) -> WriteReport:
    """Make out_dir hold exactly: `rendered` (new bytes), `kept` (previous files), `copies`."""
    writer = OutputWriter(out_dir, staging=before_swap is not None)
    try:
        for rel in sorted(set(rendered) | set(kept) | set(copies)):
            if rel in rendered:
                writer.add(rel, rendered[rel])
            elif rel in copies:
                writer.copy(rel, copies[rel])
            else:
                writer.keep(rel)
    except BaseException:
        writer.abort()
        raise
    return writer.commit(before_swap, generated_dirs)
