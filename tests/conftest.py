import sys
from pathlib import Path

# tests import the project as installed, but also work from a plain checkout
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# the `web_server` fixture (a real HTTP server on 127.0.0.1): see tests/helpers/webserver.py
pytest_plugins = ["tests.helpers.webserver"]


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server on 127.0.0.1 for the session (tests/helpers/postgres.py); tests
    take a fresh database each with `postgres_server.new_database()`."""
    from tests.helpers.postgres import PostgresServer, unavailable

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    with PostgresServer() as server:
        yield server


@pytest.fixture
def postgres_replicas(postgres_server):
    """Two PostgreSQL stores (two pools, as two bot processes have) on one fresh database."""
    from bot.stores.postgres import PostgresStore

    url = postgres_server.new_database()
    stores = (PostgresStore(url), PostgresStore(url))
    try:
        yield stores
    finally:
        for store in stores:
            store.close()
