"""Probability calibration stored as plain numbers, applied with numpy.

Training fits it (isotonic regression or Platt scaling, whichever lowers the validation
calibration error, or none); the service applies it without scikit-learn or pickles.
"""

from dataclasses import dataclass, field

import numpy as np

METHODS = ("none", "isotonic", "platt")


@dataclass(frozen=True)
class Calibrator:
    method: str = "none"
    x: tuple[float, ...] = field(default_factory=tuple)  # isotonic knots (raw probability)
    y: tuple[float, ...] = field(default_factory=tuple)  # isotonic values (calibrated)
    a: float = 1.0  # platt: sigmoid(a * logit(p) + b)
    b: float = 0.0

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"calibration method must be one of {METHODS}, got {self.method!r}")
        if self.method == "isotonic" and (len(self.x) < 2 or len(self.x) != len(self.y)):
            raise ValueError("isotonic calibration needs matching x and y with 2+ knots")
        # as arrays once: np.interp would convert the tuples on every five-row request
        object.__setattr__(self, "_knots", (np.asarray(self.x), np.asarray(self.y)))

    def apply(self, p: np.ndarray) -> np.ndarray:
        if self.method == "isotonic":
            return np.interp(p, *self._knots)
        if self.method == "platt":
            clipped = np.clip(p, 1e-7, 1 - 1e-7)
            logit = np.log(clipped / (1 - clipped))
            return 1.0 / (1.0 + np.exp(-(self.a * logit + self.b)))
        return p

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "x": list(self.x),
            "y": list(self.y),
            "a": self.a,
            "b": self.b,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Calibrator":
        return cls(
            method=data.get("method", "none"),
            x=tuple(data.get("x", ())),
            y=tuple(data.get("y", ())),
            a=float(data.get("a", 1.0)),
            b=float(data.get("b", 0.0)),
        )
