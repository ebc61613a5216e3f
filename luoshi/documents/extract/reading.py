"""Input: a .txt in any common Chinese encoding, a .docx, or pasted text, turned into one string.

Bad input is refused with a plain message before any parsing work: empty, binary, too large,
an undecodable encoding, or a .docx whose zip would inflate far beyond its size (a zip bomb).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from luoshi.core import limits

#: Largest file accepted, in bytes. A 实施方案 is rarely over 1 MB; 20 MB leaves room for docx images.
MAX_FILE_BYTES = limits.IMPORT_BYTES.most
#: Largest total a .docx may declare once unzipped.
MAX_DOCX_UNZIPPED_BYTES = 100 * 1024 * 1024
#: Highest compression ratio allowed for any sizeable member of a .docx (XML usually compresses 5–20×).
MAX_DOCX_RATIO = 100
MAX_DOCX_MEMBERS = 5000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Encodings worth trying for a Chinese document without a BOM (GB18030 is a superset of GBK and GB2312).
_CANDIDATE_ENCODINGS = ["gb18030", "utf_16_le", "utf_16_be", "big5"]
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


class InputRejected(ValueError):
    """The input cannot be read as a document; the message says why, in Chinese, for the user."""


@dataclass
class ReadDocument:
    name: str
    format: str
    encoding: str | None
    text: str


def read_file(path: str | Path) -> ReadDocument:
    """Read a .txt or .docx file from disk, refusing bad input with InputRejected."""
    path = Path(path)
    if not path.is_file():
        raise InputRejected(f"找不到文件：{path}")
    size = path.stat().st_size
    _check_size(size, path.name)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str) -> ReadDocument:
    """Read an uploaded file's bytes; the name's extension decides between .docx and text."""
    _check_size(len(data), name)
    if not data.strip():
        raise InputRejected(f"文件为空：{name}")
    if name.lower().endswith(".docx") or data[:4] == b"PK\x03\x04":
        text = _docx_text(data, name)
        return ReadDocument(name=name, format="docx", encoding=None, text=_require_text(text, name))
    text, encoding = decode_text(data, name)
    return ReadDocument(name=name, format="txt", encoding=encoding, text=_require_text(text, name))


def read_pasted(text: str, name: str = "粘贴的文本") -> ReadDocument:
    """Take text pasted into a form; only emptiness and size are checked."""
    _check_size(len(text.encode("utf-8")), name)
    return ReadDocument(name=name, format="pasted", encoding=None, text=_require_text(text, name))


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes: a BOM first, then strict UTF-8, then charset-normalizer among Chinese encodings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as error:
                raise InputRejected(f"文件声明为 {encoding} 编码，但内容无法按此解码：{name}") from error
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputRejected(f"不是文本文件（看起来是二进制数据），或编码无法识别：{name}")
    return str(best), best.encoding


def _require_text(text: str, name: str) -> str:
    """Refuse text that is empty or full of control characters (a binary file that happened to decode)."""
    if not text.strip():
        raise InputRejected(f"文件为空：{name}")
    limits.TEXT_CHARS.check(len(text), InputRejected)
    sample = text[:100_000]
    controls = sum(1 for char in sample if char < " " and char not in _ALLOWED_CONTROLS)
    if "\x00" in sample or controls > len(sample) / 100:
        raise InputRejected(f"不是文本文件（看起来是二进制数据）：{name}")
    return text


def _check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise InputRejected(
            f"文件太大：{name} 有 {size / 1024 / 1024:.1f} MB，上限为 {MAX_FILE_BYTES // 1024 // 1024} MB"
        )


def _docx_text(data: bytes, name: str) -> str:
    """The text of a .docx: paragraphs and table rows (cells joined by tabs) in document order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise InputRejected(f"不是有效的 .docx 文件（无法按 zip 打开）：{name}") from error
    with archive:
        limits.check_package(archive, InputRejected)
        _refuse_zip_bomb(archive, name)
        if "xl/workbook.xml" in archive.namelist():
            raise InputRejected(
                f"这是 Excel 表格（.xlsx），不是政策文本：{name}。"
                "任务分解表请用“导入 Excel”或 luoshi import-excel 导入。"
            )
        if "word/document.xml" not in archive.namelist():
            raise InputRejected(f"不是有效的 .docx 文件（缺少 word/document.xml）：{name}")
    import docx  # imported here: python-docx is only needed for .docx input
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise InputRejected(f"无法读取 .docx 文件：{name}（{error}）") from error
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            lines.extend(_table_rows(Table(element, document)))
    return "\n".join(lines)


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a horizontally merged cell repeats across the row
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells))
    return rows


def _refuse_zip_bomb(archive: zipfile.ZipFile, name: str) -> None:
    """Check declared sizes before anything is inflated.

    zipfile never inflates a member past its declared size (it stops and fails the CRC), so checking
    the declared sizes bounds what python-docx can be made to unpack.
    """
    members = archive.infolist()
    if len(members) > MAX_DOCX_MEMBERS:
        raise InputRejected(f".docx 文件内含 {len(members)} 个部件，疑似 zip 炸弹，已拒绝：{name}")
    total = sum(member.file_size for member in members)
    if total > MAX_DOCX_UNZIPPED_BYTES:
        raise InputRejected(
            f".docx 解压后有 {total / 1024 / 1024:.0f} MB，超过上限 "
            f"{MAX_DOCX_UNZIPPED_BYTES // 1024 // 1024} MB，疑似 zip 炸弹，已拒绝：{name}"
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_DOCX_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size / max(member.compress_size, 1)
            raise InputRejected(
                f".docx 部件 {member.filename} 的压缩比为 {ratio:.0f}:1，超过上限 {MAX_DOCX_RATIO}:1，"
                f"疑似 zip 炸弹，已拒绝：{name}"
            )
