"""The notebook's own lines: where each number of the table is computed in the
notebook the app teaches (cell In[8], identity; cell In[15], sigmoid)."""

from __future__ import annotations


def notebook_line(column: str, t: int, steps: int, activation: str) -> str:
    """The notebook line that computes the same number, when the run is shaped like the
    notebook's (T = 3, identity in In[8] or sigmoid in In[15]); '' otherwise."""
    if steps not in (0, 3) or activation not in ("identity", "sigmoid"):
        return ""
    lines = _NOTEBOOK_LINEAR if activation == "identity" else _NOTEBOOK_SIGMOID
    line = lines.get(column, "")
    if not line or (column == "fprime" and t == 3):
        return ""
    if column in ("delta", "s") and t == 3:
        line = lines[f"{column}_out"]
    return line.format(t=t, k=t - 1, after=t + 1)


# Cell In[8] (identity): states[:, t] is s_t and grad_over_time[:, t] is delta_t.
_NOTEBOOK_LINEAR = {
    "a": "In[8] layer_{t} = x[:,{k}] * wx + states[:,{k}] * wrec",
    "s": "In[8] states[:,{t}] = layer_{t}",
    "s_out": "In[8] states[:,3] = layer_3",
    "delta_out": "In[8] grad_out = (states[:,3] - np.squeeze(y)) * 2 / number_of_training_data",
    "delta": "In[8] grad_over_time[:,{t}] = grad_over_time[:,{after}] * wrec",
    "delta_x": "In[8] grad_wx term grad_over_time[:,{t}] * x[:,{k}]",
    "delta_s_prev": "In[8] grad_rec term grad_over_time[:,{t}] * states[:,{k}]",
    "prediction": "In[8] print(..., layer_3) every 1000 epochs; its [1. 2. 3.] at epoch 0 "
    "comes from weights an earlier run had trained (cells In[6] → In[8]); fresh weights give "
    "[0.45 0.75 0.95]",
    "loss": "In[8] cost = np.square(states[:,3] - y).sum() / number_of_training_data "
    "(y is (3, 1): this broadcasts to 3×3; computed, never printed)",
    "dwx": "In[8] grad_wx = np.sum(grad_over_time[:,3] * x[:,2] + ...)",
    "dwrec": "In[8] grad_rec = np.sum(grad_over_time[:,3] * states[:,2] + ...)",
    "wx": "In[8] wx = wx - learning_rate_x * grad_wx",
    "wrec": "In[8] wrec = wrec - learning_rate_rec * grad_rec",
}

# Cell In[15] (sigmoid): state[:, t] is s_t and grad_over_time[:, t-1] is delta_t.
_NOTEBOOK_SIGMOID = {
    "a": "In[15] state_{t}_in = state[:,{k}]*wrec + x[:,{k}]*wx",
    "s": "In[15] state_{t}_out = log(state_{t}_in)",
    "s_out": "In[15] state[:,3] = state_3_in",
    "fprime": "In[15] d_log(state_{t}_in)",
    "delta_out": "In[15] grad_over_time[:,2] = (state[:,3] - np.squeeze(y)) * (2/len(x))",
    "delta": "In[15] grad_over_time[:,{k}] = grad_over_time[:,{t}] * wrec * d_log(state_{t}_in)",
    "delta_x": "In[15] grad_wx term grad_over_time[:,{k}]*x[:,{k}]",
    "delta_s_prev": "In[15] grad_wrec term grad_over_time[:,{k}]*state[:,{k}]",
    "prediction": "In[15] state[:,3] = state_3_in",
    "loss": "In[15] cost = np.square(state[:,3] - np.squeeze(y)).sum() / len(x)",
    "dwx": "In[15] grad_wx = np.sum(grad_over_time[:,2]*x[:,2] + ...)",
    "dwrec": "In[15] grad_wrec = np.sum(grad_over_time[:,2]*state[:,2] + ...)",
    "wx": "In[15] wx = wx - lr_wx * grad_wx",
    "wrec": "In[15] wrec = wrec - lr_wrec * grad_wrec",
}
