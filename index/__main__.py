"""`python -m index`: the admin CLI."""

from index.cli import cli

if __name__ == "__main__":
    cli(prog_name="python -m index")
