"""`python -m tests.replay`: the older name of `python -m linekit.replay` (same CLI, same output).

People, the Makefile and the checks run it under this name; the replay itself lives in
`linekit.replay`.
"""

import sys

from linekit.replay import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m tests.replay"))
