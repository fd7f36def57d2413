"""`python -m bot` runs the Slack bot; `python -m bot scan ...` runs the scanner command line."""

import sys


def main() -> int:
    if sys.argv[1:2] == ["scan"]:
        from dotenv import load_dotenv

        load_dotenv(override=False)
        from bot.cli import main as scan_main

        return scan_main(sys.argv[2:])
    from bot.server import main as serve

    return serve()


if __name__ == "__main__":
    sys.exit(main())
