"""The local workspace: the Slack Web API stand-in that ships in the product (`standin.py`,
`slack_methods.py`), used by `python -m bot` when no Slack settings are present and by the tests."""
