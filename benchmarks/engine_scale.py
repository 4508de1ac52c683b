"""Engine at scale: N = 10 000 sequences of T = 100 with a sigmoid (seconds per
epoch of forward + BPTT), and a 200x200 loss landscape on Roelants' data in one
vectorised call.

    python benchmarks/engine_scale.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from rnn_tui.engine import Config, Trainer, landscape, load_dataset


def median_seconds(fn, rounds: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    trainer = Trainer(Config.parse("activation=sigmoid,data=random:10000x100,lr=0.0001"))
    epochs = 10
    per_epoch = median_seconds(lambda: trainer.step(epochs), args.rounds) / epochs
    print(f"N=10000, T=100, sigmoid: {per_epoch * 1e3:.1f} ms per epoch (forward + BPTT + update)")

    data = load_dataset("roelants")
    landscape(data.x, data.y)  # warm up: first-touch of the buffers
    for activation in ("identity", "sigmoid"):
        seconds = median_seconds(
            lambda a=activation: landscape(data.x, data.y, a, shape=(200, 200)), args.rounds
        )
        print(
            f"200x200 loss landscape, Roelants' data (20x10), {activation}: {seconds * 1e3:.1f} ms"
        )


if __name__ == "__main__":
    main()
