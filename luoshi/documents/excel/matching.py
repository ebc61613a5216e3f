"""Unit and person names as a table writes them, matched to the units and people Luoshi knows."""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from luoshi.orgs.models import Person, Unit

#: Several names in one cell: 财政局、经发局 / 财政局，经发局 / 财政局/经发局 / one per line.
_SEPARATORS = re.compile(r"[、，,/／;；\n]+")
#: Unit names never contain spaces, so spaces separate units too; people's names are padded ("王  明").
_SPACES = re.compile(r"\s+")
_PARENTHESISED = re.compile(r"[(（][^()（）]*[)）]")
#: Words for "everyone concerned", not a unit: 各相关部门, 相关单位, 有关单位, 各园区, 其他成员单位.
_GENERIC_UNIT = re.compile(r"^(各|相关|有关|其他|其它|全体|所有)")
#: Words for a post, not a person: 主要负责人, 分管领导, 负责同志.
_GENERIC_PERSON = re.compile(r"(负责人|领导|负责同志|同志)$")
_PHONE = re.compile(r"[\d\-－+]{5,}")


class NameProblem(ValueError):
    """A name that matches nothing, or more than one thing."""


def split_units(text: str) -> list[str]:
    """The unit names in a cell, in order, without a trailing 等."""
    pieces = _SEPARATORS.split(_SPACES.sub("、", text.strip()))
    return [p.removesuffix("等") for p in pieces if p.removesuffix("等")]


def split_people(text: str) -> list[str]:
    """The person names in a cell, in order, with padding spaces and phone numbers left out."""
    pieces = (_SPACES.sub("", _PHONE.sub("", p)) for p in _SEPARATORS.split(text.strip()))
    return [p for p in pieces if p]


def is_generic_unit(name: str) -> bool:
    return bool(_GENERIC_UNIT.match(name))


def is_generic_person(name: str) -> bool:
    return bool(_GENERIC_PERSON.search(name))


def _key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _unbracketed(name: str) -> str:
    return _PARENTHESISED.sub("", name)


@dataclass
class UnitDirectory:
    """Every unit by full name, and by short name and alias (which may be shared)."""

    by_name: dict[str, Unit] = field(default_factory=dict)
    by_other: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> "UnitDirectory":
        directory = cls()
        for unit in Unit.objects.all():
            directory.by_name[_key(unit.name)] = unit
            for other in {unit.short_name, *unit.alias_list()} - {""}:
                directory.by_other[_key(other)].append(unit)
        return directory

    def find(self, name: str) -> Unit:
        """The unit a name means: its full name first, else its short name or an alias."""
        for key in dict.fromkeys((_key(name), _key(_unbracketed(name)))):
            if key in self.by_name:
                return self.by_name[key]
            units = list(dict.fromkeys(self.by_other.get(key, [])))
            if len(units) == 1:
                return units[0]
            if units:
                names = "、".join(u.name for u in units)
                raise NameProblem(f"“{name}”可能是{names}中的任何一个，请写单位全称")
        close = difflib.get_close_matches(_key(name), [*self.by_name, *self.by_other], n=1, cutoff=0.6)
        hint = f"（是不是“{self._named(close[0])}”？）" if close else ""
        raise NameProblem(f"找不到单位“{name}”{hint}")

    def _named(self, key: str) -> str:
        return self.by_name[key].name if key in self.by_name else key


@dataclass
class PersonDirectory:
    """Active people by full name and by user name."""

    by_name: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    _unit_scopes: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "PersonDirectory":
        directory = cls()
        for person in Person.objects.filter(is_active=True):
            for name in {person.full_name, person.username} - {""}:
                directory.by_name[_key(name)].append(person)
        return directory

    def find(self, name: str, unit: Unit | None) -> Person:
        """The person a name means, looked for in the unit (and the units below it) first, then everywhere."""
        people = list(
            dict.fromkeys(self.by_name.get(_key(name)) or self.by_name.get(_key(_unbracketed(name))) or [])
        )
        if len(people) > 1 and unit is not None:
            scope = self._scope(unit)
            people = [p for p in people if p.unit_id in scope] or people
        if len(people) == 1:
            return people[0]
        if people:
            raise NameProblem(f"有{len(people)}位人员都叫“{name}”，无法确定是哪一位")
        raise NameProblem(f"找不到人员“{name}”")

    def _scope(self, unit: Unit) -> set[int]:
        if unit.pk not in self._unit_scopes:
            self._unit_scopes[unit.pk] = set(Unit.objects.subtree([unit.pk]).values_list("id", flat=True))
        return self._unit_scopes[unit.pk]
