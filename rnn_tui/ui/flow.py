"""The lesson's flow, in the App: what a key hands back and what it asks first.

Closing a view, loading a preset or leaving the parameter panel gives the keys
back to the unrolled table with its cursor in view (so ↑/↓ and shift+←/→ work at
once); a reset, a preset or quitting asks before throwing away work the run
controller says is unsaved; "go to epoch N" is one prompt.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.reactive import reactive
from textual.widget import Widget

from rnn_tui.engine import PRESETS, Trainer, format_value

from . import commands as cmd
from .controller import Outcome
from .layout import set_layout_classes
from .params.panel import ParameterPanel, key_of
from .screens.confirm import ConfirmScreen
from .screens.goto import GoToScreen
from .session import Session
from .session_actions import SessionActions
from .table.unrolled import UnrolledTable


def shown(widget: Widget) -> bool:
    """True when neither ``widget`` nor a container of it is hidden."""
    return all(node.display for node in (widget, *widget.ancestors) if isinstance(node, Widget))


class FlowActions(SessionActions):
    """Base of the App: confirmations, go to epoch, the parameter panel's enter and
    escape, the keys back to the table."""

    show_parameters: reactive[bool] = reactive(False, init=False)
    _last_field = "wx"  # `i` goes back to the field edited last

    def do(self, command: cmd.Command) -> Outcome:
        raise NotImplementedError

    # -- asking before work is lost --------------------------------------------------

    def ask_unless_safe(
        self,
        question: str,
        lost: str,
        then: Callable[[], object],
        cancelled: Callable[[], object] = lambda: None,
    ) -> None:
        """Do ``then`` now if nothing is ``lost``, else once the user says yes (closing
        the dialog gives the focus back to where it was)."""
        if not lost:
            then()
            return

        def answered(yes: bool | None) -> None:
            (then if yes else cancelled)()

        save = " (ctrl+s saves it first)" if self.served.allows_files else ""
        detail = f"This throws away {lost}{save}."
        self.push_screen(ConfirmScreen(question, detail), answered)

    def action_reset(self) -> None:
        lost = self.controller.unsaved(keep_config=True)
        self.ask_unless_safe("Reset to epoch 0?", lost, lambda: self.do(cmd.Reset()))

    def action_preset(self, number: int) -> None:
        names = list(PRESETS)
        if 1 <= number <= len(names):
            self.action_load_preset(names[number - 1])

    def action_load_preset(self, name: str) -> None:
        def load() -> None:
            self.do(cmd.LoadPreset(name))
            self.action_leave_parameters()  # chosen in the panel's picker: the table now

        def keep() -> None:
            self.query_one(ParameterPanel).show_config()  # the picker shows the run again

        self.ask_unless_safe(f"Load the preset {name}?", self.controller.unsaved(), load, keep)

    def _opened(self, trainer: Trainer, session: Session, where: str) -> None:
        """A session read and replayed replaces the run: ask first, as a preset does
        (a file that cannot be opened keeps the run and asks nothing)."""
        replace = super()._opened
        lost = self.controller.unsaved()
        kept = f"Kept the run; {where} not opened."
        self.ask_unless_safe(
            f"Open {where}?",
            lost,
            lambda: replace(trainer, session, where),
            lambda: self._tell(kept),
        )

    async def action_quit(self) -> None:
        self.ask_unless_safe("Quit rnn-tui?", self.controller.unsaved(), self.exit)

    def action_goto_epoch(self) -> None:
        run = self.controller
        prompt = GoToScreen(run.goto_command, run.trainer.head, run.config.epochs)
        self.push_screen(prompt, self._go)

    def _go(self, command: cmd.GoTo | None) -> None:
        if command is not None:
            self.do(command)
        self.focus_table()

    # -- the parameter panel -----------------------------------------------------------

    def apply_parameter(self, key: str, value: object) -> bool:
        """Apply a value from the panel now; taken, it hands the keys back to the table."""
        text = f"{key}={format_value(key, value)}"
        if self.do(cmd.ApplyConfig(text, field=key)).refused_field:
            return False
        self.action_leave_parameters()
        return True

    @on(ParameterPanel.Changed)
    def _apply_parameter(self, event: ParameterPanel.Changed) -> None:
        self.apply_parameter(event.key, event.value)

    @on(ParameterPanel.PresetChosen)
    def _choose_preset(self, event: ParameterPanel.PresetChosen) -> None:
        self.action_load_preset(event.name)

    async def action_edit_parameters(self) -> None:
        await self.query_one(ParameterPanel).make_fields()
        self.show_parameters = True
        self.call_after_refresh(self.query_one(f"#param-{self._last_field}").focus)

    def action_leave_parameters(self) -> None:
        if self.show_parameters or self.query_one(ParameterPanel).has_focus_within:
            field = key_of(self.focused) if self.focused else None
            self._last_field = field or self._last_field  # `i` comes back here
            self.show_parameters = False
            self.focus_table(leaving_panel=True)

    def watch_show_parameters(self, show: bool) -> None:
        # Only the narrow layout styles -show-params (wider, the panel is always shown).
        set_layout_classes(self.screen, {"-show-params": show})

    # -- the keys back to the table ----------------------------------------------------

    def focus_table(self, top: bool = False, *, leaving_panel: bool = False) -> None:
        """Focus the table with its cursor in view (``top``: on the first row, scrolled
        to the top: a new run); after this refresh, as a view or panel may be hiding.
        A parameter being typed keeps its field unless the panel is being left (in
        class mode a view or a run can change under a student's hands)."""
        table = self.query_one(UnrolledTable)
        if top:
            table.move_cursor(row=0, scroll=False)
        if not leaving_panel and self.query_one(ParameterPanel).has_focus_within:
            return
        # At once, so keys already on their way follow the new focus; the layout may
        # still change (a view opening or closing): look again after this refresh.
        # The table's own screen: a dialog on top keeps its focus (this is remembered
        # for when it closes), or its keys, escape included, would reach the table.
        table.screen.set_focus(table if shown(table) else None, scroll_visible=False)
        self.call_after_refresh(self._focus_table_now)

    def _focus_table_now(self) -> None:
        table = self.query_one(UnrolledTable)
        if not shown(table):
            # A big view has the body: no focus, so every key is the app's (← → home end
            # pgup pgdn move through epochs, as in the footer); tab reaches the view.
            table.screen.set_focus(None)
            return
        table.screen.set_focus(table, scroll_visible=False)
        if table.cursor_row == 0:
            table.scroll_home(animate=False, immediate=True)
        elif table.row_count:
            table.reveal(table.row_key(table.cursor_row))
