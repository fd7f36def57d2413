"""Who fetched a leaked file, from the web server's own access logs (`python -m bot downloads`).

    hit.py       Hit (one logged request) and the parsing helpers the formats share
    ncsa.py, w3c.py, s3.py, alb.py, jsonlines.py    one module per log format: line -> Hit | None
    stream.py    blocks of whole lines: mmap windows for plain files, bounded inflating for gzip
    reader.py    streams files and folders (gzip or plain), decides each file's format from its
                 content, parses only lines holding the path's bytes
    crawlers.py  known robots, archives and link previews by user agent (table: crawlers.json)
    tally.py     per-client counts; complete vs partial downloads once the size is known
    summary.py   downloads_report(logs, url, ...) -> the report dict (contract: docs/downloads.md)
    cli.py       the command line
"""
