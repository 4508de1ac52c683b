"""The micro-steps of one epoch: order, which cells each computes, and stepping."""

from __future__ import annotations

import pytest

from rnn_tui.engine import PRESETS, Trainer
from rnn_tui.engine.microsteps import COLUMNS, MicroCursor, plan


@pytest.mark.parametrize("t", [1, 3, 10])
def test_plan_order_is_forward_loss_backward_update(t: int) -> None:
    steps = plan(t).steps
    assert len(steps) == 2 * t + 2
    assert [s.phase for s in steps] == ["forward"] * t + ["loss"] + ["backward"] * t + ["update"]
    assert [s.t for s in steps[:t]] == list(range(1, t + 1))
    assert [s.t for s in steps[t + 1 : 2 * t + 1]] == list(range(t, 0, -1))
    assert [s.index for s in steps] == list(range(1, 2 * t + 3))


def test_every_cell_is_computed_exactly_once() -> None:
    t = 4
    seen = [cell for step in plan(t).steps for cell in step.cells]
    expected = {(c, k) for c in COLUMNS if c != "x" for k in range(1, t + 1)}
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected


def test_cells_are_pending_until_their_step_then_current_then_done() -> None:
    t = 3
    cursor = MicroCursor.start(t)
    assert all(cursor.cell_state("x", k) == "done" for k in range(1, t + 1))
    assert all(cursor.cell_state("a", k) == "pending" for k in range(1, t + 1))
    for position in range(1, len(cursor.plan) + 1):
        cursor, moved = cursor.forward()
        assert moved == 0 and cursor.position == position
        step = cursor.step
        assert step is not None
        for column in COLUMNS:
            for k in range(1, t + 1):
                state = cursor.cell_state(column, k)
                if (column, k) in step.cells:
                    assert state == "current"
                elif column == "x" or any((column, k) in s.cells for s in plan(t).steps[:position]):
                    assert state == "done"
                else:
                    assert state == "pending"
    # After the update every number of the epoch is known.
    assert cursor.at_end
    assert all(cursor.cell_state(c, k) == "done" for c in COLUMNS for k in range(1, t + 1))
    assert cursor.quantity_state("update") == "current"
    assert cursor.quantity_state("loss") == "done"


def test_delta_flows_backwards() -> None:
    cursor = MicroCursor.start(3)
    for _ in range(5):  # forward 1..3, loss, backward t = 3
        cursor, _ = cursor.forward()
    assert cursor.cell_state("delta", 3) == "current"
    assert cursor.cell_state("delta", 2) == "pending"
    assert cursor.cell_state("delta", 1) == "pending"
    assert "δ_3 = 2·(ŷ − y)/N" in cursor.describe()


def test_crossing_epoch_boundaries_both_ways() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    cursor = MicroCursor.start(trainer.dataset.t)
    cursor, moved = cursor.backward(trainer.epoch)
    assert (cursor.position, moved) == (0, 0)  # nothing before epoch 0
    for _ in range(len(cursor.plan)):
        cursor, moved = cursor.forward()
        trainer.step(moved)
    assert trainer.epoch == 0 and cursor.at_end
    cursor, moved = cursor.forward()
    trainer.step(moved)
    assert (trainer.epoch, cursor.position) == (1, 0)
    cursor, moved = cursor.backward(trainer.epoch)
    trainer.back(-moved)
    assert (trainer.epoch, cursor.position) == (0, len(cursor.plan))


def test_describe_names_the_step() -> None:
    cursor = MicroCursor.start(3)
    assert cursor.describe().startswith("micro-step 0/8")
    cursor, _ = cursor.forward()
    assert "forward t = 1" in cursor.describe()


def test_plan_needs_a_timestep() -> None:
    with pytest.raises(ValueError):
        plan(0)
