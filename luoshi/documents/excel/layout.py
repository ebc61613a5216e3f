"""The columns of a 任务分解表: what each is called in the export and the names users give it."""

import re
import unicodedata
from enum import StrEnum


class Field(StrEnum):
    """One column of the task table, by what it holds."""

    CODE = "code"
    KEY_TASK = "key_task"
    MEASURE = "measure"
    LEAD_UNIT = "lead_unit"
    SUPPORT_UNITS = "support_units"
    OWNER = "owner"
    DEADLINE = "deadline"
    PROGRESS = "progress"
    REMARKS = "remarks"


#: The export's header, in column order: the names users know.
HEADERS: dict[Field, str] = {
    Field.CODE: "序号",
    Field.KEY_TASK: "重点任务",
    Field.MEASURE: "具体措施",
    Field.LEAD_UNIT: "牵头单位",
    Field.SUPPORT_UNITS: "配合单位",
    Field.OWNER: "责任人",
    Field.DEADLINE: "完成时限",
    Field.PROGRESS: "进度/完成情况",
    Field.REMARKS: "备注",
}

#: Header texts that name a column exactly (after `normalise_header`).
HEADER_NAMES: dict[Field, tuple[str, ...]] = {
    Field.CODE: ("序号", "编号", "序", "任务编号", "no", "no.", "#"),
    Field.KEY_TASK: (
        "重点任务",
        "主要任务",
        "重点工作",
        "工作任务",
        "任务名称",
        "任务",
        "目标任务",
        "重点事项",
        "工作事项",
        "任务事项",
        "重点任务名称",
        "主要工作",
    ),
    Field.MEASURE: (
        "具体措施",
        "工作措施",
        "主要措施",
        "推进措施",
        "具体工作",
        "工作内容",
        "任务内容",
        "具体内容",
        "措施",
        "具体任务",
        "工作举措",
        "具体举措",
        "具体工作措施",
        "具体目标",
        "目标措施",
        "工作要求",
        "具体措施/工作内容",
        "任务分解",
        "细化任务",
    ),
    Field.LEAD_UNIT: (
        "牵头单位",
        "牵头部门",
        "责任单位",
        "责任部门",
        "主责单位",
        "主责部门",
        "承办单位",
        "主办单位",
        "牵头",
        "牵头责任单位",
        "责任主体",
        "牵头领导单位",
    ),
    Field.SUPPORT_UNITS: (
        "配合单位",
        "配合部门",
        "协办单位",
        "协办部门",
        "协同单位",
        "协同部门",
        "参与单位",
        "协助单位",
        "配合",
        "协办",
        "配合责任单位",
    ),
    Field.OWNER: ("责任人", "负责人", "具体责任人", "具体负责人", "经办人", "责任人员"),
    Field.DEADLINE: (
        "完成时限",
        "完成时间",
        "时限",
        "时间节点",
        "完成期限",
        "截止时间",
        "截止日期",
        "时限要求",
        "完成时间节点",
        "时间要求",
        "进度安排",
        "完成日期",
    ),
    Field.PROGRESS: (
        "进度",
        "完成情况",
        "进展情况",
        "工作进展",
        "推进情况",
        "进度情况",
        "落实情况",
        "进度/完成情况",
        "目前进展",
        "进展",
    ),
    Field.REMARKS: ("备注", "说明", "备注说明"),
}

#: Fragments that name a column inside a longer header ("具体责任人（联系电话）", "牵头单位及责任领导").
#: When several appear, the one written first wins: "配合责任单位" is a support column.
HEADER_FRAGMENTS: dict[Field, tuple[str, ...]] = {
    Field.CODE: ("序号", "编号"),
    Field.KEY_TASK: ("重点任务", "主要任务", "重点工作", "工作任务", "任务名称"),
    Field.MEASURE: ("具体措施", "工作措施", "主要措施", "工作内容", "任务内容", "具体工作", "措施", "举措"),
    Field.LEAD_UNIT: ("牵头", "责任单位", "责任部门", "主责", "承办单位"),
    Field.SUPPORT_UNITS: ("配合", "协办", "协同", "参与单位", "协助"),
    Field.OWNER: ("责任人", "负责人"),
    Field.DEADLINE: ("时限", "完成时间", "时间节点", "完成期限", "截止"),
    Field.PROGRESS: ("完成情况", "进展", "进度", "落实情况", "推进情况"),
    Field.REMARKS: ("备注",),
}

#: The two columns that carry task titles: a key task (parent) and its measures (children).
TITLE_FIELDS = (Field.KEY_TASK, Field.MEASURE)

#: Columns whose cells describe a task (as opposed to naming it).
ATTRIBUTE_FIELDS = (Field.LEAD_UNIT, Field.SUPPORT_UNITS, Field.OWNER, Field.DEADLINE, Field.REMARKS)

# Limits (file size, unpacked size, rows, columns, cells) are in luoshi/core/limits.py.
#: The header is looked for in this many rows at the top of each sheet.
HEADER_SEARCH_ROWS = 20

_PARENTHESISED = re.compile(r"[(（][^()（）]*[)）]")
_NOISE = re.compile(r"[\s*＊:：]")


def normalise_header(text: str) -> str:
    """A header as compared: full-width folded, no spaces, stars, colons or bracketed notes."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NOISE.sub("", text)
    return _PARENTHESISED.sub("", text) or text


def field_for_header(text: str) -> Field | None:
    """The column a header names: an exact name first, else the fragment written first."""
    name = normalise_header(text)
    if not name or len(name) > 30:
        return None
    for field, names in HEADER_NAMES.items():
        if name in names:
            return field
    best: tuple[int, int, Field] | None = None
    for field, fragments in HEADER_FRAGMENTS.items():
        for fragment in fragments:
            at = name.find(fragment)
            if at >= 0 and (best is None or (at, -len(fragment)) < best[:2]):
                best = (at, -len(fragment), field)
    return best[2] if best else None
