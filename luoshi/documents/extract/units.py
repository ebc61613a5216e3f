"""Step 3, units: the organisations a text names, with the role each sentence gives them.

A name is found from its ending (局, 办, 委员会 …) backwards: a department stem from the lexicon or,
failing that, an unfamiliar stem that an administrative level (省, 县, 工业园区) or the sentence's
shape vouches for. Collectives (各相关部门, 市直有关部门) are found whole and always get role "all".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import unit_lexicon as lex
from .proposal import UnitMention
from .roles import assign_roles, label_before
from .text import Prepared

_HAN = re.compile(r"[\u3400-\u9fff]")
_SUFFIX = re.compile("|".join(sorted(lex.LONG_SUFFIXES + lex.SHORT_SUFFIXES, key=len, reverse=True)))
_FIXED = re.compile("|".join(sorted(lex.FIXED_NAMES, key=len, reverse=True)))
#: Characters before 人大, 政协, 工会 … that make them part of a longer name (市人大, 总工会, 全国政协, 共青团).
_BODY_OWNER_CHARS = "省市县区乡镇州旗国全总党共团"
#: 人大, 政协, 工会 … standing alone: not after a level or another name's characters,
#: nor as an attribute (人大代表, 政协委员, 工会经费).
_BARE = re.compile(
    rf"(?<![{_BODY_OWNER_CHARS}])(?:" + "|".join(sorted(lex.BARE_BODIES, key=len, reverse=True)) + ")"
    r"(?!常委会|主席|委员|代表|组织|经费|干部|会员)"
)
#: 接受人大及其常委会监督: the standing committee named after its congress, without a level (as most real-report
#: annotators read it); after a level (市人大及其常委会) only the level's congress is read (conventions).
_BARE_COMMITTEE = re.compile(rf"(?<=(?<![{_BODY_OWNER_CHARS}])人大及其)常委会")
#: 人大代表, 政协委员: the congress and the conference named in their members' titles.
_MEMBERS_OF = re.compile(rf"(?<![{_BODY_OWNER_CHARS}])(?:人大|政协)(?=代表|委员)")
#: 中央 standing alone where it acts (贯彻好中央精神, 落实中央决策部署, 把中央和市委确定的…, 中央支持), not inside
#: the name of a fund, a meeting or an inspection (中央预算内投资, 中央经济工作会议, 中央巡视, 中央八项规定).
_CENTRE = re.compile(
    r"(?<![党共])中央(?=精神|决策|部署|确定|出台|存量|宏观|政策|支持|各类|要求|和[省市县区]委)"
)
#: "老龄、工会、青少年、妇女儿童、红十字会等事业": a 、-list naming fields of work, where 工会 is a field.
_FIELD_ITEM = re.compile(
    r"(?:^|、)(?:老龄|青少年|妇女儿童|残疾人|慈善|民族|宗教|侨务|港澳台?|对台|外事)(?=、|等|和|$)"
)
_CLAUSE_STOP = re.compile(r"[，。；：！？\n]")


def _in_a_list_of_fields(text: str, position: int) -> bool:
    """Whether the 、-list around position names fields of work (老龄、工会、青少年…等事业), not bodies.

    A list that a verb asks to act (支持工会、共青团、妇女儿童…) names bodies.
    """
    before = _CLAUSE_STOP.search(text[max(0, position - 80) : position][::-1])
    start = position - before.start() if before else max(0, position - 80)
    after = _CLAUSE_STOP.search(text, position)
    clause = text[start : after.start() if after else len(text)]
    if clause.startswith(("支持", "鼓励", "发挥", "推动")):
        return False  # 支持工会、共青团、妇女儿童…更好发挥作用: bodies asked to act
    return "、" in clause and bool(_FIELD_ITEM.search(clause))


#: "…政府工作报告": the name of the document, not a body it names.
_DOCUMENT_NAME_AFTER = ("工作报告",)
#: A body that owns a collective: 中央和国家机关各部门各单位, 驻吉各中直单位.
_COLLECTIVE_OWNER = re.compile(r"(?:中央和国家机关|中央|国家机关|驻[\u4e00-\u9fff])$")
_COLLECTIVE = re.compile(
    r"(?:(?:省|市|县|区)(?:直|级)|(?:省|市|县|区)(?:政府|委)|(?:省|市|县|区)[\u4e00-\u9fff]{1,8}?(?:委员会|委会|领导小组))?"
    r"各(?:级各)?(?:有关|相关|责任|成员|直属|牵头|配合|执法|职能)?(?:部门|单位|机构)(?:各(?:单位|部门))?"
    r"|各级(?:人民政府|政府|党委和政府|党委|人大|政协|国防动员委员会)"
    r"|(?:省|市|县|区)直(?:各)?(?:有关|相关|执法|职能)?(?:部门|单位)"
    r"|各(?:省辖市|地级市|市、县（市、区）|县（市、区）|县（市区）|县市区|区县|县区|乡镇（街道）|乡（镇、街道）|乡镇|街道|园区|开发区"
    r"|片区|局办|股室|科室|处室|部室|镇（街道）|镇街|站所|驻(?:镇|乡|村|区|县|市)单位"
    r"|设区市|市县|市（州）|市州|县（市）|县（区）|区（县）|区（市）县|旗县"
    r"|(?:市|县|区)(?=人民政府|政府)|地|村（社区）|村（居）|社区|村)"
    r"(?:人民政府|政府|党委和政府|党委|管委会|办事处|委(?![员托])|(?:[\u4e00-\u9fff]{1,4}?(?:所|站|中心|办|部门)|管理处))?(?:各(?:有关|相关)?部门)?"
    r"|(?:局|委|厅|办)属各(?:单位|部门)|(?:省|市|县|区)委各部委"
    r"|(?:上级|省市|国家|省|市|县|区)?(?:有关|相关)部门"
    r"|(?:省|市|县|区)[\u4e00-\u9fff]{1,6}?(?:委员会|委会|领导小组)(?:有关|相关)?成员单位"
    r"|(?:省|市|县|区)人民政府各部门"
    r"|沿线(?:各)?(?:乡镇|县（市、区）|县区|区县|村)(?:人民政府|政府)?"
    # 中央驻陕单位, 驻晋单位, 驻辽中央单位; 各市, 各区, 各盟市 as the province's own parts (not 各市场, 各区域); 国家部委
    r"|(?:中央)?驻[\u4e00-\u9fff](?:各)?(?:中央|中直)?单位|各盟市|各市(?![场民县州（区])|各区(?![域县（市])|各县(?![域城级区（市])|国家部委"
    r"|各(?!级)[\u4e00-\u9fff]{2,4}?(?:部门|单位)"
)
#: A place name, or the XX that stands for one in templates and drafts.
_PLACE = r"(?:XX|××|ＸＸ|[\u4e00-\u9fff]{2,4}?)"
#: Local branches of centrally managed bodies are named by their own pattern, with the place inside:
#: 人民银行XX省分行, 国家金融监督管理总局XX监管局, 海关总署XX分署; and XX海关, XX证监局 after a break.
_BRANCH = re.compile(
    rf"(?:中国)?(?:人民银行|人行)(?:{_PLACE})?[省市县]?(?:分行|中心支行|支行|营业管理部)"
    rf"|(?:中国)?(?:农业发展银行|国家开发银行|进出口银行)(?:{_PLACE})?[省市县]?(?:分行|支行)"
    rf"|(?:国家金融监督管理总局|金融监管总局|海关总署|国家税务总局|国家外汇管理局|中国证监会|国家统计局)"
    rf"(?:{_PLACE})?[省市县]?(?:监管局|监管分局|分署|分局|调查总队|调查队|税务局)"
    r"|(?<![\u4e00-\u9fff])(?:XX|××|ＸＸ)[省市县]?(?:海关|证监局|金融监管分局|金融监管局|监管局|调查队|税务局)"
    # 郑州海关, 河南证监局: a real place name; its stem is checked by _place_stem_before
    r"|(?<=[\u4e00-\u9fff]{2})(?:海关|证监局)"
    # 中共山东省委, 中共临江市委: the party committee named in full, its place inside
    r"|中共(?!中央)[\u4e00-\u9fff]{2,5}?(?:自治区党委|省委|市委|县委|区委|州委|盟委|旗委)"
    r"(?![员会办]|[\u4e00-\u9fff]{1,4}?[部室组])"
    # 市生态环境局XX分局: a city bureau's branch in one district or county
    r"|(?<![\u4e00-\u9fff])[省市][\u4e00-\u9fff]{2,10}?局(?:XX|××|ＸＸ|[\u4e00-\u9fff]{2,3}?)分局"
)
_MAX_NAME = 24
_STOP_CHARS = frozenset(w for w in lex.STOP_WORDS if len(w) == 1)
_STOP_PAIRS = frozenset(w for w in lex.STOP_WORDS if len(w) == 2)
_STEM_LENGTHS = range(min(map(len, lex.DEPARTMENT_STEMS)), max(map(len, lex.DEPARTMENT_STEMS)) + 1)
_PARENTS = ("人民政府", "政府", "委")
_OFFICE_SUFFIXES = {"办公室", "办公厅", "督查室"}
_PLACE_LEVELS = frozenset("省市县区")
_PLACE_JOINERS = frozenset("由与和及")
_COMPANY_SUFFIXES = ("公司", "集团")
#: Branches named by their own pattern that take the place name written before them (郑州海关, 河南证监局).
_PLACE_BRANCHES = ("海关", "证监局")
#: 市场, 区域, 省级: the second character makes the level the start of a word, not of a name.
#: (Strings, not sets: a name of one character has no second character, and "" counts as inside.)
_LEVEL_OPENS_WORD = "场域级"
#: Characters after an inner level (完善县教研) that make it a word instead (县域, 市民, 省级, 市直, 区内).
_NOT_AFTER_INNER_LEVEL = "场域民级直属辖内外"
#: 好局, 新局, 格局 …: a character before 局 that makes it a word.
_BEFORE_JU_WORD = "好新格大变布全结破当"
_DIGITS = frozenset("0123456789")
#: Where a note's slot opens and closes: （牵头单位：企业服务中心）, …、国网XX供电公司配合）.
#: (A string: at the text's start there is no character before, and "" counts as an opener.)
_NOTE_OPENERS = "：、（，"
_NOTE_CLOSERS = "、；，）。\n\t "
_NOTE_ONLY_SUFFIXES = ("中心", "办事处", "站", "所", "队")
#: One-character words a name may start right after: 由…负责, 与…对接, 会同, 报请.
_NAME_OPENERS = "由与同到向请"
_SET_UP_VERBS = ("成立", "组建", "设立")
_CLAUSE_STOP_CHARS = "，。；：\n"
_NOT_PLACE_CHARS = _STOP_CHARS | lex.NOT_IN_NAMES | frozenset("全本我此每这那两一个些省市县区乡镇村级经年")


@dataclass(frozen=True)
class KnownUnit:
    """A unit that already exists, given as plain data: its id, name and other names."""

    id: int | str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class _Name:
    start: int
    end: int
    name: str
    collective: bool = False


class _Taken:
    """Where an earlier, surer pass already found a name; quotes and titles are never free."""

    def __init__(self, doc: Prepared) -> None:
        self.doc = doc
        self.marks = bytearray(len(doc.text))

    def free(self, start: int, end: int) -> bool:
        return not self.doc.in_quotes(start) and not any(self.marks[start:end])

    def take(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * (end - start)


def find_unit_names(doc: Prepared, known: Sequence[KnownUnit] = ()) -> list[_Name]:
    """Every unit name in the text, outside quotes and document titles, in text order.

    The surer passes go first and take their text: collectives, then known and fixed names, local
    branches and bare bodies; names read back from an ending (局, 委员会) fill the rest.
    """
    text = doc.text
    taken = _Taken(doc)
    names = _collectives(text, taken) + _named_bodies(text, known, taken)
    names.extend(_with_place_names(text, _names_by_ending(text, taken), taken))
    names.sort(key=lambda n: n.start)
    for name in names:
        _drop_verb_before(name)
    return [name for name in names if _is_a_body(text, name)]


def _collectives(text: str, taken: _Taken) -> list[_Name]:
    """各相关部门, 市直有关部门, 中央和国家机关各部门: found whole, with the body that owns them."""
    names = []
    for match in _COLLECTIVE.finditer(text):
        if taken.free(match.start(), match.end()) and text[match.start() - 1 : match.start()] != "等":
            owner = _COLLECTIVE_OWNER.search(text, max(0, match.start() - 8), match.start())
            start = owner.start() if owner and match.group().startswith("各") else match.start()
            names.append(_Name(start, match.end(), text[start : match.end()], collective=True))
            taken.take(start, match.end())
    return names


def _named_bodies(text: str, known: Sequence[KnownUnit], taken: _Taken) -> list[_Name]:
    """Known units, fixed names, local branches of central bodies and bare bodies (人大, 工会), in that order."""
    names = []
    for pattern in (_known_pattern(known), _FIXED, _BRANCH, _BARE, _MEMBERS_OF, _CENTRE, _BARE_COMMITTEE):
        for match in pattern.finditer(text) if pattern else ():
            if pattern is _BRANCH and match.group() in _PLACE_BRANCHES:
                name = _place_branch(text, match, taken)
            elif pattern is _BARE_COMMITTEE:
                name = _Name(match.start(), match.end(), "人大常委会") if taken.free(*match.span()) else None
            elif pattern in (_BARE, _MEMBERS_OF) and _in_a_list_of_fields(text, match.start()):
                name = None
            else:
                name = _body_at(text, match, taken)
            if name is not None:
                names.append(name)
                taken.take(name.start, name.end)
    return names


def _place_branch(text: str, match: re.Match[str], taken: _Taken) -> _Name | None:
    """郑州海关, 河南证监局: the place name before the branch belongs to it."""
    place = _place_stem_before(text, match.start())
    if not place or not taken.free(match.start() - place, match.end()):
        return None
    return _Name(match.start() - place, match.end(), text[match.start() - place : match.end()])


def _body_at(text: str, match: re.Match[str], taken: _Taken) -> _Name | None:
    """A name found whole; "工业园区财政局": the park's own prefix belongs to the mention (so that the clause
    reads "X要…" for the role rules), but not to the name."""
    if not taken.free(match.start(), match.end()):
        return None
    park = _prefix_ending_at(text, 0, match.start(), lex.OWN_PARK_PREFIXES)
    start = (
        match.start() - len(park)
        if park and taken.free(match.start() - len(park), match.start())
        else match.start()
    )
    return _Name(start, match.end(), match.group())


def _names_by_ending(text: str, taken: _Taken) -> list[_Name]:
    """Names read backwards from an ending where no surer pass found one; a longer one replaces those it holds."""
    found: list[_Name] = []
    for match in _SUFFIX.finditer(text):
        if not taken.free(match.start(), match.end()):
            continue
        name = _name_ending_at(text, match)
        if name is None or not taken.free(name.start, name.end):
            continue
        while found and found[-1].start >= name.start:  # 党政办 grows into 党政办督查室
            found.pop()
        found.append(name)
    return found


def _with_place_names(text: str, found: list[_Name], taken: _Taken) -> list[_Name]:
    """洛阳市发展改革委, 郑州市人民政府: a place name before the level joins the name; so does 自治 before 区."""
    for name in found:
        if (
            name.name.startswith("区")
            and text[max(0, name.start - 2) : name.start] == "自治"
            and taken.free(name.start - 2, name.start)
        ):  # 围绕自治区党委: 自治区 is the level, whatever stands before
            name.start -= 2
            name.name = text[name.start : name.end]
            continue
        opens_with_level = name.name[:1] in _PLACE_LEVELS or name.name.startswith(
            ("街道", "镇人民政府", "乡人民政府")
        )
        if (
            opens_with_level
            and name.name[1:2] not in _LEVEL_OPENS_WORD
            and name.name == text[name.start : name.end]
        ):
            place = _place_stem_before(text, name.start)
            if place and taken.free(name.start - place, name.start):
                name.start -= place
                name.name = text[name.start : name.end]
    return found


def _drop_verb_before(name: _Name) -> None:
    """建成市第三中心医院, 办理市人大…: the verb stuck before the level is no part of the name."""
    verb = (
        None
        if name.collective
        else (_VERB_BEFORE_LEVEL.match(name.name) or _VERB_BEFORE_NAME.match(name.name))
    )
    if verb:
        name.start, name.name = name.start + verb.end(), name.name[verb.end() :]


#: "教育部云南高等研究院": the body that owns an institute, named in the institute's name (not a unit).
_INSTITUTE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,6}?研究院")


def _is_a_body(text: str, name: _Name) -> bool:
    """Not the name of a document (…政府工作报告) or of an institute (教育部X高等研究院), a word that only ends like a body, or the start of a longer word."""
    if text.startswith(_DOCUMENT_NAME_AFTER, name.end) or _INSTITUTE_AFTER.match(text, name.end):
        return False
    return name.collective or not (_not_a_body(name.name) or _word_goes_on(text, name))


#: A verb stuck before a level that opens a name (立改废省政府规章: a three-character one).
_VERB_BEFORE_LEVEL = re.compile(
    r"(?:[一二三四五六七八九十]+届"
    r"|(?:建成|办理|完成|迁入|新建|建设|争取|依托|接受|用好|发挥|服务|保障|打造|组建|设立|执行|锚定|制定|废止|运行"
    r"|做强|做大|引入|优化|实施|贯彻|配合|协助|报请|提请|立改废|修订|修改)(?=[省市县区][^场域级属直辖内外省市县区]))"
)
#: "实施居委会能力提升行动", "优化海关行李查验": a verb of action stuck before a name of three characters or more.
_ACTION_VERBS = ("实施", "优化", "推动", "推进", "加强", "完善", "深化", "强化", "支持")
_VERB_BEFORE_NAME = re.compile(rf"(?:{'|'.join(_ACTION_VERBS)})(?=[\u4e00-\u9fff]{{3}})")
#: 开好局, 新格局, 布局: 局 as a word; 儿科, 社科: a one-character stem before a short ending.
_WORD_NOT_BODY = re.compile(rf"(?:[{_BEFORE_JU_WORD}]局|[\u4e00-\u9fff](?:科|处|所|站|室|队|股))")


#: "人才科创走廊", "应急处突", "先拨后股权": the ending is the first character of a word that goes on.
_ENDING_GOES_ON = frozenset({"科创", "科技", "科研", "科普", "处突", "处置", "处理", "股权", "股份", "股东"})
#: "中远海运、招商局、国能航运等央企", "…评委会奖": a company in a list of companies, a prize.
_COMPANIES_AFTER = re.compile(r"[^，。；：！？\n]{0,24}?等(?:一批)?(?:央企|中央企业|国企|企业|公司|龙头企业)")


def _word_goes_on(text: str, name: _Name) -> bool:
    """Whether the name is only the start of a longer word, a prize or a company in a list of companies."""
    if text[name.end - 1 : name.end + 1] in _ENDING_GOES_ON or text.startswith("奖", name.end):
        return True
    return text.startswith("、", name.end) and bool(_COMPANIES_AFTER.match(text, name.end))


#: A level character that starts a word, not a name: 市场, 市郊, 区域, 市属国企, 县域; 国家…中心 is a platform.
_LEVEL_WORD = re.compile(
    r"(?:市场(?!监)|市郊|[省市县区]域|[省市县区]属|国家(?!.*(?:局|委|部|署|院|办|厅)$).*中心$)"
)


#: Set phrases that end like a bureau: 开创新局, 开好局, 新格局.
_IDIOMS = (
    "开新局",
    "开创新局",
    "开好局",
    "开局",
    "新格局",
    "大局",
    "变局",
    "布局",
    "全局",
    "结局",
    "破局",
    "当局",
)


def _not_a_body(name: str) -> bool:
    if _LEVEL_WORD.match(name) or (name.endswith(_IDIOMS) and not name.startswith(tuple(_PLACE_LEVELS))):
        return True
    return (
        len(name) <= 3
        and bool(_WORD_NOT_BODY.fullmatch(name[-2:]))
        and (len(name) == 2 or name[-2:-1] in _BEFORE_JU_WORD)
        and name[:1] not in _PLACE_LEVELS
    )


def _place_stem_before(text: str, end: int) -> int:
    """The length (2 or 3) of a place name ending at end (洛阳 in 洛阳市…, 郑州 in 郑州海关), or 0.

    No list of places is used: the stem must start at a boundary (punctuation or a word such as 由,
    会同 that cannot be inside a name) and hold no stop character or non-place word (全, 本, 我 …).
    """
    for length in (2, 3):
        start = end - length
        if start < 0:
            return 0
        stem = text[start:end]
        if not all(_HAN.match(char) for char in stem) or any(char in _NOT_PLACE_CHARS for char in stem):
            return 0
        if any(stem[i : i + 2] in _STOP_PAIRS for i in range(length - 1)):
            return 0
        if (
            stem[-2:] in lex.NOT_PLACE_ENDINGS
            or stem.endswith(lex.OWN_PARK_PREFIXES)
            or stem in _ACTION_VERBS
        ):
            return 0
        if start == 0 or not _HAN.match(text[start - 1]):
            return length
        if length == 2 and _stop_word_ends_at(text, 0, start):
            return length
        if length == 3 and (
            text[start - 1] in _PLACE_JOINERS or text[max(0, start - 2) : start] in _STOP_PAIRS
        ):
            return length
    return 0


def _known_pattern(known: Sequence[KnownUnit]) -> re.Pattern[str] | None:
    words = {word for unit in known for word in (unit.name, *unit.aliases) if len(word) >= 2}
    if not words:
        return None
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _name_ending_at(text: str, suffix_match: re.Match[str]) -> _Name | None:
    """Read a unit name backwards from its suffix; None when the suffix is only a word ending."""
    suffix, suffix_start, end = suffix_match.group(), suffix_match.start(), suffix_match.end()
    if text[end : end + 1] and text[end] in lex.NOT_UNIT_FOLLOWERS.get(suffix, ""):
        return None
    window_start = suffix_start
    while window_start > max(0, suffix_start - _MAX_NAME) and _HAN.match(text[window_start - 1]):
        window_start -= 1
    stem_start = (
        _lexicon_stem_start(text, window_start, suffix_start) if suffix not in _COMPANY_SUFFIXES else None
    )
    if stem_start is not None:
        start = _extend_with_parent(text, window_start, stem_start)
        start, level, park = _peel_prefixes_backwards(text, window_start, start)
        joined = None if (level or park) else _head_joined_by_he(text, window_start, start)
        if joined is not None:
            return _Name(joined, end, text[joined:end])  # 县教育和体育局
        if suffix in lex.LEVEL_ONLY_SUFFIXES and not (level or park):
            return None
        lexicon_name = _Name(start, end, _drop_park(text[start:end]))
        if start == window_start or _stop_word_ends_at(text, window_start, start):
            return lexicon_name
        # 市数字经济发展领导小组: the familiar stem is the tail of a longer name; read that if it holds up
        return _unknown_name(text, window_start, suffix_match) or lexicon_name
    return _unknown_name(text, window_start, suffix_match)


def _unknown_name(text: str, window_start: int, suffix_match: re.Match[str]) -> _Name | None:
    suffix, suffix_start, end = suffix_match.group(), suffix_match.start(), suffix_match.end()
    start = _unknown_stem_start(text, window_start, suffix_start, suffix in lex.NEW_BODY_SUFFIXES)
    if suffix in lex.LEVEL_BODIES:  # 市委市政府 is two bodies: the name is the level and the body only
        level = _prefix_ending_at(text, start, suffix_start, lex.LEVEL_PREFIXES)
        level_start = suffix_start - len(level)
        if level and text[level_start - 1 : level_start] in lex.GENERIC_LEVEL_BEFORE:
            return None  # 乡镇卫生院, 县区政府: a kind of body, not one named body
        if level and text[level_start - 1 : level_start + 1] in lex.NOT_PLACE_ENDINGS:
            return None  # 社区医院, 园区办公室: 区 ends a word here, it is no level
        if level:
            start, _, _ = _peel_prefixes_backwards(text, start, suffix_start)
            if text[start:suffix_start] != level and not text[start:suffix_start].startswith(
                lex.OWN_PARK_PREFIXES
            ):
                start = suffix_start - len(level)
    chunk = text[start:suffix_start]
    if not chunk.startswith(lex.LEVEL_PREFIXES + lex.OWN_PARK_PREFIXES):
        inner = _inner_level(chunk)
        start, chunk = start + inner, chunk[inner:]
    level, park, parent, stem = _split_unknown(chunk)
    if not _acceptable_unknown(_Unknown(text, start, end, suffix, stem, level, park, parent)):
        return None
    return _Name(start, end, _drop_park(text[start:end]))


def _lexicon_stem_start(text: str, window_start: int, stem_end: int) -> int | None:
    for length in sorted(_STEM_LENGTHS, reverse=True):
        start = stem_end - length
        if start >= window_start and text[start:stem_end] in lex.DEPARTMENT_STEMS:
            return start
    return None


def _extend_with_parent(text: str, window_start: int, start: int) -> int:
    """县委督查室, 党政办督查室: a parent body written in front of a section's name."""
    for parent in _PARENTS:
        if text[max(window_start, start - len(parent)) : start] == parent:
            return start - len(parent)
    if text[start - 1 : start] == "办":
        parent_stem = _lexicon_stem_start(text, window_start, start - 1)
        if parent_stem is not None:
            return parent_stem
    return start


def _peel_prefixes_backwards(text: str, window_start: int, start: int) -> tuple[int, str, str]:
    """Step back over a level (省, 县) and the park's own prefix (工业园区) written before a stem."""
    level = park = ""
    park = _prefix_ending_at(text, window_start, start, lex.OWN_PARK_PREFIXES)
    if not park:  # 工业园区 ends in 区, which is also a level: the park reading wins
        level = _prefix_ending_at(text, window_start, start, lex.LEVEL_PREFIXES)
        park = _prefix_ending_at(text, window_start, start - len(level), lex.OWN_PARK_PREFIXES)
    return start - len(level) - len(park), level, park


def _prefix_ending_at(text: str, window_start: int, end: int, prefixes: tuple[str, ...]) -> str:
    return next((p for p in prefixes if end - len(p) >= window_start and text[end - len(p) : end] == p), "")


def _unknown_stem_start(text: str, window_start: int, stem_end: int, new_body: bool = False) -> int:
    """Walk back from the suffix until a word that cannot be inside a name (要, 由, 会同 …).

    和 joins two names (市财政局和市税务局) except inside one: 市粮食和物资储备局, 省政务服务和数据管理局,
    where the words before 和 open with a level and are no name of their own.
    """
    start = stem_end
    while start > window_start and not _stop_word_ends_at(text, window_start, start):
        start -= 1
    return _head_joined_by_he(text, window_start, start, new_body) or start


def _head_joined_by_he(text: str, window_start: int, start: int, new_body: bool = False) -> int | None:
    """Where a name starts that holds 和 (县教育和体育局), when start sits right after that 和.

    A body set up by the plan may hold 和 without a level: 经济工作和项目建设领导小组."""
    if start <= window_start or text[start - 1] != "和":
        return None
    head_start = start - 1
    while head_start > window_start and not _stop_word_ends_at(text, window_start, head_start):
        head_start -= 1
    head = text[head_start : start - 1]
    levelled = (head[:1] in _PLACE_LEVELS or head.startswith("国家")) and 3 <= len(head) <= 7
    if (levelled or (new_body and 2 <= len(head) <= 6)) and not _SUFFIX.search(head[-2:]):
        return head_start
    return None


def _stop_word_ends_at(text: str, window_start: int, position: int) -> bool:
    if (
        text[max(window_start, position - 2) : position] in _WORDS_HOLDING_STOPS
        or text[max(window_start, position - 1) : position + 1] in _WORDS_HOLDING_STOPS
    ):
        return False  # 普及, 和谐: a word holding 及 or 和, not a joiner
    return text[position - 1] in _STOP_CHARS or (
        position - 2 >= window_start and text[position - 2 : position] in _STOP_PAIRS
    )


_ADVERBS = frozenset({"充分", "积极", "切实", "认真", "全面", "主动", "及时", "统一"})
_WORDS_HOLDING_STOPS = frozenset({"普及", "和谐", "学前"})  # 学前教育


def _inner_level(chunk: str) -> int:
    """ "完善县教研", "已经市委全面深化改革": where a level opens the name inside a longer run, or 0."""
    for index in (2, 4):  # after a two-character verb (完善, 已经), or an adverb and a verb (充分发挥)
        if len(chunk) < index + 3 or any(char in _PLACE_LEVELS for char in chunk[:index]):
            return 0
        if index == 4 and chunk[:2] not in _ADVERBS:
            return 0
        if (
            chunk[index] in _PLACE_LEVELS
            and chunk[index + 1] not in _PLACE_LEVELS
            and chunk[index - 1 : index + 1] not in lex.NOT_PLACE_ENDINGS
            and chunk[index + 1] not in _NOT_AFTER_INNER_LEVEL
        ):
            return index
    return 0


def _split_unknown(chunk: str) -> tuple[str, str, str, str]:
    """Split an unfamiliar name's front into park prefix, level, parent body and stem."""
    park = next((p for p in lex.OWN_PARK_PREFIXES if chunk.startswith(p)), "")
    chunk = chunk[len(park) :]
    level = next((p for p in lex.LEVEL_PREFIXES if chunk.startswith(p)), "")
    chunk = chunk[len(level) :]
    parent = next((p for p in _PARENTS if chunk.startswith(p)), "") if level else ""
    return level, park, parent, chunk[len(parent) :]


@dataclass(frozen=True)
class _Unknown:
    """An unfamiliar name read back from its ending: where it stands and how its front splits."""

    text: str
    start: int
    end: int
    suffix: str
    stem: str
    level: str
    park: str
    parent: str

    @property
    def before(self) -> str:
        return self.text[self.start - 1 : self.start]

    @property
    def after(self) -> str:
        return self.text[self.end : self.end + 2]

    @property
    def in_note(self) -> bool:
        """（牵头单位：企业服务中心）, （…、国网XX供电公司配合）: the name fills a note's slot."""
        after = self.after
        return self.before in _NOTE_OPENERS and (
            not after[:1].strip(_NOTE_CLOSERS) or after.startswith(_NOTE_ROLE_WORDS)
        )

    @property
    def at_boundary(self) -> bool:
        """The name starts after punctuation or a word that opens one (由, 与); a new body after 成立 or "成立…的"."""
        before, new_body = self.before, self.suffix in lex.NEW_BODY_SUFFIXES
        return (
            not before
            or not _HAN.match(before)
            or before in _NAME_OPENERS
            or (new_body and self.text.endswith(_SET_UP_VERBS, 0, self.start))
            or (new_body and before == "的" and _set_up_earlier(self.text, self.start))
        )


def _acceptable_unknown(name: _Unknown) -> bool:
    """Whether an unfamiliar name holds up: never for a kind of body, else by what vouches for it."""
    if _a_kind_of_body(name):
        return False
    if not name.stem:  # 县政府, 党政办督查室, 管委会
        return bool(
            (name.level and name.suffix in lex.LEVEL_BODIES)
            or (name.parent and name.suffix in _OFFICE_SUFFIXES)
            or name.suffix == "管委会"
        )
    if name.level or name.park:
        return len(name.stem) <= 14
    return _stands_on_its_own(name)


_GRADE_AT_END = re.compile(r"(?<![中高])级$")
_VERB_INSIDE_STEM = re.compile(r"(?:创建|争创|推进|推动|加快|实施)(?=[\u4e00-\u9fff]{2})")


def _a_kind_of_body(name: _Unknown) -> bool:
    """乡镇专职消防队, 国家级企业技术中心, 建成3家社区医院: a kind or grade of body, not one named body."""
    text, start, end = name.text, name.start, name.end
    if any(char in lex.NOT_IN_NAMES for char in name.stem) or name.stem.startswith("级"):
        return True
    if _GRADE_AT_END.search(name.stem):  # 市州级医院, 国家一级图书馆: a grade of body (but 市中级人民法院)
        return True
    if _VERB_INSIDE_STEM.search(name.stem):  # 市州级医院创建三甲医院: a clause, not a name (but 市创建办)
        return True
    if text.startswith(lex.GENERIC_LEVELS, start) and not text.startswith("县乡村", start):
        return True  # every township's team (but 县乡村…工作专班 is one)
    if name.before in _DIGITS:
        return True
    ending = text[max(start, end - 3) : end]
    return (text[max(start, end - 2) : end] in lex.NOT_UNIT_ENDINGS and ending not in lex.UNIT_ENDINGS) or (
        ending in lex.NOT_UNIT_ENDINGS and not text.endswith("人大常委会", 0, end)
    )


def _stands_on_its_own(name: _Unknown) -> bool:
    """A name with no level before it: by its ending's kind, its length, where it starts and what follows."""
    suffix, stem = name.suffix, name.stem
    if (
        suffix in lex.LEVEL_ONLY_SUFFIXES
    ):  # 企业服务中心 only where a label names it: （牵头单位：企业服务中心）
        return bool(
            name.in_note
            and suffix in _NOTE_ONLY_SUFFIXES
            and 2 <= len(stem) <= 8
            and label_before(name.text, name.start)
        )
    if suffix in lex.LONG_SUFFIXES:
        return 2 <= len(stem) <= 12 and name.at_boundary
    if (
        suffix in _COMPANY_SUFFIXES
    ):  # a company is a unit only where a note gives it a part: （…、国网XX供电公司配合）
        return name.in_note and 2 <= len(stem) <= 12
    after = name.after
    follows = not after or not _HAN.match(after[0]) or after.startswith(lex.SUBJECT_FOLLOWERS)
    return (2 <= len(stem) <= 4 or (name.in_note and len(stem) <= 8)) and name.at_boundary and follows


_NOTE_ROLE_WORDS = ("牵头", "配合", "负责", "按职责", "等按", "参与", "协助")


def _set_up_earlier(text: str, start: int) -> bool:
    """ "成立由区政府分管副区长任组长的老旧小区改造工作领导小组": 成立 opens the clause holding the name."""
    clause_start = max(text.rfind(stop, max(0, start - 40), start) for stop in _CLAUSE_STOP_CHARS) + 1
    return any(verb in text[clause_start:start] for verb in _SET_UP_VERBS)


def _drop_park(name: str) -> str:
    """工业园区财政局 → 财政局; but 高新区管委会 is the park's own committee and keeps its name."""
    for prefix in lex.OWN_PARK_PREFIXES:
        if (
            name.startswith(prefix)
            and len(name) > len(prefix) + 1
            and name[len(prefix) :] not in lex.PARK_BODIES
        ):
            return name[len(prefix) :]
    return name


def to_mentions(doc: Prepared, names: list[_Name]) -> list[UnitMention]:
    """Attach a role to every name; see roles.py for the rules."""
    roles = assign_roles(doc, [(n.start, n.end, n.collective) for n in names])
    return [
        UnitMention(
            name=n.name,
            text=doc.text[n.start : n.end],
            role=role,
            span=(n.start, n.end),
            collective=n.collective,
        )
        for n, role in zip(names, roles, strict=True)
    ]
