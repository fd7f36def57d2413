"""The store interface, twice: TinyDB for one process (tinydb.py) and PostgreSQL for replicas
(postgres.py). bot/store.py picks one; nothing else imports these modules directly, but for the
move from one to the other (importing.py, run by `python -m bot store import`: cli.py)."""
