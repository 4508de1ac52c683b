"""The recurrent model: forward pass and backpropagation through time.

For every sequence ``n`` and timestep ``t = 1..T`` (as students read them: quantities.py)::

    a_t = x_t * wx + s_{t-1} * wrec      pre-activation, with s_0 = 0
    s_t = f(a_t)                         t < T
    s_T = a_T = y_hat                    the last step is linear (the output)
    L   = mean_n (y_hat - y)^2

    delta_T  = 2 (y_hat - y) / N         delta_t = dL/da_t
    delta_t  = delta_{t+1} * wrec * f'(a_t)
    dL/dwx   = sum_n sum_t delta_t * x_t
    dL/dwrec = sum_n sum_t delta_t * s_{t-1}

:class:`Unrolled` holds the buffers for one dataset and evaluates ``B`` weight
pairs at once (a single model, a sweep, or a whole loss-landscape grid). It is
the only implementation of these equations in the project: the trainer, the
landscape, the gradient check and the UI's table all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from .activations import Activation, get_activation
from .datasets import SequenceShape

Array = NDArray[np.float64]

# Grid evaluations are split so that one (B, T, N) buffer stays below this many
# elements (about 32 MB); chunks never change results, every weight pair is
# computed independently.
_MAX_BUFFER_ELEMENTS = 1 << 22


class Unrolled:
    """Forward pass and BPTT over one dataset for a batch of ``B`` weight pairs.

    Buffers are laid out ``(B, T, N)`` so that one weight pair's whole unrolled
    network is contiguous: each gradient is then a single dot product. The
    per-timestep views are bound once here so the training loop does no indexing.

    With ``gradients=False`` only the forward pass and the loss are computed
    (the loss landscape needs nothing else).
    """

    def __init__(
        self,
        x: ArrayLike,
        y: ArrayLike,
        activation: str | Activation,
        batch: int = 1,
        gradients: bool = True,
        dtype: DTypeLike = np.float64,
    ):
        x_arr = np.asarray(x, dtype=np.float64)
        y_arr = np.asarray(y, dtype=np.float64).reshape(-1)
        if x_arr.ndim != 2 or x_arr.shape[0] < 1 or x_arr.shape[1] < 1:
            raise ValueError(f"x must have shape (N, T) with N, T >= 1, got {x_arr.shape}")
        if y_arr.shape != (x_arr.shape[0],):
            raise ValueError(f"y must have shape ({x_arr.shape[0]},), got {y_arr.shape}")
        # Complex weights serve the complex-step derivative of the loss (gradcheck.py):
        # the same forward pass in complex arithmetic, so it needs no backward buffers.
        self._complex = np.issubdtype(dtype, np.complexfloating)
        if self._complex and gradients:
            raise ValueError("complex weights evaluate the loss only (gradients=False)")
        self.dtype = np.dtype(dtype)
        self.activation = (
            activation if isinstance(activation, Activation) else get_activation(activation)
        )
        self.n, self.t = x_arr.shape
        self.batch = batch
        self.gradients = gradients
        self.x = x_arr
        self.y = y_arr
        n, t, b = self.n, self.t, batch
        tn = t * n
        x_flat = np.ascontiguousarray(x_arr.T).reshape(tn)  # x_1..x_T, time-major

        # A single model (the trainer) is tiny: NumPy's broadcasting would cost
        # more than the arithmetic, so constants and weights are stored at full
        # size and x shares one buffer with the states, making both gradients
        # one vecdot with [x_1..x_T ; s_0..s_{T-1}]. Batches broadcast instead.
        self._single = b == 1 and gradients
        if self._single:
            inputs_and_states = np.empty((1, 2, (t + 1) * n))
            inputs_and_states[0, 0, :tn] = x_flat
            self._x_and_s_prev = inputs_and_states[:, :, :tn]
            self.s = inputs_and_states[:, 1, :].reshape(1, t + 1, n)
            self._x: Array = inputs_and_states[:, 0, :tn]
            self._wx_rows = np.empty((1, tn))
            self._wrec_rows = np.empty((1, n))
            self._y: Array = y_arr.reshape(1, n).copy()
            self._scale: Array | float = np.full((1, n), 2.0 / n)
            self._n: Array | float = np.full(1, float(n))
        else:
            self.s = np.empty((b, t + 1, n) if gradients else (b, 1, n), dtype=self.dtype)
            self._x = x_flat
            self._y = y_arr
            self._scale = 2.0 / n
            self._n = float(n)
        # s[:, 0] is s_0 = 0, s[:, t] is s_t and s[:, T] is the output y_hat = a_T.
        self.s[:, 0] = 0.0
        # For the identity a_t is s_t, so both names share memory and nothing is copied.
        identity = self.activation.unit_derivative
        self.error = np.empty((b, n), dtype=self.dtype)
        self.loss = np.empty(b, dtype=self.dtype)
        if not gradients:
            self._stream_steps = self._streaming_steps(x_flat)
            return
        self.a = self.s[:, 1:, :] if identity else np.empty((b, t, n))
        self._xw = np.empty((b, tn))
        xw = self._xw.reshape(b, t, n)
        self._steps = [
            (
                xw[:, k],
                self.s[:, k],  # s_{t-1}
                self.s[:, t] if k == t - 1 else self.a[:, k],  # a_t (a_T lands in s_T)
                None if identity or k == t - 1 else self.s[:, k + 1],  # s_t = f(a_t)
            )
            for k in range(t)
        ]
        self._output = self.s[:, t]  # y_hat
        self.fp = np.empty((b, t, n))  # f'(a_t)
        self.fp[:, t - 1] = 1.0  # the output step is linear
        if identity:
            self.fp.fill(1.0)
        self.delta = np.empty((b, t, n))
        self.grads = np.empty((b, 2))  # (dL/dwx, dL/dwrec)
        self._back_steps = [
            (self.delta[:, k + 1], self.delta[:, k], self.fp[:, k]) for k in range(t - 2, -1, -1)
        ]
        self._delta_output = self.delta[:, t - 1]  # delta_T
        self._delta_flat = self.delta.reshape(b, 1, tn)
        self._s_prev_flat = self.s[:, :t, :].reshape(b, tn)

    def _streaming_steps(self, x_flat: Array) -> list[tuple[Array, Array, Array, Array | None]]:
        """Forward steps that keep only s_{t-1} and s_t (two slabs in turn) and
        compute x_t * wx as they go: the loss alone needs no unrolled record,
        and a 200x200 grid then stays in cache."""
        n, t, b = self.n, self.t, self.batch
        identity = self.activation.unit_derivative
        dtype = self.dtype
        zeros = np.zeros((b, n), dtype=dtype)  # s_0
        slabs = np.empty((2, b, n), dtype=dtype)  # s_t lives in slab t % 2
        pre = slabs if identity else np.empty((2, b, n), dtype=dtype)
        self._output = np.empty((b, n), dtype=dtype)
        self._xw_slab = np.empty((b, n), dtype=dtype)
        return [
            (
                x_flat[k * n : (k + 1) * n],
                zeros if k == 0 else slabs[k % 2],  # s_{t-1}
                self._output if k == t - 1 else pre[(k + 1) % 2],  # a_t
                None if identity or k == t - 1 else slabs[(k + 1) % 2],  # s_t
            )
            for k in range(t)
        ]

    def _stream_loss(self, wx: Array, wrec: Array) -> None:
        multiply, add, act, xw = np.multiply, np.add, self.activation, self._xw_slab
        for x_t, s_prev, a_t, s_t in self._stream_steps:
            multiply(x_t, wx, out=xw)  # x_t * wx
            multiply(s_prev, wrec, out=a_t)  # s_{t-1} * wrec
            add(xw, a_t, out=a_t)  # a_t = x_t * wx + s_{t-1} * wrec
            if s_t is not None:
                act.forward(a_t, s_t)  # s_t = f(a_t)

    def evaluate(self, wx: Array, wrec: Array) -> tuple[Array, Array]:
        """Loss and both gradients for weight columns of shape ``(B, 1)``.

        Returns the loss, shape ``(B,)``, and the gradients ``(dL/dwx, dL/dwrec)``,
        shape ``(B, 2)``: views of this object's buffers, overwritten by the next
        call. Call inside ``np.errstate(all="ignore")`` when weights may overflow.
        """
        act = self.activation
        multiply, add = np.multiply, np.add
        if self._single:
            np.copyto(self._wx_rows, wx)
            np.copyto(self._wrec_rows, wrec)
            wx, wrec = self._wx_rows, self._wrec_rows
        if self.gradients:
            multiply(self._x, wx, out=self._xw)  # x_t * wx for every t at once
            for xw_t, s_prev, a_t, s_t in self._steps:
                multiply(s_prev, wrec, out=a_t)  # s_{t-1} * wrec
                add(xw_t, a_t, out=a_t)  # a_t = x_t * wx + s_{t-1} * wrec
                if s_t is not None:
                    act.forward(a_t, s_t)  # s_t = f(a_t)
        else:
            self._stream_loss(wx, wrec)

        error = self.error
        np.subtract(self._output, self._y, out=error)  # y_hat - y
        # vecdot conjugates its first argument: the complex step needs sum(e * e)
        np.vecdot(error.conj() if self._complex else error, error, out=self.loss)
        np.divide(self.loss, self._n, out=self.loss)  # L = mean (y_hat - y)^2
        if not self.gradients:
            return self.loss, np.empty((self.batch, 0))

        last = self.t - 1
        if last > 0 and not act.unit_derivative:
            act.derivative(self.a[:, :last], self.s[:, 1 : self.t], self.fp[:, :last])
        multiply(error, self._scale, out=self._delta_output)  # delta_T = 2(y_hat-y)/N
        for delta_next, delta_t, fp_t in self._back_steps:
            multiply(delta_next, wrec, out=delta_t)  # delta_{t+1} * wrec
            if not act.unit_derivative:
                multiply(delta_t, fp_t, out=delta_t)  # ... * f'(a_t)

        # dL/dwx = sum delta_t * x_t and dL/dwrec = sum delta_t * s_{t-1}
        if self._single:
            np.vecdot(self._delta_flat, self._x_and_s_prev, out=self.grads)
        else:
            delta_flat = self._delta_flat[:, 0]
            np.vecdot(delta_flat, self._x, out=self.grads[:, 0])
            np.vecdot(delta_flat, self._s_prev_flat, out=self.grads[:, 1])
        return self.loss, self.grads

    def pre_activations(self) -> Array:
        """a_t of the last evaluation, ``(B, T, N)``; a_T is the output s_T."""
        a = self.a.copy()
        a[:, -1] = self.s[:, -1]
        return a


def _evaluate_many(
    wx: ArrayLike,
    wrec: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    activation: str,
    gradients: bool,
    dtype: DTypeLike = np.float64,
) -> tuple[NDArray[Any], Array, Array]:
    """Evaluate every broadcast (wx, wrec) pair in chunks of bounded memory."""
    wx_arr, wrec_arr = np.broadcast_arrays(
        np.asarray(wx, dtype=dtype), np.asarray(wrec, dtype=dtype)
    )
    shape = wx_arr.shape
    flat_wx = wx_arr.reshape(-1, 1)
    flat_wrec = wrec_arr.reshape(-1, 1)
    total = flat_wx.shape[0]
    x_arr = np.asarray(x, dtype=np.float64)
    chunk = max(1, min(total, _MAX_BUFFER_ELEMENTS // max(1, x_arr.size)))
    loss = np.empty(total, dtype=dtype)
    grads = np.full((total, 2), np.nan)
    unrolled: Unrolled | None = None
    with np.errstate(all="ignore"):
        for start in range(0, total, chunk):
            stop = min(total, start + chunk)
            if unrolled is None or unrolled.batch != stop - start:
                unrolled = Unrolled(
                    x_arr, y, activation, batch=stop - start, gradients=gradients, dtype=dtype
                )
            part_loss, part_grads = unrolled.evaluate(flat_wx[start:stop], flat_wrec[start:stop])
            loss[start:stop] = part_loss
            if gradients:
                grads[start:stop] = part_grads
    return loss.reshape(shape), grads[:, 0].reshape(shape), grads[:, 1].reshape(shape)


def loss_and_grads(
    wx: ArrayLike,
    wrec: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    activation: str = "identity",
) -> tuple[Array, Array, Array]:
    """Mean squared error and ``(dL/dwx, dL/dwrec)``, broadcasting over the weights.

    ``wx`` and ``wrec`` may be scalars or arrays of any (mutually broadcastable)
    shape; the results have that shape. Non-finite values propagate as NaN/inf
    without warnings.
    """
    return _evaluate_many(wx, wrec, x, y, activation, gradients=True)


def loss_only(
    wx: ArrayLike, wrec: ArrayLike, x: ArrayLike, y: ArrayLike, activation: str = "identity"
) -> Array:
    """The loss alone (forward pass only), broadcasting like :func:`loss_and_grads`."""
    loss: Array = _evaluate_many(wx, wrec, x, y, activation, gradients=False)[0]
    return loss


def complex_loss(
    wx: ArrayLike, wrec: ArrayLike, x: ArrayLike, y: ArrayLike, activation: str = "identity"
) -> NDArray[np.complex128]:
    """The loss at complex weights: the same forward pass in complex arithmetic.

    For an analytic activation (identity, sigmoid, tanh), Im L(w + ih) / h is dL/dw
    with no subtraction, so no cancellation (the complex-step derivative)."""
    loss: NDArray[np.complex128] = _evaluate_many(
        wx, wrec, x, y, activation, gradients=False, dtype=np.complex128
    )[0]
    return loss


@dataclass(frozen=True)
class Trace(SequenceShape):
    """Every number of one forward/backward pass of a single model.

    Per-timestep arrays have shape ``(N, T)``; column ``t - 1`` is timestep ``t``.
    """

    wx: float
    wrec: float
    activation: str
    x: Array  # x_t
    a: Array  # a_t = x_t*wx + s_{t-1}*wrec
    s: Array  # s_t = f(a_t) (s_T = a_T)
    s_prev: Array  # s_{t-1}
    fprime: Array  # f'(a_t) (1 at t = T, the linear output step)
    delta: Array  # delta_t = dL/da_t
    delta_x: Array  # delta_t * x_t
    delta_s_prev: Array  # delta_t * s_{t-1}
    target: Array  # y, shape (N,)
    prediction: Array  # y_hat = s_T, shape (N,)
    error: Array  # y_hat - y
    loss: float
    dwx: float
    dwrec: float

    @property
    def sample_dwx(self) -> Array:
        """Each sequence's share of dL/dwx: sum over t of delta_t * x_t."""
        result: Array = self.delta_x.sum(axis=1)
        return result

    @property
    def sample_dwrec(self) -> Array:
        """Each sequence's share of dL/dwrec: sum over t of delta_t * s_{t-1}."""
        result: Array = self.delta_s_prev.sum(axis=1)
        return result

    @property
    def squared_error(self) -> Array:
        result: Array = self.error * self.error
        return result

    @property
    def gradient_norm(self) -> float:
        return float(np.hypot(self.dwx, self.dwrec))


def trace(
    wx: float, wrec: float, x: ArrayLike, y: ArrayLike, activation: str = "identity"
) -> Trace:
    """Run one forward/backward pass for a single weight pair and keep every number."""
    unrolled = Unrolled(x, y, activation, batch=1)
    with np.errstate(all="ignore"):
        loss_arr, grads = unrolled.evaluate(
            np.full((1, 1), float(wx)), np.full((1, 1), float(wrec))
        )
        loss, dwx, dwrec = loss_arr.item(0), grads.item(0), grads.item(1)
        s = unrolled.s[0].T  # (N, T + 1); column 0 is s_0
        delta = unrolled.delta[0].T.copy()
        x_arr = unrolled.x
        s_prev = s[:, :-1].copy()
        return Trace(
            wx=float(wx),
            wrec=float(wrec),
            activation=unrolled.activation.name,
            x=x_arr.copy(),
            a=unrolled.pre_activations()[0].T.copy(),
            s=s[:, 1:].copy(),
            s_prev=s_prev,
            fprime=unrolled.fp[0].T.copy(),
            delta=delta,
            delta_x=delta * x_arr,
            delta_s_prev=delta * s_prev,
            target=unrolled.y.copy(),
            prediction=s[:, -1].copy(),
            error=unrolled.error[0].copy(),
            loss=loss,
            dwx=dwx,
            dwrec=dwrec,
        )
