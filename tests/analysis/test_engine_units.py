"""analysis/incremental.py: the engine's per-unit reuse, with a stand-in front-end (no language):
unchanged units are reused and moved, a changed unit or a changed dependency is analysed again,
another configuration is another cache entry."""
from __future__ import annotations

from dataclasses import dataclass, field

from custody.analysis.frontend import Unit
from custody.analysis.incremental import UnitCache, UnitResult, check_units
from custody.analysis.source import Span


@dataclass
class Ctx:
    text: str                       # units are the words of the text
    deps: dict                      # word -> what its summary says now
    config: str = "a"
    analysed: list = field(default_factory=list)


class StandIn:
    def work_units(self, ctx):
        out, at = [], 0
        for w in ctx.text.split(" "):
            out.append(Unit(w, "function", Span(at, at + len(w)), Span(at, at + len(w)), ("w", w)))
            at += len(w) + 1
        return out

    def context_key(self, ctx):
        return ctx.config

    def still_valid(self, ctx, deps):
        return all(ctx.deps.get(k) == v for k, v in deps)

    def analyse_units(self, ctx, units, workers):
        # a result remembers where its unit was (a span the engine moves with the unit)
        ctx.analysed += [u.name for u in units]
        return [(UnitResult(u.name, [u.span], None, []), ((u.name, ctx.deps.get(u.name)),)) for u in units]

    def finish(self, ctx, results, counts):
        return [(r.name, r.findings[0].start) for r in results], (counts.reused, counts.analysed)


def test_only_what_changed_is_analysed_and_moved_results_follow_their_unit():
    lang, cache = StandIn(), UnitCache()
    first = Ctx("aa bb cc", {})
    results, counts = check_units(lang, first, cache)
    assert results == [("aa", 0), ("bb", 3), ("cc", 6)] and counts == (0, 3)
    second = Ctx("aaa bb cc", {})            # aa -> aaa: bb and cc only moved
    results, counts = check_units(lang, second, cache)
    assert second.analysed == ["aaa"] and counts == (2, 1)
    assert results == [("aaa", 0), ("bb", 4), ("cc", 7)]


def test_a_changed_dependency_or_configuration_analyses_again():
    lang, cache = StandIn(), UnitCache()
    check_units(lang, Ctx("aa bb", {"bb": 1}), cache)
    again = Ctx("aa bb", {"bb": 2})          # what bb read says something else now
    check_units(lang, again, cache)
    assert again.analysed == ["bb"]
    other = Ctx("aa bb", {"bb": 2}, config="b")
    check_units(lang, other, cache)
    assert other.analysed == ["aa", "bb"]


def test_the_cache_is_bounded():
    lang, cache = StandIn(), UnitCache(limit=3)
    check_units(lang, Ctx("a b c d e", {}), cache)
    assert len(cache) == 3
