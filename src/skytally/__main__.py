"""`python -m skytally` runs the command line, as `skytally` does."""

from .cli import main

if __name__ == "__main__":
    main()
