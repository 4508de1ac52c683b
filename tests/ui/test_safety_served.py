"""Issue 8: a served app (RNN_TUI_SERVED=ssh|web) touches no file and no clipboard.

Its actions are an allow-list checked where every binding, ``@click`` link and palette
key command passes (``App.run_action``); the file and clipboard methods refuse too; the
session dialog says saving is off and offers only the teacher's shared sessions, by name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Select, Static

from rnn_tui.engine import PRESETS
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.help import HelpScreen
from rnn_tui.ui.screens.session import SessionRequest
from rnn_tui.ui.served import (
    FILE_ACTIONS,
    SERVED_ACTIONS,
    SERVED_REFUSAL,
    ServedPolicy,
)
from rnn_tui.ui.session import Session

from .safety import shown_text


def test_the_policy_comes_from_the_server_environment(tmp_path: Path) -> None:
    assert not ServedPolicy.from_env({}).served
    local = ServedPolicy.from_env({"RNN_TUI_SESSIONS_DIR": str(tmp_path)})
    assert local.sessions_dir is None and local.allows_files
    web = ServedPolicy.from_env({"RNN_TUI_SERVED": "web", "RNN_TUI_SESSIONS_DIR": str(tmp_path)})
    assert web.mode == "web" and web.sessions_dir == tmp_path and not web.allows_files
    assert ServedPolicy.from_env({"RNN_TUI_SERVED": "anything"}).served  # fails closed


@pytest.mark.parametrize(
    "action",
    ["screenshot", "copy", "cut", "copy_text", "notify", "simulate_key", "push_screen",
     "switch_mode", "suspend_process", "add_class", "open_url", "deliver_screenshot"],
)  # fmt: skip
def test_served_refuses_what_is_not_on_the_list(action: str) -> None:
    assert not ServedPolicy("ssh").allows_action(action)
    assert ServedPolicy().allows_action(action)


def test_served_palette_loads_presets_but_copies_nothing() -> None:
    served = ServedPolicy("ssh")
    assert served.allows_action("load_preset")  # the palette's "Preset: NAME" entries
    assert not served.allows_action("copy_config")  # the clipboard


def test_saving_is_refused_and_open_only_by_name(tmp_path: Path) -> None:
    served = ServedPolicy("ssh")
    for action in ("save", "csv", "svg", "copy", "open"):
        assert not served.allows_session_action(action)
    assert ServedPolicy("web", tmp_path).allows_session_action("open")
    assert not ServedPolicy("web", tmp_path).allows_session_action("save")


def bound_actions(node: Widget | RnnTuiApp) -> set[str]:
    names: set[str] = set()
    for each in (node, *node.walk_children(with_self=False)):
        for bindings in each._bindings.key_to_bindings.values():
            names.update(b.action.split("(")[0].split(".")[-1] for b in bindings)
    return names


async def test_a_served_app_writes_no_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "lesson.json").write_text(Session(((0, "wx=0.2,wrec=1.5,epochs=100"),), 3).to_json())
    victim = tmp_path / "victim.txt"
    victim.write_text("the teacher's notes")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RNN_TUI_SERVED", "ssh")
    monkeypatch.setenv("RNN_TUI_SESSIONS_DIR", str(shared))
    app = RnnTuiApp(PRESETS["seed-linear"].config, "seed-linear")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # What a markup slip would run, through the one gate every action passes.
        screenshot = f"app.screenshot('victim.txt', '{tmp_path}')"
        assert not await app.run_action(screenshot)
        assert not await app.run_action("screen.copy_text")
        assert not await app.run_action("app.x[/]")  # the refusal toast shows its name literally
        assert await app.run_action("step(2)") and app.trainer.epoch == 2
        # Direct calls (Textual's palette "Screenshot", Input's copy) refuse too.
        assert app.deliver_screenshot("victim.txt", str(tmp_path)) is None
        app.copy_to_clipboard("x")
        assert app.clipboard == ""
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" in titles
        # The session requests the dialog could send, had it offered them.
        for action in ("save", "csv", "svg", "copy"):
            app._session_request(SessionRequest(action, str(victim)))  # type: ignore[arg-type]
            await pilot.pause()
            assert SERVED_REFUSAL in str(app.query_one("#notice").content)
        # Every key bound anywhere is either allowed or known to touch files.
        bound = bound_actions(app)
        await app.push_screen(HelpScreen(None))
        await pilot.pause()
        bound |= bound_actions(app.screen)
        app.pop_screen()
        app.action_command_palette()
        await pilot.pause()
        bound |= bound_actions(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        # The dialog: a clear line, no path fields, the teacher's sessions by name.
        await pilot.press("ctrl+s")
        await pilot.pause()
        bound |= bound_actions(app.screen)
        assert shown_text(app.screen.query_one("#served-line", Static)) == SERVED_REFUSAL
        assert not app.screen.query("Input")
        assert app.screen.query_one("#shared-session", Select).value == "lesson.json"
        await pilot.click("#open-shared")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("y")  # the run at epoch 2 would be lost: it asks first
        assert "Opened lesson.json at epoch 3" in str(app.query_one("#notice").content)
        # A path sent instead of a name reads nothing and says nothing of the path.
        app._session_request(SessionRequest("open", "/etc/passwd"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no shared session" in str(app.query_one("#notice").content)
        assert app.is_running
    assert bound - SERVED_ACTIONS <= FILE_ACTIONS, bound - SERVED_ACTIONS - FILE_ACTIONS
    assert victim.read_text() == "the teacher's notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared", "victim.txt"]
