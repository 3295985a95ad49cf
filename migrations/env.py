"""Alembic environment. The app passes an open connection in ``config.attributes['connection']``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import station_app.models  # noqa: F401  (registers every table on the metadata)
from station_app.db.base import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,
        compare_type=True,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Developer use (``alembic -x url=... revision --autogenerate``): build an engine from the URL.
    from station_app.db.engine import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic: pass -x url=sqlite:///path/to/db")
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
