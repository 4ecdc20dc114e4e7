"""The run-time twins of the models: generated, the same fields, the same data, and no pydantic on the run path."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from recommender.book import loader, runtime, twins
from recommender.book.plain import Plain, json_data, values_of
from recommender.book.rulebook import RuleBook
from tests.conftest import PROFILES, ROOT


def test_runtime_is_what_the_generator_writes() -> None:
    committed = Path(runtime.__file__).read_text(encoding="utf-8")
    assert committed == twins.generate(), "run `python -m recommender.book.twins` and commit recommender/book/runtime.py"


@pytest.mark.parametrize("model", twins.MODELS, ids=lambda m: m.__name__)
def test_each_twin_has_its_models_fields_in_order(model: type) -> None:
    twin = getattr(runtime, model.__name__)
    assert issubclass(twin, Plain)
    assert twin.FIELDS == tuple(model.model_fields) == twin.__slots__


def test_every_loaded_model_becomes_a_twin_with_the_same_data() -> None:
    load = loader._Loader(ROOT / "rules")
    book = load.load()
    assert load.memo
    for model, twin in load.memo.values():
        assert type(twin).__name__ == type(model).__name__
        assert json_data(twin) == model.model_dump(mode="json")
        assert json_data(twin, exclude_none=True, exclude={"id"}) == model.model_dump(
            mode="json", exclude_none=True, exclude={"id"})
    objects = [*book.items.values(), *book.sources.values(), *book.questions, *book.market, book.report,
               *(r.rule for r in book.rules), *(f.fact for f in book.facts.values())]
    assert all(isinstance(obj, Plain) for obj in objects)


def test_twins_are_immutable_comparable_and_survive_pickle(book: RuleBook) -> None:
    item = book.items["CMA"]
    with pytest.raises(AttributeError):
        item.name = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del item.name  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(item))
    assert again == item and again is not item and repr(again) == repr(item)
    source = next(iter(book.sources.values()))
    assert hash(pickle.loads(pickle.dumps(source))) == hash(source)
    assert copy.deepcopy(item) == item
    assert type(item)(**values_of(item)) == item
    assert item != book.items["CMAA"] and item != object()
    assert repr(book.report.fit_labels[0]).startswith("FitLabel(label=")


def test_a_twin_takes_its_defaults_and_refuses_unknown_or_missing_fields() -> None:
    rule = runtime.Rule(id="r", description="d", when={"all": []}, because="b")
    assert rule.points == {} and rule.points is not runtime.Rule(id="s", description="d", when=1, because="b").points
    assert rule.exclude == () and rule.allow == ()
    with pytest.raises(TypeError, match="Rule\\(\\) has no field 'pionts'"):
        runtime.Rule(id="r", description="d", when=1, because="b", pionts={})
    with pytest.raises(TypeError, match="Rule\\(\\) needs the field 'because'"):
        runtime.Rule(id="r", description="d", when=1)
    with pytest.raises(TypeError):
        hash(rule)  # a dict inside, as with the frozen model


def test_the_report_settings_work_on_the_twin() -> None:
    report = runtime.ReportFile()
    assert report.fit_label(50) == "Best fit" and report.fit_label(0) == "Possible fit"
    assert report.legend().startswith("Best fit: several of your answers point to it; ")


PROBE = """
import sys
from recommender.cli import main
main(sys.argv[1:])
print(sorted(m for m in sys.modules if m == "pydantic" or m.startswith("pydantic.")), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [
    ("recommend", str(PROFILES[1])),
    ("recommend", str(PROFILES[1]), "--format", "json", "--lang", "es"),
    ("path", str(PROFILES[1]), "--format", "markdown"),
    ("explain", str(PROFILES[1]), "CMA"),
    ("batch", str(PROFILES[1]), "--format", "csv"),
], ids=" ".join)
def test_commands_that_only_recommend_never_import_pydantic(args: tuple[str, ...]) -> None:
    def imported() -> str:
        done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False)
        return done.stderr.strip().splitlines()[-1]

    imported()  # the first run may have to load the book in full (and validate it) to write its snapshot
    assert imported() == "[]"


def test_a_full_load_does_use_pydantic() -> None:
    # The probe above would pass vacuously if pydantic were never listed; this run writes no snapshot.
    done = subprocess.run([sys.executable, "-c", PROBE, "rules", "check"], capture_output=True, text=True,
                          check=False)
    assert "'pydantic.main'" in done.stderr.strip().splitlines()[-1]
