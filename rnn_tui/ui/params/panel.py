"""The parameter panel: every config key, editable in place.

Enter applies a value. The panel checks it with the engine's own parser and
refuses a bad one where it was typed, with the reason, leaving the old value in
force; good values go to the app as :class:`ParameterPanel.Changed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.events import DescendantFocus
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from rnn_tui.engine import (
    ACTIVATIONS,
    KEYS,
    OPTIMIZER_NAMES,
    PRESETS,
    RESET_KEYS,
    Config,
    ConfigError,
    format_value,
    key_allowed,
    key_help,
    parse_value,
)

CHOICES: dict[str, tuple[str, ...]] = {
    "activation": tuple(ACTIVATIONS),
    "optimizer": tuple(OPTIMIZER_NAMES),
}
# Which settings each update rule reads; the others are dimmed in the panel.
OPTIMIZER_KEYS: dict[str, frozenset[str]] = {
    "gd": frozenset({"lr_wx", "lr_wrec"}),
    "momentum": frozenset({"lr_wx", "lr_wrec", "momentum"}),
    "adam": frozenset({"lr_wx", "lr_wrec", "beta1", "beta2", "eps"}),
    "rprop": frozenset({"eta_plus", "eta_minus", "step0"}),
}
RULE_KEYS = frozenset().union(*OPTIMIZER_KEYS.values())
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Start · a change restarts", tuple(k for k in KEYS if k in RESET_KEYS)),
    ("Training · a change continues", tuple(k for k in KEYS if k not in RESET_KEYS)),
)


def unused_keys(config: Config) -> frozenset[str]:
    return RULE_KEYS - OPTIMIZER_KEYS.get(config.optimizer, RULE_KEYS)


class ShownRun(Protocol):
    """Where the panel reads the config and preset in force (the run controller)."""

    @property
    def config(self) -> Config: ...

    @property
    def preset(self) -> str | None: ...


def key_of(widget: Widget) -> str | None:
    """The config key of a parameter editor, from its id ``param-<key>``."""
    if widget.id and widget.id.startswith("param-"):
        return widget.id.removeprefix("param-")
    return None


# Applies a parsed value now; False when the run refused it (the panel shows why).
Apply = Callable[[str, Any], bool]


class FieldInput(Input):
    """One parameter's editor. Enter is handled here, in the order the keys came: a
    value that is taken gives the focus away at once, so keys typed right after enter
    (one burst over SSH or tmux: "norm:1", enter, r) reach the app's bindings, not the
    field."""

    async def _on_key(self, event: events.Key) -> None:
        # Not has_focus: that follows a Blur event, still queued behind this key.
        if self.screen.focused is not self:  # typed after enter gave the focus away
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))  # as if new
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.query_ancestor(ParameterPanel).submit(self)
            return
        await super()._on_key(event)


class ParameterPanel(VerticalScroll):
    @dataclass
    class Changed(Message):
        """A parameter the engine's parser accepted; the app applies it."""

        key: str
        value: Any

    @dataclass
    class PresetChosen(Message):
        name: str

    def __init__(
        self,
        run: ShownRun,
        *,
        apply: Apply | None = None,
        deferred: bool = False,
        id: str | None = "params",
    ) -> None:
        super().__init__(id=id)
        self.border_title = "Parameters"
        self._run = run  # read, never copied: the panel shows what the run says
        self._apply = apply  # None: good values go out as Changed messages
        # Hidden at the start (a narrow screen), the fields are made when first needed:
        # they are most of the app's widgets, 0.08 s of a 0.2 s start.
        self.deferred = deferred

    async def make_fields(self) -> None:
        """Make the fields of a deferred panel (before it is shown or focused)."""
        if self.deferred:
            self.deferred = False
            await self.recompose()

    def on_show(self) -> None:
        if self.deferred:  # shown another way: the screen widened past narrow
            self.call_later(self.make_fields)

    def compose(self) -> ComposeResult:
        if self.deferred:
            return
        options = [(f"{name}", name) for name in PRESETS]
        yield Label("Preset", classes="group")
        yield Select(
            options,
            value=self._run.preset if self._run.preset in PRESETS else Select.NULL,
            prompt="custom",
            compact=True,
            id="preset",
        )
        for title, keys in GROUPS:
            yield Label(title, classes="group")
            for key in keys:
                yield from self._field(key)
        yield Static("", id="hint")

    def _field(self, key: str) -> ComposeResult:
        """One row: the key and its editor. The line with why a value was refused is
        mounted below it on the first refusal: ~20 fewer widgets to mount and lay out."""
        value = getattr(self._run.config, key)
        unused = " -unused" if key in unused_keys(self._run.config) else ""
        with Horizontal(classes=f"field{unused}", id=f"field-{key}"):
            yield Label(key, classes="name").with_tooltip(key_help(key))
            if key in CHOICES:
                yield Select(
                    [(c, c) for c in CHOICES[key]],
                    value=value,
                    allow_blank=False,
                    compact=True,
                    id=f"param-{key}",
                )
            else:
                yield FieldInput(format_value(key, value), compact=True, id=f"param-{key}")

    # -- showing the config ---------------------------------------------------------

    def show_config(self) -> None:
        """Show the run's config in every field (after a change, a preset or a session)."""
        if self.deferred:
            return  # the fields are made from the run's config when they are made
        config, preset = self._run.config, self._run.preset
        for key in KEYS:
            editor = self.query_one(f"#param-{key}")
            if isinstance(editor, Select):
                with editor.prevent(Select.Changed):
                    editor.value = getattr(config, key)
            elif isinstance(editor, Input) and not editor.has_focus:
                editor.value = format_value(key, getattr(config, key))
        chooser = self.query_one("#preset", Select)
        with chooser.prevent(Select.Changed):
            chooser.value = preset if preset in PRESETS else Select.NULL
        self._mark_unused()

    def _mark_unused(self) -> None:
        unused = unused_keys(self._run.config)
        for key in RULE_KEYS:
            self.query_one(f"#field-{key}").set_class(key in unused, "-unused")

    def refuse(self, key: str, reason: str) -> None:
        """Show why ``key`` was refused under its field and put back the old value."""
        if self.deferred:
            return  # no field typed in: the notice line says why
        # Text, not a str: the reason may quote what the student typed ("[", "[@click=…]").
        self._error_line(key).update(Text(f"✗ {reason}"))
        self.query_one(f"#field-{key}").add_class("-refused")
        editor = self.query_one(f"#param-{key}")
        if isinstance(editor, Input):
            editor.value = format_value(key, getattr(self._run.config, key))

    def clear_refusal(self, key: str) -> None:
        self.query_one(f"#field-{key}").remove_class("-refused")
        for line in self.query(f"#error-{key}").results(Static):
            line.update("")
            line.remove_class("-refused")

    def error_text(self, key: str) -> str:
        lines = self.query(f"#error-{key}").results(Static)
        return "".join(str(line.content) for line in lines)

    def _error_line(self, key: str) -> Static:
        """The line under ``key``'s field that says why a value was refused (shown)."""
        found = self.query(f"#error-{key}").results(Static)
        line = next(found, None)
        if line is None:
            line = Static("", classes="error", id=f"error-{key}")
            self.mount(line, after=self.query_one(f"#field-{key}"))
        line.add_class("-refused")
        return line

    # -- editing --------------------------------------------------------------------

    def submit(self, editor: Input) -> bool:
        """Apply ``editor``'s value (enter); False if it was refused, in place."""
        key = key_of(editor)
        if key is None:
            return False
        try:
            value = parse_value(key, editor.value)
        except ConfigError as error:
            self.refuse(key, error.reason)
            return False
        self.clear_refusal(key)
        if self._apply is None:
            self.post_message(self.Changed(key, value))
            return True
        return self._apply(key, value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """A submit that did not come from the enter key (FieldInput takes that itself)."""
        if key_of(event.input) is not None:
            event.stop()
            self.submit(event.input)

    @on(Input.Blurred)
    def _forget_unapplied(self, event: Input.Blurred) -> None:
        """Leaving a field without enter keeps the value in force, visibly."""
        key = key_of(event.input)
        if key is not None:
            event.input.value = format_value(key, getattr(self._run.config, key))

    @on(Select.Changed)
    def _choose(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "preset":
            # Select also reports its first value when mounted: only a new choice counts.
            if isinstance(event.value, str) and event.value != self._run.preset:
                self.post_message(self.PresetChosen(event.value))
            return
        key = key_of(event.select)
        unchanged = key is not None and event.value == getattr(self._run.config, key)
        if key is not None and isinstance(event.value, str) and not unchanged:
            self.post_message(self.Changed(key, event.value))

    @on(DescendantFocus)
    def _explain_field(self, event: DescendantFocus) -> None:
        key = key_of(event.widget)
        hint = self.query_one("#hint", Static)
        if key is None:
            hint.update(Text("enter applies · tab next field · escape back to the table"))
            return
        restart = (
            "restarts at epoch 0" if key in RESET_KEYS else "continues from the current weights"
        )
        hint.update(Text(f"{key}: {key_help(key)}; {key_allowed(key)}. Changing it {restart}."))
