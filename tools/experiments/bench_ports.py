"""`tools/bench/bench.py` on other ports (the main session may use 16005/16006/16055): same arguments."""

import sys

from tools.bench import bench

# The machine is shared: a model can take more than 240 s to load under load.
OPTIONS = ["--ports", "17105,17106,17155", "--startup-timeout", "900"]

if __name__ == "__main__":
    sys.exit(bench.main([*OPTIONS, *sys.argv[1:]]))
