"""How to run a program with no network at all, for the offline tests (R14, the bundle).

``unshare -n`` gives the program a new network namespace without even a loopback. As root that
works also inside a chroot, where ``unshare -rn`` (a user namespace as well, for ordinary users)
is refused; so root tries ``-n`` first. When neither works the reason names the command that
failed and what it said.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def no_network() -> tuple[list[str], str]:
    """``(prefix, "")`` to put before a command line, or ``([], reason)`` when impossible."""
    if not sys.platform.startswith("linux"):
        return [], "network namespaces are Linux only"
    if shutil.which("unshare") is None:
        return [], "unshare(1) is not installed (Debian package util-linux)"
    tries = [["unshare", "-n"]] if os.geteuid() == 0 else []
    tries.append(["unshare", "-rn"])
    failures = []
    for prefix in tries:
        try:
            res = subprocess.run([*prefix, "true"], capture_output=True, text=True, timeout=30,
                                 check=False)
        except OSError as exc:
            failures.append(f"'{' '.join(prefix)}' did not start: {exc}")
            continue
        if res.returncode == 0:
            return prefix, ""
        failures.append(f"'{' '.join(prefix)}' failed: "
                        f"{res.stderr.strip() or f'exit status {res.returncode}'}")
    if os.geteuid() != 0:
        failures.append("(not root, so 'unshare -n' was not tried)")
    return [], "; ".join(failures)
