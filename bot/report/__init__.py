"""After the takedown: the exposure picture and the breach report, as pure renderers.

    facts.py      ExposureFacts: what the renderers know of an incident (the one adapter from the
                  incident's stored shape), and `published()` (first fetch or Last-Modified)
    timeline.py   timeline_png(facts, downloads) -> PNG bytes (matplotlib, headless Agg)
    breach.py     breach_report(facts, downloads, picture=...) -> Markdown, GDPR Art. 33(3) sections
"""
