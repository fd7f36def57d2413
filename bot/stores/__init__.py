"""The store interface, twice: TinyDB for one process (tinydb.py) and PostgreSQL for replicas
(postgres.py). bot/store.py picks one; nothing else imports these modules directly."""
