"""Shared fixtures: the project root, a built copy of the seeds, fixture-file parsing."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest import config, pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@dataclass
class Case:
    name: str
    input: str
    expected: str
    file: str
    line: int


def read_fixture(path: Path) -> list[Case]:
    """Parse a fixture file: name / . / input / . / expected / . blocks."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#"):
            i += 1
            continue
        name, start = lines[i], i + 1
        assert lines[i + 1] == ".", f"{path}:{i + 2}: expected '.' after case name"
        j = i + 2
        body: list[str] = []
        while lines[j] != ".":
            body.append(lines[j])
            j += 1
        k = j + 1
        exp: list[str] = []
        while lines[k] != ".":
            exp.append(lines[k])
            k += 1
        cases.append(Case(name, "\n".join(body), "\n".join(exp), path.name, start))
        i = k + 1
    return cases


def copy_project(dst: Path, seeds: list[Path] | None = None) -> Path:
    """A throwaway copy of the project (config, annotations, seeds) to build in."""
    for name in ("mkdocs.yml", "digest.yml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, dst / name)
    shutil.copytree(ROOT / "annotations", dst / "annotations")
    shutil.copytree(ROOT / "overrides", dst / "overrides")
    if seeds is not None:  # a different corpus is a new publication: no URL record, no notes on absent documents
        (dst / "annotations" / "published.txt").unlink(missing_ok=True)
        shutil.rmtree(dst / "annotations" / "notes", ignore_errors=True)
    (dst / "seeds").mkdir()
    for seed in seeds if seeds is not None else sorted(SEEDS.iterdir()):
        shutil.copy(seed, dst / "seeds" / seed.name)
    return dst


def rename_document(root: Path, source: str, new_id: str) -> str:
    """Rename the registry id of ``source``'s document the way an editor does (old id in redirect_from,
    its anchor ledger moved along). Returns the old id."""
    import yaml

    reg_path = root / "annotations" / "registry.yaml"
    reg = yaml.safe_load(reg_path.read_text(encoding="utf-8"))
    entry = next(d for d in reg["documents"] if d["source"] == source)
    old = str(entry["id"])
    entry["id"], entry["redirect_from"] = new_id, [old]
    reg_path.write_text(yaml.safe_dump(reg, allow_unicode=True), encoding="utf-8")
    anchors = root / "annotations" / "anchors"
    (anchors / f"{old}.tsv").rename(anchors / f"{new_id}.tsv")
    return old


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.Report]:
    """The five seeds built once into a temporary project (content/ and site/)."""
    root = copy_project(tmp_path_factory.mktemp("built"))
    report = pipeline.build(config.load(root))
    return root, report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    """Print the key-facts precision/recall report (set by tests/test_facts_gold.py) after the run."""
    lines = getattr(config, "digest_facts_report", None)
    if lines:
        terminalreporter.section("key facts vs gold (tests/gold)")
        for line in lines:
            terminalreporter.write_line(line)
