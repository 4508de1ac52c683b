"""What a student may ask for after `ssh ... class@host --`: a strict allow-list.

The SSH command line is the only thing a student controls before the app starts,
so it is parsed here, never by a shell: `--preset NAME` and `--config STR` (each
at most once, also as `--preset=NAME`), checked with the engine, and nothing else.
A dataset given as a file path is refused: over SSH the path would name a file on
the teacher's machine.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from ..engine import ConfigError
from ..engine.datasets import is_built_in
from ..experiment import UsageError, resolve_config

MAX_COMMAND_LENGTH = 1000
ALLOWED = "only --preset NAME and --config STR are allowed"


class RefusedArgs(ValueError):
    """A session command that is not allowed; the message is shown to the student."""


@dataclass(frozen=True)
class Experiment:
    """The preset and config string an app process starts with."""

    preset: str | None = None
    config: str | None = None

    def over(self, default: Experiment) -> Experiment:
        """Each option given here replaces the same option of `default`."""
        return Experiment(
            self.preset if self.preset is not None else default.preset,
            self.config if self.config is not None else default.config,
        )

    def argv(self) -> list[str]:
        args = [] if self.preset is None else ["--preset", self.preset]
        return args if self.config is None else [*args, "--config", self.config]


def check_experiment(experiment: Experiment, allow_files: bool = False) -> Experiment:
    """Refuse an unknown preset, a bad config string or (unless allowed) a data file."""
    try:
        config = resolve_config(experiment.preset, experiment.config)
    except UsageError as error:
        raise RefusedArgs(str(error)) from None
    except ConfigError as error:
        raise RefusedArgs(f"bad --config: {error}") from None
    if not allow_files and not is_built_in(config.data):  # an exact name, never a prefix
        raise RefusedArgs(
            f"data={config.data} is a file path; here only notebook, roelants "
            "and random:NxT are allowed"
        )
    return experiment


def parse_command(command: str | None) -> Experiment:
    """The experiment a session's command asks for (an empty one for a plain `ssh`)."""
    if not command or not command.strip():
        return Experiment()
    if len(command) > MAX_COMMAND_LENGTH:
        raise RefusedArgs(f"command longer than {MAX_COMMAND_LENGTH} characters; {ALLOWED}")
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise RefusedArgs(f"cannot read the command ({error}); {ALLOWED}") from None
    if words and words[0] in ("rnn-tui", "--"):
        words = words[1:]  # `ssh host rnn-tui --preset X` and a stray `--` mean the same
    values: dict[str, str] = {}
    while words:
        option, sep, value = words.pop(0).partition("=")
        if option not in ("--preset", "--config"):
            raise RefusedArgs(f"refused {option!r}: {ALLOWED}")
        if option in values:
            raise RefusedArgs(f"{option} given twice")
        if not sep:
            if not words:
                raise RefusedArgs(f"{option} needs a value")
            value = words.pop(0)
        values[option] = value
    return Experiment(values.get("--preset"), values.get("--config"))


def session_experiment(command: str | None, default: Experiment) -> Experiment:
    """The checked experiment for one session: the student's options over the server's."""
    return check_experiment(parse_command(command).over(default))
