"""`tools/bench/bench.py` on other ports (the main session may use 16005/16006/16055): same arguments."""

import sys

from tests import servers
from tools.bench import bench

# The machine is shared: a model can take more than 240 s to load under load.
servers.STARTUP_TIMEOUT_S = 900

bench.RASA_PORTS = {"ours": 17105, "stock": 17106}
bench.ACTION_PORT = 17155

if __name__ == "__main__":
    sys.exit(bench.main(sys.argv[1:]))
