"""Maintenance watches: re-scan a page and its linked documents on an interval, alert on exposure.

parse.py   `/watch ...` text -> a request (pure)
store.py   watch records in the bot's store (absolute UTC times, per-document memory)
runner.py  runs due watches on a daemon thread; alerts, opens incidents, survives restarts
"""
