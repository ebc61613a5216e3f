"""The role a sentence gives each unit it names: lead, support, all, counterpart or just mentioned.

- a label: "牵头单位：X" → lead, "配合单位：X、Y" → support, "责任单位：X、Y" → X lead, Y support;
  a table column headed 牵头单位 / 配合单位 / 责任单位 works the same way;
- a verb in front: "由X" → lead, "会同/配合/协助X" → support, "与/到/向X…对接/沟通/跑办" → counterpart;
- the subject of a duty: "X要…", "X牵头", "X负责", "X在…的同时，要…" → lead;
- a collective (各相关部门, 县直各部门) → all, or counterpart after a liaison verb.
Names joined by 、/和/及 share the role found for the list.
"""

from __future__ import annotations

import re

from .text import Prepared

_LABEL = re.compile(r"(牵头|责任|主责|配合|协办|参与|协助)(?:单位|部门|股室|科室|处室|部室|处|科|股)：")
_LABEL_ROLE = {
    "牵头": "lead",
    "主责": "lead",
    "责任": "responsible",
    "配合": "support",
    "协办": "support",
    "参与": "support",
    "协助": "support",
}
_LEAD_MARK = "（牵头）"
_LIST_JOINERS = ("、", "和", "及", "与", "以及")
_SUPPORT_BEFORE = ("会同", "配合", "协助", "协同")
_LEAD_BEFORE = ("由",)
_COUNTERPART_BEFORE = ("与", "同", "到", "向", "赴")
_LIAISON_BEFORE = ("对接", "请示", "汇报", "衔接", "联系")
_LIAISON_VERBS = re.compile(r"沟通|对接|跑办|衔接|争取|请示|汇报|协调|联系")
#: A duty: 要, 负责 …, or a standing task's rhythm ("市委督查室每季度对各地…进行通报").
_DUTY = r"(?:要(?!求|素|点|件)|负责|牵头|会同|统筹|主抓|抓总|组织(?!的|下|和|领导)|指导(?!下|的|和)|做好|具体承办|承办|每季度|每月|每年|每半年|每周|定期|适时|及时)"
#: "市纪委监委对工作不力的单位严肃问责": a unit opening its clause with 对 acts on what follows.
_DUTY_AFTER = re.compile(rf"(?:也|都|还|均|亦|必须|务必|一定|首先|分别|要)*(?:{_DUTY}|对(?=[\u4e00-\u9fff]))")
_NEXT_CLAUSE_DUTY = re.compile(rf"(?:也|都|还|并|同时)?{_DUTY}")
_PERSON_AFTER = (
    "各位",
    "班子",
    "书记",
    "主任",
    "局长",
    "领导",
    "同志",
    "负责人",
    "成员",
    "常委",
    "副",
    "分管",
    "主要负责",
)
_CLAUSE_OPENERS = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条]|\d{1,2}\.|[①-⑳])?"
    r"(?:比如|例如|同时|此外|另外|其中|特别是|尤其是|再如|最后|首先|其次)?$"
)
#: "省财政厅、省自然资源厅等按职责分工负责": the units after the lead share the work.
_SHARE_AFTER = re.compile(
    r"(?:等)?(?:有关部门|相关部门|部门|单位|金融机构|机构)?(?:按照?(?:各自)?职责(?:分工)?(?:负责|配合)|分工负责|参与|配合)"
)
_CLAUSE_STOPS = "，。；：！？\n（） \t"
_SET_UP = re.compile(r"(?:成立|组建|设立)[^，。；]*$")
#: How far back or ahead a rule looks from a name; text without punctuation stays linear.
_MAX_REACH = 300
_MAX_TABLE_ROWS = 200


def assign_roles(doc: Prepared, names: list[tuple[int, int, bool]]) -> list[str]:
    """One role per (start, end, collective) name, in the same order."""
    text = doc.text
    roles = ["mentioned"] * len(names)
    for group in _lists(text, names):
        head_start = names[group[0]][0]
        tail_end = names[group[-1]][1]
        label = label_before(text, head_start) or _column_label(text, head_start)
        role = label or _role_from_context(doc, head_start, tail_end)
        for position, index in enumerate(group):
            _start, end, collective = names[index]
            if text.startswith(_LEAD_MARK, end):  # 责任单位：A、B（牵头）、C
                roles[index] = "lead"
            elif collective:
                roles[index] = "counterpart" if role == "counterpart" else "all"
            elif role == "responsible":
                roles[index] = "lead" if position == 0 else "support"
            else:
                roles[index] = role
    return roles


def _lists(text: str, names: list[tuple[int, int, bool]]) -> list[list[int]]:
    """Indexes of names written as one list: 'A、B和C', or any comma list inside a label note."""
    groups: list[list[int]] = []
    for index, (start, _end, _collective) in enumerate(names):
        if groups:
            previous_end = names[groups[-1][-1]][1]
            between = text[previous_end:start].replace(_LEAD_MARK, "")
            if between in _LIST_JOINERS or (between == "，" and label_before(text, start)):
                groups[-1].append(index)
                continue
        groups.append([index])
    return groups


def label_before(text: str, start: int) -> str | None:
    """The role of a "牵头单位：" style label that governs the name at start, if any."""
    floor = max(0, start - _MAX_REACH)
    note_start = max(
        floor - 1,
        _open_bracket_before(text, start),
        *(text.rfind(stop, floor, start) for stop in ("；", "。", "\n")),
    )
    labels = [_LABEL_ROLE[match.group(1)] for match in _LABEL.finditer(text, note_start + 1, start)]
    if labels[-1:] == ["responsible"] and "lead" in labels:
        return "support"  # 牵头单位：A，责任单位：B、C — with a lead named, the responsible units support
    return labels[-1] if labels else None


def _column_label(text: str, start: int) -> str | None:
    """The role a task table's column gives the names in it: the header cell above says 牵头单位 etc."""
    if not _in_table_row(text, start):
        return None
    line_start = text.rfind("\n", max(0, start - _MAX_REACH), start) + 1
    if line_start == 0 and start > _MAX_REACH:
        return None  # a "row" longer than any table row
    header_start = cursor = line_start
    for _ in range(_MAX_TABLE_ROWS):  # walk up to the first row of the table
        if cursor == 0:
            break
        previous_start = text.rfind("\n", 0, cursor - 1) + 1
        previous = text[previous_start : cursor - 1]
        if "\t" in previous:
            header_start = previous_start
        elif not _SECTION_ROW.match(previous):  # "一、经济体制改革" between rows belongs to the table
            break
        cursor = previous_start
    if header_start == line_start:
        return None
    header_end = text.find("\n", header_start)
    cells = text[header_start:header_end].split("\t")
    column = text.count("\t", line_start, start)
    match = _LABEL.match(cells[column].strip() + "：") if column < len(cells) else None
    if not match:
        return None
    role = _LABEL_ROLE[match.group(1)]
    has_lead_column = any(cell.strip().startswith(("牵头", "主责")) for cell in cells)
    return "support" if role == "responsible" and has_lead_column else role


#: A short section line inside a task table, outside its cells: "一、经济体制改革", "（二）民生实事".
_SECTION_ROW = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分)[^\t。]{0,30}$"
)


def _in_table_row(text: str, start: int) -> bool:
    floor, ceiling = max(0, start - _MAX_REACH), start + _MAX_REACH
    line_start = text.rfind("\n", floor, start) + 1 or floor
    line_end = text.find("\n", start, ceiling)
    return "\t" in text[line_start : ceiling if line_end < 0 else line_end]


def _open_bracket_before(text: str, start: int) -> int:
    """The last "（" before start that is still open there (skipping closed ones like "（牵头）")."""
    floor = max(0, start - _MAX_REACH)
    depth, position = 0, start
    while True:
        opening = text.rfind("（", floor, position)
        closing = text.rfind("）", floor, position)
        if opening < 0:
            return -1
        if closing > opening:
            depth, position = depth + 1, closing
        elif depth == 0:
            return opening
        else:
            depth, position = depth - 1, opening


def _role_from_context(doc: Prepared, start: int, end: int) -> str:
    text = doc.text
    clause_start = _clause_start(doc, start)
    before = text[clause_start:start]
    if text.startswith(_PERSON_AFTER, end):
        return "mentioned"  # 市委书记, 班子成员: the duty is a person's, not the unit's
    if text.startswith("《", end):
        return "mentioned"  # 省委《…建议》提出，要…: the duty is what the document says, not the unit's
    if before.endswith(_SUPPORT_BEFORE):
        return "support"
    if before.endswith(_LEAD_BEFORE):
        return "lead"
    if before.endswith(_LIAISON_BEFORE):
        return "counterpart"
    if before.endswith(_COUNTERPART_BEFORE) and _LIAISON_VERBS.search(text, end, _clause_end(doc, end)):
        return "counterpart"
    if _SET_UP.search(before) and text.startswith(("，负责", "，统筹", "，牵头"), end):
        return "lead"  # 成立…的市城市更新工作领导小组，负责统筹推进…
    if not _CLAUSE_OPENERS.match(before):
        return "mentioned"
    if _SHARE_AFTER.match(text, end):
        return "support"
    if _DUTY_AFTER.match(text, end):
        return "lead"
    clause_end = _clause_end(doc, end)
    if text[clause_end : clause_end + 1] == "，" and _NEXT_CLAUSE_DUTY.match(text, clause_end + 1):
        return "lead"
    return "mentioned"


def _clause_start(doc: Prepared, position: int) -> int:
    return doc.enclosing(position, _CLAUSE_STOPS, _MAX_REACH)[0]


def _clause_end(doc: Prepared, position: int) -> int:
    return doc.enclosing(position, _CLAUSE_STOPS, _MAX_REACH)[1]
