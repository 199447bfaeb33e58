"""Issue 15 (import speed): bodies converted in worker processes give the same files, byte for
byte, as converting them in the reader's process."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from contentkit.importers.common import _front_matter

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


# Front matter is written with libyaml's emitter when PyYAML has it: it must write what the
# pure-Python emitter writes for every value an importer puts in front matter.
_keys = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)  # importers write their own keys
_scalars = st.one_of(
    st.text(max_size=40), st.integers(-10**6, 10**6), st.booleans(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.sampled_from(["🚀 Lancement", "yes", "no", "null", "~", "2021-03-15", "a: b", "- x", "#tag", "'q'", '"q"', "été : « oui »",
                     "*star", "&anchor", "!tag", "%", "@", "`", "1e3", "0x1F", "+1", ".5", "\u00a0", "\u2028"]))
_values = st.one_of(_scalars, st.lists(_scalars, max_size=4), st.dictionaries(_keys, _scalars, max_size=3))


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML built without libyaml")
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=8))
def test_libyaml_writes_the_same_front_matter_as_pyyaml(data):
    kept = {k: v for k, v in data.items() if v not in (None, "", [], {})}
    reference = yaml.dump(kept, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=1 << 16,
                          default_flow_style=False)
    assert _front_matter(data) == reference
