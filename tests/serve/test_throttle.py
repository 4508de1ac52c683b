"""The sign-in failure budget, with a fake clock (the SSH-level tests are in test_attacks.py)."""

from __future__ import annotations

from rnn_tui.serve.throttle import FailureBudget, ThrottleSettings


def test_failure_budget_backs_off_per_address_and_overall() -> None:
    now = [0.0]
    budget = FailureBudget(
        ThrottleSettings(failures_per_address=3, failures_global=5, base_delay=1, max_delay=8),
        clock=lambda: now[0],
    )
    assert [budget.failed("a") for _ in range(6)] == [1, 1, 1, 2, 4, 8]
    assert budget.over_budget("a") and not budget.over_budget("b")
    assert budget.failed("b") == 4  # 7 in all, 2 over the total: everyone slows down
    now[0] += 61  # the window has passed
    assert budget.failed("a") == 1 and not budget.over_budget("b")
