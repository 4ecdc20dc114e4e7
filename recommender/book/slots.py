"""The parts of the rule index: for one answer, the rules whose comparisons on it hold, as a bitmap.

Rule positions are bits of a Python int (bit i is rule i), so a profile's rules are found by
AND-ing one bitmap per slot.  A slot holds at most one comparison of each rule, except the
slot of a single-choice or yes/no question, which holds all of them: its few possible answers
were each tried at build time.  Every slot's bitmap has the rules the slot does not constrain
set, and `mask` returns None for an answer it cannot judge (a value outside the question's
options, text for a number), whose rules are then evaluated.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any, Protocol

_BITS = bytes.maketrans(b"01", b"\x00\x01")
_NUMBERS = (int, float, bool)


def bitmap(positions: Iterable[int], size: int) -> int:
    """The positions as the bits of an int (linear time, unlike OR-ing `1 << p` one by one)."""
    bits = bytearray((size >> 3) + 1)
    for p in positions:
        bits[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(bits, "little")


def positions(mask: int) -> list[int]:
    """The set bits of a bitmap, lowest first: rule positions in rule order."""
    if not mask:
        return []
    flags = format(mask, "b").encode()[::-1].translate(_BITS)
    return list(compress(range(len(flags)), flags))


class Slot(Protocol):
    """One answer's share of the index."""

    @property
    def question(self) -> str: ...

    @property
    def constrained(self) -> int: ...  # the rules this slot holds a comparison of

    def mask(self, answer: Any) -> int | None: ...


@dataclass(frozen=True)
class Choice:
    """A single-choice or yes/no question: every possible answer's bitmap, computed at build time."""

    question: str
    constrained: int
    table: Mapping[Any, int]  # answer (None when unanswered) -> rules whose comparisons on it all hold

    def mask(self, answer: Any) -> int | None:
        try:
            return self.table.get(answer)
        except TypeError:  # unhashable: not an answer the table knows
            return None


@dataclass(frozen=True)
class Includes:
    """One "the choices include any of these options" comparison per rule, on a multi-choice question."""

    question: str
    constrained: int
    free: int
    by_option: Mapping[Any, int]

    def mask(self, answer: Any) -> int | None:
        found = self.free
        if isinstance(answer, (list, tuple)):  # anything else is no choice at all, as evaluation reads it
            try:
                for option in answer:
                    found |= self.by_option.get(option, 0)
            except TypeError:
                return None
        return found


@dataclass(frozen=True)
class Bound:
    """Rules comparing a number with thresholds the same way, sorted for bisection."""

    find: Callable[[Sequence[Any], Any], int]
    thresholds: tuple[Any, ...]
    cumulative: tuple[int, ...]  # cumulative[bisect result] = the rules whose comparison holds


#: Operator -> (how to bisect, whether the rules that hold are those below the cut).
_CUTS: dict[str, tuple[Callable[[Sequence[Any], Any], int], bool]] = {
    "gte": (bisect_right, True), "gt": (bisect_left, True),  # threshold <= answer, threshold < answer
    "lte": (bisect_left, False), "lt": (bisect_right, False),  # answer <= threshold, answer < threshold
}


def bound(op: str, by_threshold: Mapping[Any, int]) -> Bound:
    """The bound of one operator, from each threshold's rules."""
    find, below = _CUTS[op]
    ts = sorted(by_threshold)
    masks = [by_threshold[t] for t in ts]
    run = [0]
    for m in masks if below else reversed(masks):
        run.append(run[-1] | m)
    return Bound(find, tuple(ts), tuple(run if below else reversed(run)))


@dataclass(frozen=True)
class Number:
    """One comparison per rule on a number question: bounds by bisection, equality by lookup."""

    question: str
    constrained: int
    free: int
    bounds: tuple[Bound, ...]
    equal: Mapping[Any, int]

    def mask(self, answer: Any) -> int | None:
        if answer is None:
            return self.free  # every comparison on a number needs an answer
        if type(answer) not in _NUMBERS or answer != answer:  # text, NaN: evaluation decides
            return None
        found = self.free | self.equal.get(answer, 0)
        for b in self.bounds:
            found |= b.cumulative[b.find(b.thresholds, answer)]
        return found
