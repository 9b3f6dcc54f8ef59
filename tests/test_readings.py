"""The three readings (zh, en, zh-Hant) are three MkDocs builds into one site/."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest import config, pipeline, site
from tests.conftest import SEEDS, copy_project


def test_no_reading_is_built_inside_another_readings_folder(tmp_path: Path) -> None:
    """MkDocs empties its site folder when a build starts, so no reading's build folder lies inside another's:
    run at the same time, the first reading's start would delete what another had already written."""
    dirs = [site.build_dir(tmp_path / "site", r) for r in site.READINGS]
    assert len(set(dirs)) == len(dirs)
    for a in dirs:
        for b in dirs:
            assert a == b or not a.is_relative_to(b), (a, b)


def test_every_reading_is_whole_whichever_reading_mkdocs_builds_first(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Built one after the other, the first reading last (the order that two workers under load can give),
    every reading keeps its pages, assets and exports; the site equals one built in the usual order."""
    seeds = [SEEDS / "003_089e73d47226c464.txt"]
    roots = []
    for name, order in (("usual", site.READINGS), ("reversed", site.READINGS[::-1])):
        (tmp_path / name).mkdir()
        root = copy_project(tmp_path / name, seeds)
        monkeypatch.setattr(site, "READINGS", list(order))
        pipeline.build(config.load(root, {"workers": 1}))
        roots.append(root / "site")
    monkeypatch.undo()
    usual, reversed_ = ({p.relative_to(r).as_posix(): p.read_bytes() for p in r.rglob("*") if p.is_file()}
                        for r in roots)
    for reading in site.READINGS:
        prefix = f"{reading.site}/" if reading.site else ""
        for rel in ("index.html", "assets/digest.css", "assets/search/manifest.js", "glossary.json", "feed.xml"):
            assert f"{prefix}{rel}" in reversed_, f"{prefix}{rel}"
    assert sorted(reversed_) == sorted(usual)
    assert [rel for rel in usual if usual[rel] != reversed_[rel]] == []
