"""Issue 15 (import speed): bodies converted in worker processes give the same files, byte for
byte, as converting them in the reader's process."""
from __future__ import annotations

from pathlib import Path

from .conftest import run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes().replace(str(root).encode(), b"<ROOT>")
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_one_and_two_processes_write_the_same_files(tmp_path, monkeypatch):
    sites = {}
    for n in ("1", "2"):
        monkeypatch.setenv("CONTENTKIT_IMPORT_PROCESSES", n)
        root = tmp_path / f"p{n}"
        proc = run_cli("import", "wordpress", str(FIXTURE / "export.xml"), "--media", str(FIXTURE / "uploads"),
                       "--into", str(root))
        assert proc.returncode == 0, proc.stderr
        sites[n] = _files(root)
    assert len(sites["1"]) > 20
    assert sites["1"].keys() == sites["2"].keys()
    for name in sites["1"]:
        assert sites["1"][name] == sites["2"][name], name
