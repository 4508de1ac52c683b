"""Seed-linear, 50 000 epochs: our Trainer (history recorded) vs the notebook's own loop.

Both run in this process, alternating, several rounds; the ratio of medians is
printed. The notebook loop below is cell In[8] copied verbatim (its printout is
sent to /dev/null so the terminal is not part of the measurement).

    python benchmarks/engine_vs_notebook.py [--epochs 50000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import time

import numpy as np

from rnn_tui.engine import PRESETS, Trainer


def notebook_loop(number_of_epoch: int) -> tuple[float, float]:
    # --- cells In[3]..In[8] of the notebook, verbatim ---------------------------
    x = np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    y = np.array([[1], [2], [3]])
    wx = [0.2]
    wrec = [1.5]
    number_of_training_data = 3
    learning_rate_x = 0.02
    learning_rate_rec = 0.0006
    states = np.zeros((3, 4))
    grad_over_time = np.zeros((3, 4))
    for iter in range(number_of_epoch):
        layer_1 = x[:, 0] * wx + states[:, 0] * wrec
        states[:, 1] = layer_1
        layer_2 = x[:, 1] * wx + states[:, 1] * wrec
        states[:, 2] = layer_2
        layer_3 = x[:, 2] * wx + states[:, 2] * wrec
        states[:, 3] = layer_3
        cost = np.square(states[:, 3] - y).sum() / number_of_training_data  # noqa: F841
        grad_out = (states[:, 3] - np.squeeze(y)) * 2 / number_of_training_data
        grad_over_time[:, 3] = grad_out
        grad_over_time[:, 2] = grad_over_time[:, 3] * wrec
        grad_over_time[:, 1] = grad_over_time[:, 2] * wrec
        grad_over_time[:, 0] = grad_over_time[:, 1] * wrec
        grad_wx = np.sum(
            grad_over_time[:, 3] * x[:, 2]
            + grad_over_time[:, 2] * x[:, 1]
            + grad_over_time[:, 1] * x[:, 0]
        )
        grad_rec = np.sum(
            grad_over_time[:, 3] * states[:, 2]
            + grad_over_time[:, 2] * states[:, 1]
            + grad_over_time[:, 1] * states[:, 0]
        )
        wx = wx - learning_rate_x * grad_wx
        wrec = wrec - learning_rate_rec * grad_rec
        if iter % 1000 == 0:
            print("\nCurrent Epoch: ", iter, "  current predition :", layer_3)
    # ------------------------------------------------------------------------------
    return float(wx[0]), float(wrec[0])


def engine_run(epochs: int) -> tuple[float, float]:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(epochs)
    return trainer.weights


def timed(fn, epochs: int) -> tuple[float, tuple[float, float]]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        result = fn(epochs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    ours, theirs = [], []
    for _ in range(args.rounds):
        seconds, engine_weights = timed(engine_run, args.epochs)
        ours.append(seconds)
        seconds, notebook_weights = timed(notebook_loop, args.epochs)
        theirs.append(seconds)
    ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    print(f"seed-linear, {args.epochs} epochs, median of {args.rounds} alternating rounds")
    for label, seconds in (
        ("notebook loop (verbatim)", theirs_s),
        ("rnn-tui Trainer (with history)", ours_s),
    ):
        print(f"  {label:<32} {seconds:7.3f} s  {seconds / args.epochs * 1e6:6.2f} us/epoch")
    print(f"  speed-up: {theirs_s / ours_s:.2f}x")
    print(f"  final weights  notebook {notebook_weights}  engine {engine_weights}")
    difference = max(abs(a - b) for a, b in zip(notebook_weights, engine_weights, strict=True))
    print(f"  largest weight difference: {difference:.2e}")


if __name__ == "__main__":
    main()
