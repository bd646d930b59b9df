"""The session-signing secret: from the environment or an owner-only file, never from the store."""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

MIN_LENGTH = 32
NOT_SET = (
    "未配置会话密钥，只能在本机 127.0.0.1 使用。/ No session secret configured: the dashboard serves 127.0.0.1 only.\n"
    "Set STREETS_SECRET_FILE to a file only its owner can read (chmod 600), or STREETS_SECRET_KEY "
    "(at least 32 characters); see docs/DEPLOY.md.\n"
)


class SecretError(RuntimeError):
    """The configured secret cannot be used (short, unreadable, or a file others may read)."""


@dataclass(frozen=True)
class Secret:
    """The key and whether it was configured (False: made up for this process alone, loopback only)."""

    key: str
    configured: bool


def load_secret(env: dict[str, str] | None = None) -> Secret:
    """STREETS_SECRET_KEY, else the contents of STREETS_SECRET_FILE, else a random key for this process only."""
    env = os.environ if env is None else env
    key = env.get("STREETS_SECRET_KEY", "")
    if key:
        if len(key) < MIN_LENGTH:
            raise SecretError(f"STREETS_SECRET_KEY 太短 / is too short: at least {MIN_LENGTH} characters")
        return Secret(key, True)
    path = env.get("STREETS_SECRET_FILE", "")
    if path:
        return Secret(read_secret_file(Path(path)), True)
    # Sessions then hold in this process only: fine for `python -m dashboard` on this machine.
    return Secret(secrets.token_hex(32), False)


def read_secret_file(path: Path) -> str:
    """The secret in path, refused unless the file is owned by this user and nobody else may read or write it."""
    try:
        st = path.stat()
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretError(f"会话密钥文件无法读取 / cannot read the secret file {path}: {exc.strerror}") from exc
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(
            f"会话密钥文件权限过宽 / the secret file {path} must belong to this user with mode 600 "
            f"(now {stat.filemode(st.st_mode)}): chmod 600 {path}"
        )
    if len(text) < MIN_LENGTH:
        raise SecretError(f"会话密钥太短 / the secret in {path} is too short: at least {MIN_LENGTH} characters")
    return text


def write_secret_file(path: Path) -> None:
    """A new random secret in path, created with mode 600 (refuses to overwrite)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(48) + "\n")
