"""Percentiles the way the benchmark reports them."""

from __future__ import annotations

import numpy as np


def summarize(values) -> dict:
    """n, median (p50), p99, mean and max of `values`; NaN figures when there are none."""
    values = np.asarray(list(values), dtype=float)
    if values.size == 0:
        nan = float("nan")
        return {"n": 0, "p50": nan, "p99": nan, "mean": nan, "max": nan}
    return {
        "n": int(values.size),
        "p50": round(float(np.percentile(values, 50)), 3),
        "p99": round(float(np.percentile(values, 99)), 3),
        "mean": round(float(values.mean()), 3),
        "max": round(float(values.max()), 3),
    }
