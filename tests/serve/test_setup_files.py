"""Start-up checks of the files a teacher hands `rnn-tui serve`: each bad one gets one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest

from rnn_tui.serve.auth import AuthSetupError, build_policy, read_password
from rnn_tui.serve.hostkey import HostKeyError, load_or_create


def test_password_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "pw"
    file.write_text("secret\n")
    file.chmod(0o666)
    with pytest.raises(AuthSetupError, match="chmod 600"):
        read_password("UNSET_PASSWORD_ENV", file)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_password_file_that_is_a_device_is_refused_at_once(device: str) -> None:
    with pytest.raises(AuthSetupError, match="not a regular file"):
        read_password("UNSET_PASSWORD_ENV", Path(device))


def test_password_file_that_is_a_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pw"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(AuthSetupError, match="not a regular file"):
        read_password("UNSET_PASSWORD_ENV", fifo)


def test_huge_password_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "pw"
    with file.open("wb") as out:
        out.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    file.chmod(0o600)
    with pytest.raises(AuthSetupError, match="too big"):
        read_password("UNSET_PASSWORD_ENV", file)


@pytest.mark.parametrize("content", ["garbage\n", "", "ssh-ed25519 notbase64 x\n"])
def test_garbage_authorized_keys_is_refused(tmp_path: Path, content: str) -> None:
    keys = tmp_path / "authorized_keys"
    keys.write_text(content)
    with pytest.raises(AuthSetupError, match="no usable key"):
        build_policy("127.0.0.1", keys, None, no_auth=False)


def test_valid_authorized_keys_are_accepted(tmp_path: Path) -> None:
    keys = tmp_path / "authorized_keys"
    keys.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    assert build_policy("127.0.0.1", keys, None, no_auth=False).authorized_keys == keys


def test_host_key_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "host"
    key = load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert Path(f"{path}.pub").read_bytes() == key.export_public_key()
    assert load_or_create(path).export_public_key() == key.export_public_key()


def test_planted_pub_symlink_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "teachers-notes.txt"
    victim.write_text("precious")
    path = tmp_path / "host"
    Path(f"{path}.pub").symlink_to(victim)
    with pytest.raises(HostKeyError, match="already exists"):
        load_or_create(path)
    assert victim.read_text() == "precious"


def test_host_key_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    load_or_create(real)
    link = tmp_path / "host"
    link.symlink_to(real)
    with pytest.raises(HostKeyError, match="cannot read host key"):
        load_or_create(link)


def test_host_key_open_to_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "host"
    load_or_create(path)
    path.chmod(0o620)
    with pytest.raises(HostKeyError, match="chmod 600"):
        load_or_create(path)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_host_key_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "host"
    load_or_create(path)
    os.chown(path, 65534, -1)
    with pytest.raises(HostKeyError, match="another user"):
        load_or_create(path)


def test_host_key_owner_check_without_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal, seen from a server that runs as some other uid."""
    path = tmp_path / "host"
    load_or_create(path)
    monkeypatch.setattr(os, "geteuid", lambda: path.stat().st_uid + 1)
    with pytest.raises(HostKeyError, match="another user"):
        load_or_create(path)


def test_serve_command_says_one_line_for_a_bad_password_file(tmp_path: Path) -> None:
    file = tmp_path / "pw"
    file.write_text("secret\n")
    file.chmod(0o644)
    result = subprocess.run(
        [sys.executable, "-m", "rnn_tui", "serve", "--password-file", str(file),
         "--host-key", str(tmp_path / "host")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "chmod 600" in result.stderr


def test_serve_refuses_a_default_beyond_the_served_limits(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rnn_tui", "serve", "--no-auth", "--max-epochs", "1000",
         "--config", "epochs=2000", "--host-key", str(tmp_path / "host")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "at most 1,000 epochs in a served session" in result.stderr


def test_soft_file_limit_is_raised_to_the_hard_limit() -> None:
    code = (
        "import resource\n"
        "from rnn_tui.serve.commands import raise_file_limit\n"
        "_, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))\n"
        "print(raise_file_limit() == hard == resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr
