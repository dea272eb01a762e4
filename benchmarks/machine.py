"""What the machine was doing while a benchmark ran.

This runs on a shared virtual machine: when the host is busy, the hypervisor takes CPU time from it
("steal" in ``/proc/stat``), and every latency in the run grows with it (one scale run measured 20–74 %
steal and p95 latencies three times the quiet run's). Each benchmark section records the steal share of
its run so that such numbers can be told apart from a regression.
"""

from __future__ import annotations

from pathlib import Path


def _cpu_times() -> list[int] | None:
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    return [int(v) for v in fields[1:]] if fields and fields[0] == "cpu" else None


class StealMeter:
    """CPU steal share between :meth:`start` and :meth:`percent` (None where the kernel does not report it)."""

    def __init__(self) -> None:
        self._start = _cpu_times()

    def start(self) -> "StealMeter":
        self._start = _cpu_times()
        return self

    def percent(self) -> float | None:
        end = _cpu_times()
        if self._start is None or end is None or len(end) < 8:
            return None
        delta = [b - a for a, b in zip(self._start, end)]
        total = sum(delta[:8])  # user nice system idle iowait irq softirq steal (guest time is inside user)
        return round(100.0 * delta[7] / total, 1) if total > 0 else 0.0

    def describe(self) -> str:
        value = self.percent()
        return "CPU steal not reported" if value is None else f"CPU steal {value} % of the run"
