"""The digest stage in a process of its own (`digest build`): progress, counts and errors come
back to the parent as if the stage had run in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest import cli, config, pipeline
from digest.exceptions import AnnotationError
from tests.conftest import SEEDS, copy_project

SEED = SEEDS / "003_089e73d47226c464.txt"


def test_progress_and_counts_come_back_from_the_stage_process(tmp_path: Path) -> None:
    """The parent's progress callback hears every seed read in the child, and the report carries the
    counts, memo counts and the registry to save, but not the documents."""
    root = copy_project(tmp_path, [SEED])
    heard: list[str] = []
    report = pipeline.build(config.load(root), progress=heard.append, isolate=True)
    assert heard == [SEED.name]
    assert report.documents == [] and report.document_count == 1 and report.removed_lines > 0
    assert set(report.context.data["memo_counts"]) >= {"read", "terms", "facts"}
    assert report.context.data["memo_problems"] == {}  # every memo was usable
    assert (root / "site" / "index.html").is_file()
    registry = (root / "annotations" / "registry.yaml").read_text(encoding="utf-8")
    assert SEED.name in registry  # the new document's id, saved by the parent after the site was built


def test_a_user_error_in_the_stage_process_is_raised_again_as_itself(tmp_path: Path) -> None:
    """A bad annotation read in the child raises, in the parent, the same error class with the same
    message (file and line), and nothing is written."""
    root = copy_project(tmp_path, [SEED])
    glossary = root / "annotations" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "- term: [\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        pipeline.build(config.load(root), isolate=True)
    assert "glossary.yaml:" in str(err.value) and "not valid YAML" in str(err.value)
    assert not (root / "site").exists() and not (root / "content").exists()


def test_the_cli_shows_the_stage_error_as_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`digest build` with a bad annotation exits 1 and prints the error, no traceback."""
    root = copy_project(tmp_path, [SEED])
    glossary = root / "annotations" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "- term: [\n", encoding="utf-8")
    assert cli.main(["-C", str(root), "build"]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Error in annotation" in text and "glossary.yaml:" in text
    assert "Traceback" not in text


def test_a_failed_build_leaves_the_annotations_as_they_were(tmp_path: Path) -> None:
    """The stage process writes the new registry and ledgers aside; when the build then fails (here:
    a published page would disappear), they are not moved into annotations/."""
    from digest.exceptions import BuildError

    root = copy_project(tmp_path, [SEED])
    pipeline.build(config.load(root), isolate=True)
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "annotations").rglob("*") if p.is_file()}
    (root / "seeds" / SEED.name).unlink()
    other = SEEDS / "004_6d357c08ea62956c.txt"
    (root / "seeds" / other.name).write_bytes(other.read_bytes())
    with pytest.raises(BuildError, match="published URL"):
        pipeline.build(config.load(root), isolate=True)
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "annotations").rglob("*") if p.is_file()}
    assert after == before
