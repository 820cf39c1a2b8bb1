"""Accounts: names, hashed passwords and roles."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from workbench.db.models import Role, User
from workbench.errors import BadInput

MIN_PASSWORD = 8
# a stand-in hash to check against when the name is unknown, so both cases take the same time
_ABSENT = generate_password_hash("absent-user-placeholder")


def _valid_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 80 or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise BadInput("a user name is 1 to 80 printable characters")
    return name


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise BadInput(f"unknown role {raw!r}; known: {', '.join(r.value for r in Role)}") from None


def add_user(session: Session, name: str, password: str, role: Role) -> User:
    name = _valid_name(name)
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"a password has at least {MIN_PASSWORD} characters")
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise BadInput(f"there is already a user {name!r}")
    user = User(name=name, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, name: str, password: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise BadInput(f"no user {name!r}")
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"a password has at least {MIN_PASSWORD} characters")
    user.password_hash = generate_password_hash(password)
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.name == name.strip(), User.active.is_(True))).first()
    if user is None:
        check_password_hash(_ABSENT, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def count_users(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)
