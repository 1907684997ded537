"""A rep's one overall score (DESIGN.md §4): the weighted mean of each KPI's attainment, each
capped, so one lucky result on a small goal can't carry a rep to the top of a ranking.

A role states it in the process file; without it every KPI weighs 1 and the cap is 150%::

    roles:
      - key: sdr
        scoring: {cap: 150%, weights: {calls: 1, conversations: 2, sao: 3}}

A KPI the weights leave out weighs 1; a weight of 0 keeps a KPI out of the overall score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

DEFAULT_CAP = 1.5  # 150%
MIN_CAP, MAX_CAP = 1.0, 10.0  # a cap below 100% would stop a rep who hits a goal from showing it
MAX_WEIGHT = 1000.0


@dataclass(frozen=True)
class Scoring:
    """How a role's KPIs make one overall score: ``cap`` (1.5 = 150%) bounds each KPI's
    attainment, ``weights`` (KPI key → weight, default 1) weigh them."""

    cap: float = DEFAULT_CAP
    weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def __hash__(self) -> int:
        return hash((self.cap, tuple(sorted(self.weights.items()))))

    def weight(self, kpi: str) -> float:
        return float(self.weights.get(kpi, 1.0))

    def capped(self, attainment: float) -> float:
        return min(attainment, self.cap)

    def overall(self, attainments: Mapping[str, float]) -> float | None:
        """The weighted mean of the capped attainments (KPI → attainment, 1.0 = 100%) of the
        KPIs that weigh something; None when there are none."""
        pairs = [(self.weight(k), self.capped(a)) for k, a in attainments.items()]
        pairs = [(w, a) for w, a in pairs if w > 0]
        total = math.fsum(w for w, _ in pairs)
        if not pairs or total <= 0:
            return None
        return math.fsum(w * a for w, a in pairs) / total

    @property
    def is_default(self) -> bool:
        return self.cap == DEFAULT_CAP and all(w == 1 for w in self.weights.values())

    def to_dict(self) -> dict:
        """As written in the process file: ``{cap: 150%, weights: {calls: 2}}``."""
        out: dict = {"cap": f"{self.cap * 100:g}%"}
        if self.weights:
            out["weights"] = {k: _plain_number(w) for k, w in self.weights.items()}
        return out


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


DEFAULT_SCORING = Scoring()
