"""The report's settings in the rule book (`rules/report.yaml`): how fit is put into words."""

from __future__ import annotations

from pydantic import Field, model_validator

from recommender.book.model import Model, SInt, Text


class FitLabel(Model):
    """A band of fit: items with at least `min_points` get `label`; `meaning` explains it in the legend."""

    label: Text = Field(max_length=40)
    min_points: SInt = Field(ge=1)
    meaning: Text = Field(max_length=200)


# Built without validation (they are valid as written), so that importing this module builds no validator.
DEFAULT_LABELS = (
    FitLabel.model_construct(label="Best fit", min_points=50, meaning="several of your answers point to it"),
    FitLabel.model_construct(label="Good fit", min_points=30, meaning="some of your answers point to it"),
    FitLabel.model_construct(label="Possible fit", min_points=1, meaning="one of your answers points to it"),
)


class ReportFile(Model):
    """rules/report.yaml."""

    fit_labels: tuple[FitLabel, ...] = Field(
        default=DEFAULT_LABELS, min_length=1,
        description="bands of fit, highest first; an item gets the first label whose min_points it reaches",
    )

    @model_validator(mode="after")
    def _descending(self) -> ReportFile:
        floors = [b.min_points for b in self.fit_labels]
        if any(a <= b for a, b in zip(floors, floors[1:])):
            raise ValueError(f"fit_labels must go from the highest min_points to the lowest, got {floors}")
        return self

    def fit_label(self, points: int) -> str:
        """The words for an item's fit (the lowest band's label for anything below it)."""
        return next((b.label for b in self.fit_labels if points >= b.min_points), self.fit_labels[-1].label)

    def legend(self) -> str:
        """One line that explains every label."""
        return "; ".join(f"{b.label}: {b.meaning}" for b in self.fit_labels) + "."
