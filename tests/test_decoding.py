"""Damaged text is read, not refused: a cut in mid-character, a flipped byte, GBK lines among
UTF-8 ones, Big5 that a detector takes for GB18030, a stray NUL. Each comes back with the damage
replaced and an X002 saying where and how much; each of these files was refused or misread on
main at 679f85f."""

from __future__ import annotations

import pytest

from audit.source import InputError, from_bytes
from tests.hardening import SEEDS, audit_bytes, signature

needs_corpus = pytest.mark.skipif(not SEEDS, reason="corpus folder ../shared/corpus is absent")
TEXT = "二、部门预算收支总表\n项目名称\t办公设备购置\n年度预算\t120.50万元\n绩效指标\t满意度95%以上\n本部门2024年收入预算合计1,234.56万元。\n"
TRADITIONAL = "二、部門預算收支總表\n項目名稱\t辦公設備購置\n年度預算\t120.50萬元\n績效指標\t滿意度95%以上\n本部門2024年收入預算合計1,234.56萬元。\n"


def _x002(report):
    return [f for f in report.findings if f.rule == "X002"]


def test_a_cut_in_the_middle_of_a_character_is_read_with_the_damage_replaced():
    data = TEXT.encode("utf-8")
    cut = data[: data.index("万元。".encode()) + 1]  # one byte of a three-byte character
    source = from_bytes(cut)
    assert (source.encoding, source.replaced) == ("utf-8", 1)
    assert source.original_lines[:4] == TEXT.splitlines()[:4]


def test_a_flipped_byte_is_replaced_and_the_rest_read():
    data = bytearray(TEXT.encode("utf-8"))
    data[data.index("办".encode())] ^= 0x40
    source = from_bytes(bytes(data))
    assert source.encoding == "utf-8" and source.replaced >= 1
    assert [line for line in source.original_lines if "\ufffd" not in line] == [line for line in TEXT.splitlines() if "办" not in line]


def test_gbk_lines_among_utf8_lines_are_each_read_in_their_own_encoding():
    lines = TEXT.splitlines()
    data = b"\n".join(line.encode("gbk" if i % 2 else "utf-8") for i, line in enumerate(lines))
    source = from_bytes(data)
    assert source.original_lines == lines and source.replaced == 0
    assert source.encoding == "utf-8+gb18030"


@pytest.mark.parametrize("repeat", [1, 30])
def test_big5_and_gb18030_are_told_apart(repeat):
    assert from_bytes((TRADITIONAL * repeat).encode("big5")).original_lines == (TRADITIONAL * repeat).splitlines()
    assert from_bytes((TEXT * repeat).encode("gbk")).original_lines == (TEXT * repeat).splitlines()


@needs_corpus
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_a_seed_saved_as_big5_is_not_read_as_gb18030(seed):
    """Big5 lacks simplified characters (they become ?), but what it has must read back."""
    text = seed.read_text(encoding="utf-8")
    source = from_bytes(text.encode("big5", errors="replace"))
    assert source.encoding == "cp950"


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x00", b"\x00" * 4096, b" \x00\n"])
def test_nuls_alone_are_not_a_document(data):
    with pytest.raises(InputError):
        from_bytes(data)


def test_a_stray_nul_in_a_text_is_damage_not_binary():
    data = TEXT.encode("utf-8") * 20
    at = data.index(b"\n", 100) + 1
    data = data[:at] + b"\x00" + data[at:]
    source = from_bytes(data)
    assert source.encoding == "utf-8" and source.replaced == 1


@needs_corpus
def test_damage_gives_the_same_findings_elsewhere_and_an_x002_saying_where():
    seed = min(SEEDS, key=lambda p: p.stat().st_size)
    data = seed.read_bytes()
    intact = audit_bytes(data)
    lines = data.split(b"\n")
    mixed = b"\n".join(line.decode("utf-8").encode("gb18030") if i % 5 == 2 else line for i, line in enumerate(lines))
    report = audit_bytes(mixed)
    assert signature(report) == signature(intact)
    [warning] = _x002(report)
    first = next(i for i, line in enumerate(lines, start=1) if i % 5 == 3 and not line.isascii())
    assert "GB18030" in warning.message.en and warning.span.line == first
    head = data[: data.index(b"\n", len(data) // 2) + 1]
    cut = audit_bytes(head + "预".encode()[:2])
    [warning] = _x002(cut)
    assert "1 characters could not be decoded" in warning.message.en
    assert warning.span.line == warning.evidence.values["lines"][0] == head.count(b"\n") + 1
