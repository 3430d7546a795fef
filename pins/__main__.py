"""``python -m pins``: the ``pins`` command."""

from .cli import main

if __name__ == "__main__":
    main()
