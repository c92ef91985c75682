"""Who may change a workspace: an editor passphrase, kept only as a slow hash (scrypt).

A workspace without a passphrase may be changed by anyone who can open the app (the default
on one laptop in a workshop). With one, visitors only view; whoever gives the passphrase edits
and sees the personal columns (contacts). The passphrase itself is never stored, logged or
shown: scrypt with a random salt makes each guess costly (about 50 ms and 16 MB here), so a
copied database does not give the passphrase away.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from vawmap.messages import message
from vawmap.store.workspaces import StoreError, _workspace

# scrypt's cost: n = 2**14, r = 8 (16 MB of memory per guess), p = 1, as recommended for
# interactive logins (RFC 7914 §2; OWASP's password storage cheat sheet).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
MINIMUM_LENGTH = 8
_SCHEME = "scrypt"


def hash_passphrase(passphrase: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """'scrypt$n$r$p$salt$key', salt and key in base64: everything needed to check a guess later."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(passphrase, salt, n, r, p)
    return "$".join([_SCHEME, str(n), str(r), str(p), _b64(salt), _b64(key)])


def passphrase_matches(stored: str, guess: str) -> bool:
    """True when `guess` is the passphrase `stored` was made from (compared in constant time)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != _SCHEME:
            return False
        derived = _derive(guess, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(derived, base64.b64decode(key))
    except (ValueError, TypeError):
        return False  # a damaged hash lets nobody in rather than everybody


def set_passphrase(engine: Engine, workspace: str, passphrase: str | None) -> None:
    """Give the workspace an editor passphrase, or remove it (None)."""
    if passphrase is not None and len(passphrase) < MINIMUM_LENGTH:
        raise StoreError(message("store.passphrase_short", minimum=MINIMUM_LENGTH))
    stored = hash_passphrase(passphrase) if passphrase is not None else None
    with Session(engine) as session:
        _workspace(session, workspace).editor_passphrase = stored
        session.commit()


def needs_passphrase(engine: Engine, workspace: str) -> bool:
    with Session(engine) as session:
        return _workspace(session, workspace).editor_passphrase is not None


def may_edit(engine: Engine, workspace: str, passphrase: str | None) -> bool:
    """Whether someone who gave `passphrase` (None: gave nothing) may change the workspace."""
    with Session(engine) as session:
        stored = _workspace(session, workspace).editor_passphrase
    if stored is None:
        return True
    return passphrase is not None and passphrase_matches(stored, passphrase)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=KEY_BYTES
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
