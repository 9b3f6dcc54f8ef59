"""Translations: PO files, fuzzy marking, coverage, QA, machine backends, the Traditional reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from digest import cli, config, hant, pipeline, qa, translations
from tests.conftest import ROOT, SEEDS, copy_project


def _project(tmp_path: Path, seeds: list[str] | None = None) -> Path:
    chosen = [SEEDS / s for s in seeds] if seeds else None
    return copy_project(tmp_path, chosen)


def test_po_round_trip_keeps_every_entry_and_translation(tmp_path: Path) -> None:
    """update → save → load gives the same entries; an import fills them and reloads identically."""
    root = _project(tmp_path, ["003_089e73d47226c464.txt"])
    shutil.rmtree(root / "annotations" / "translations")
    report = pipeline.analyse(config.load(root))
    doc = report.documents[0]
    po, changed = translations.update(doc, root / "annotations", "en")
    assert changed
    path = translations.po_path(root / "annotations", "en", doc.id)
    path.parent.mkdir(parents=True)
    po.save(str(path))
    again = translations.load(path)
    assert [(e.msgctxt, e.msgid) for e in again] == [(u.ctxt, u.source) for u in translations.units(doc)]
    filled, unknown = translations.import_mapping(again, {e.msgctxt: f"EN {e.msgctxt}" for e in again})
    again.save(str(path))
    assert (filled, unknown) == (len(again), [])
    reloaded = translations.load(path)
    assert all(e.msgstr == f"EN {e.msgctxt}" for e in reloaded)
    assert translations.coverage(doc, root / "annotations", "en").percent == 100.0


def test_a_changed_source_paragraph_marks_its_translation_fuzzy_and_the_page_shows_it(tmp_path: Path) -> None:
    """Editing a seed paragraph keeps its anchor, marks the English fuzzy with the old source, and the page
    says it is stale."""
    root = _project(tmp_path, ["000_d9aa945f40867fd2.txt"])
    seed = root / "seeds" / "000_d9aa945f40867fd2.txt"
    text = seed.read_text(encoding="utf-8")
    old = "本次会议既是对过去工作的总结与表彰"
    assert old in text
    seed.write_text(text.replace(old, "本次会议既是对过去工作的总结和表彰"), encoding="utf-8")
    settings = config.load(root)
    doc = pipeline.analyse(settings).documents[0]
    po, _ = translations.update(doc, root / "annotations", "en")
    po.save(str(translations.po_path(root / "annotations", "en", doc.id)))
    entry = next(e for e in po if "总结和表彰" in e.msgid)
    assert "fuzzy" in entry.flags and entry.previous_msgid and "总结与表彰" in entry.previous_msgid
    assert entry.msgstr  # the old translation is kept for the translator to revise
    cov = translations.coverage(doc, root / "annotations", "en")
    assert cov.fuzzy == 1 and cov.percent < 100
    pipeline.build(settings)
    html = (root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")
    start = html.index(f'<div class="dg-unit" id="{entry.msgctxt}"')
    unit = html[start : html.index("</div>", start)]
    assert "dg-en--fuzzy" in unit and ">stale<" in unit


def test_number_qa_catches_a_wrong_figure() -> None:
    """A figure missing or wrongly converted in the English is reported; a correct conversion is not."""
    zh = "全年完成规上工业总产值509.44亿元,同比增长6.28%;完成违建消存量57.6万平方米。"
    good = "Gross output reached 50.944 billion yuan, up 6.28%; 576,000 square metres were cleared."
    wrong = "Gross output reached 50.94 billion yuan, up 6.28%; 576,000 square metres were cleared."
    assert qa.check_figures(zh, good) == []
    assert qa.check_figures(zh, wrong) == ["509.44亿"]
    assert qa.check_figures("12月18日启动。", "It started on 18 December.") == []


def test_qa_over_the_seed_translations_finds_no_figure_problem() -> None:
    """Every Arabic figure of every translated unit of the five seeds appears converted in its English."""
    report = pipeline.analyse(config.load(ROOT))
    problems = [p for d in report.documents for p in qa.check_document(d) if p.kind == "figure"]
    assert problems == []


def test_translation_coverage_of_the_seeds_is_complete(capsys: pytest.CaptureFixture[str]) -> None:
    """`digest translations status --strict` reports 100% for every document of the five seeds."""
    code = cli.main(["-C", str(ROOT), "translations", "status", "--strict"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("100.0%") == 6


def test_machine_backend_plumbing(tmp_path: Path) -> None:
    """A pluggable backend fills only empty entries, flagged machine; the page marks them as machine output."""
    root = _project(tmp_path, ["003_089e73d47226c464.txt"])
    shutil.rmtree(root / "annotations" / "translations")
    code = cli.main(["-C", str(root), "translations", "machine", "--backend", "tests.fake_mt:Backend"])
    assert code == 0
    po_file = next((root / "annotations" / "translations" / "en").glob("*.po"))
    po = polib.pofile(str(po_file))
    assert all(e.msgstr.startswith("[zh→en]") and "machine" in e.flags for e in po)
    settings = config.load(root)
    report = pipeline.build(settings)
    html = (root / "site" / "docs" / f"{report.documents[0].id}.html").read_text(encoding="utf-8")
    assert "dg-en--machine" in html and ">machine<" in html


def test_opencc_converts_at_phrase_level_and_the_termbase_overrides() -> None:
    """OpenCC gives 龙岗区 → 龍崗區 and phrase-level Taiwan usage; a termbase override wins over OpenCC."""
    plain = hant.Converter("s2twp")
    assert plain("龙岗区平湖街道") == "龍崗區平湖街道"
    assert plain("软件信息") == "軟體資訊"  # phrase level, not character by character
    custom = hant.Converter("s2twp", {"信息": "信息"})
    assert custom("软件信息") == "軟體信息"


def test_the_converter_follows_the_glossary_as_it_reads_now(tmp_path: Path) -> None:
    """hant.converter gives the overrides of the glossary file as it is now: a process that builds again
    after an editor gave a term its Traditional form (a long-lived server, say) uses the new form."""
    glossary = tmp_path / "glossary.yaml"
    assert hant.converter("s2twp", glossary)("软件信息") == "軟體資訊"  # no file: OpenCC alone
    glossary.write_text("- term: 信息\n  en: information\n", encoding="utf-8")
    assert hant.converter("s2twp", glossary)("软件信息") == "軟體資訊"
    glossary.write_text("- term: 信息\n  en: information\n  traditional: 信息\n", encoding="utf-8")
    assert hant.converter("s2twp", glossary)("软件信息") == "軟體信息"


def test_traditional_reading_is_built_for_every_page(built) -> None:
    """site/zh-Hant/ holds every document page converted to Traditional, anchors unchanged; site/en/ too."""
    root, report = built
    for doc in report.documents:
        simp = (root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")
        trad = (root / "site" / "zh-Hant" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")
        assert (root / "site" / "en" / "docs" / f"{doc.id}.html").is_file()
        assert 'lang="zh-Hant"' in trad
        for b in doc.blocks:
            if b.anchor:
                assert f'id="{b.anchor}"' in simp and f'id="{b.anchor}"' in trad
    guanhu = next(d for d in report.documents if d.source.startswith("002"))
    trad = (root / "site" / "zh-Hant" / "docs" / f"{guanhu.id}.html").read_text(encoding="utf-8")
    assert "觀湖街道黨工委工作報告" in trad and "龍華區" in trad


def test_people_are_named_in_pinyin_family_name_first_and_read_as_family_names() -> None:
    """An author's name in the English metadata: family name first, the given name run together with
    pinyin's apostrophe where a syllable starts with a vowel, ü as ü; a family name read as one (曾 Zeng,
    单 Shan), two-character family names kept whole in either script, but not taken for the whole of a
    two-character name (钟离 is Zhong Li); what is not shaped like a person's name (one character, an
    office, a middle dot, Latin letters) is kept as written."""
    from digest.translate import person_pinyin

    assert person_pinyin("何小娟") == "He Xiaojuan"
    assert person_pinyin("曾国藩") == "Zeng Guofan" and person_pinyin("单田芳") == "Shan Tianfang"
    assert person_pinyin("欧阳明") == "Ouyang Ming" and person_pinyin("歐陽修") == "Ouyang Xiu"
    assert person_pinyin("司马相如") == "Sima Xiangru" and person_pinyin("钟离") == "Zhong Li"
    assert person_pinyin("李天安") == "Li Tian'an" and person_pinyin("吕小明") == "Lü Xiaoming"
    for kept in ("张", "平湖街道办事处", "买买提·艾力", "Smith", ""):
        assert person_pinyin(kept) == kept
