"""The App's file and clipboard work: save or open a session, export the history
(CSV) or the screen (SVG), copy the config string. Each says what it did in the
notice line; nothing here raises into the UI."""

from __future__ import annotations

from pathlib import Path

from textual import work

from rnn_tui.engine import DataError, Trainer

from .action_guard import ActionGuard
from .controller import NoticeKind, Outcome, RunController
from .exports import export_folder, resolve, self_contained_svg
from .formatting import fmt_count
from .screens.session import SessionRequest, SessionScreen
from .served import SERVED_REFUSAL
from .session import Session, SessionError, history_csv, write_atomic
from .session_files import read_session


class SessionActions(ActionGuard):
    """Base of the App: the actions behind ctrl+s / ctrl+o and the palette's copy."""

    controller: RunController

    def show_outcome(self, outcome: Outcome) -> Outcome:
        raise NotImplementedError

    def _tell(self, text: str, kind: NoticeKind = "info") -> None:
        self.show_outcome(self.controller.say(text, kind))

    def action_session(self, mode: str) -> None:
        trainer = self.controller.trainer
        screen = SessionScreen(
            str(trainer.config), trainer.epoch, "open" if mode == "open" else "save", self.served
        )
        self.push_screen(screen, self._session_request)

    def _session_request(self, request: SessionRequest | None) -> None:
        if request is None:
            return
        if not self.served.allows_session_action(request.action):
            self._tell(SERVED_REFUSAL, "warning")
            return
        run = self.controller
        path = Path(request.path)  # served: a shared session's name, nothing on disk made
        if request.action != "copy" and not self.served.served:
            try:  # a bare name goes to the stated exports folder, not the current directory
                path = resolve(request.path)
            except OSError as error:
                folder = export_folder()
                self._tell(f"Could not create {folder}: {error.strerror or error}", "error")
                return
        try:
            if request.action == "save":
                session = Session.of(run.trainer, run.preset, run.sample)
                written = write_atomic(path, session.to_json())
                run.mark_saved()  # quitting now loses nothing: no question
                self._tell(
                    f"Saved the session (epoch {fmt_count(run.trainer.epoch)}) to {written}.", "ok"
                )
            elif request.action == "csv":
                written = write_atomic(path, history_csv(run.trainer))
                epochs = fmt_count(len(run.trainer.history))
                self._tell(f"Exported {epochs} epochs to {written}.", "ok")
            elif request.action == "svg":
                self.call_after_refresh(self._export_svg, path)
            elif request.action == "copy":
                self.action_copy_config()
            else:
                run.runner.pause()
                where = request.path if self.served.served else str(path)  # served: a name
                self._tell(f"Opening {where} …")
                self.open_session(where)
        except OSError as error:
            self._tell(f"Could not write {path}: {error.strerror or error}", "error")

    def action_copy_config(self) -> None:
        config = self.controller.trainer.config
        self.copy_to_clipboard(str(config))
        self._tell(f"Copied to the clipboard: {config}", "ok")

    def _export_svg(self, path: Path) -> None:
        try:
            svg = self_contained_svg(self.export_screenshot(title="rnn-tui"))
            written = write_atomic(path, svg)
        except OSError as error:
            self._tell(f"Could not write {path}: {error.strerror or error}", "error")
            return
        self._tell(f"Saved the screen to {written}.", "ok")

    @work(thread=True, exclusive=True, group="session")
    def open_session(self, where: str) -> None:
        """Read and replay a session off the UI thread; the old run stays until it is ready.

        ``where`` is a path, or when served the name of a session the teacher shares."""
        try:
            session = Session.from_json(read_session(where, self.served.sessions_dir))
            trainer = session.build()
        except (OSError, SessionError, DataError) as error:
            self.call_from_thread(self._tell, f"Could not open {where}: {error}", "error")
            return
        self.call_from_thread(self._opened, trainer, session, where)

    def _opened(self, trainer: Trainer, session: Session, where: str) -> None:
        self.show_outcome(self.controller.adopt(trainer, session.preset, session.sample))
        self._tell(f"Opened {where} at epoch {fmt_count(trainer.epoch)}.", "ok")
