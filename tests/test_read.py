"""Reading: encodings, line endings and unreadable files."""

from __future__ import annotations

import codecs

import pytest

from digest.exceptions import SeedError
from digest.read import read_bytes

TEXT = "平湖街道召开部署会。\n龙岗区“虚拟社区”正式上线。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
)
def test_decodes_supported_encodings(data: bytes, encoding: str) -> None:
    """UTF-8 with or without BOM, UTF-16 with BOM and GB18030/GBK all decode to the same text."""
    source, warnings = read_bytes(data, "x.txt")
    assert source.encoding == encoding
    assert source.text == TEXT
    assert warnings == []


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_normalises_line_endings(newline: str) -> None:
    """CRLF and lone CR become LF, so line numbers match what an editor shows."""
    source, _ = read_bytes(TEXT.replace("\n", newline).encode("utf-8"), "x.txt")
    assert source.text == TEXT
    assert [it.line for it in source.items if it.raw] == [1, 2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (bytes(range(256)) * 64, "binary"),
    ],
)
def test_unreadable_files_raise_seed_error_naming_the_file(data: bytes, message: str) -> None:
    """Empty, binary and undecodable files raise SeedError whose message names the file."""
    with pytest.raises(SeedError) as info:
        read_bytes(data, "bad file 文件.txt")
    assert "bad file 文件.txt" in str(info.value)
    assert message in str(info.value)


def test_a_few_corrupt_utf8_bytes_are_replaced_with_a_warning_naming_the_line() -> None:
    """A UTF-8 file with one bad byte still reads; the warning names the line of the damage."""
    data = ("第一行正常。\n" * 50).encode("utf-8") + b"\xff\xfe bad\n" + "最后一行。\n".encode()
    source, warnings = read_bytes(data, "x.txt")
    assert "\ufffd" in source.text
    assert len(warnings) == 1 and "line(s) 51" in warnings[0]


def test_control_characters_are_dropped_with_a_warning() -> None:
    """NUL and other control characters never reach a page; the warning says where."""
    source, warnings = read_bytes("正文\x00内容。\n第二\x07行。".encode(), "x.txt")
    assert "\x00" not in source.text and "\x07" not in source.text
    assert "line 1" in warnings[0]
