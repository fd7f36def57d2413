"""`python -m bot` runs the Slack bot; `python -m bot scan ...` is the command-line scanner."""

import sys


def _main() -> int:
    if sys.argv[1:2] == ["scan"]:
        from bot.cli import main

        return main(sys.argv[2:])
    from bot.server import main

    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(_main())
