"""Who must be told, without copying the leak (`python -m bot affected`).

    match.py   the organisation's own records -> the rows whose values carry the incident's keyed
               fingerprints (types matched per row, representative columns)
    cli.py     the command line: reads the incident's fingerprints from the bot's store, writes
               the notification list (and a list per lawyer/representative column), prints counts
"""
