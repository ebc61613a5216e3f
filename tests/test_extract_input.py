"""Reading the input: encodings, .docx, pasted text, normalisation, and bad input refused clearly."""

import io
import os
import zipfile

import pytest

from luoshi.documents.extract import InputRejected, normalise, read_bytes, read_file, read_pasted, reading

PLAN = "一、工作目标\n到2025年，港口吞吐量超3亿吨。工业园区财政局要牵头。\n"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf_16_le"),
        ("utf-16-be", "utf_16_be"),
    ],
)
def test_a_text_file_is_decoded_whatever_its_common_chinese_encoding(tmp_path, encoding, reported):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode(encoding))
    document = read_file(path)
    assert document.text == PLAN
    assert (document.format, document.encoding) == ("txt", reported)


def test_a_docx_gives_its_paragraphs_and_tables_in_document_order(tmp_path):
    import docx

    word = docx.Document()
    word.add_paragraph("一、主要指标")
    table = word.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["指标", "单位", "2025年目标"], strict=True):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["增加值", "亿元", "450"], strict=True):
        cell.text = value
    word.add_paragraph("二、重点任务")
    path = tmp_path / "plan.docx"
    word.save(path)
    document = read_file(path)
    assert document.format == "docx"
    assert document.text.split("\n") == [
        "一、主要指标",
        "指标\t单位\t2025年目标",
        "增加值\t亿元\t450",
        "二、重点任务",
    ]


def test_pasted_text_is_taken_as_it_is():
    document = read_pasted("一、目标\n")
    assert (document.format, document.text) == ("pasted", "一、目标\n")


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  ", "\ufeff".encode()])
def test_an_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputRejected, match="文件为空"):
        read_file(path)


def test_a_binary_file_is_refused():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    with pytest.raises(InputRejected, match="二进制"):
        read_bytes(png, "picture.txt")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_bytes("字".encode() * 1000)
    with pytest.raises(InputRejected, match=r"文件太大.*上限"):
        read_file(path)


def test_the_size_limit_is_20_mb():
    assert reading.MAX_FILE_BYTES == 20 * 1024 * 1024


def test_a_docx_that_is_not_a_zip_is_refused():
    with pytest.raises(InputRejected, match=r"不是有效的 \.docx"):
        read_bytes("一、目标".encode(), "plan.docx")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = _zip({"word/document.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(InputRejected, match=r"压缩比.*zip 炸弹"):
        read_bytes(bomb, "bomb.docx")


def test_a_docx_declaring_too_much_unzipped_data_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_DOCX_UNZIPPED_BYTES", 1000)
    with pytest.raises(InputRejected, match=r"解压后.*zip 炸弹"):
        read_bytes(_zip({"word/document.xml": os.urandom(2000)}), "big.docx")


def test_normalising_makes_punctuation_chinese_and_letters_and_digits_ascii():
    assert normalise("到２０２５年,达到７５％;(1)１．５万人:好") == "到2025年，达到75%；（1）1.5万人：好"


def test_normalising_keeps_thousands_separators_and_clock_times():
    assert normalise("1,200万元，10:30开会") == "1,200万元，10:30开会"


def test_normalising_joins_spaced_out_chinese_but_keeps_an_article_marker_apart():
    assert normalise("　　全 市 数 字\r\n第一条　为了推进\n") == "全市数字\n第一条 为了推进\n"


def test_normalising_turns_wide_gaps_into_table_cells():
    assert normalise("指标   单位\t 目标") == "指标\t单位\t目标"
