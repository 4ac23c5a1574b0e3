"""A small process that starts the benchmarked processes and reports their time and peak memory.

On Linux a process's ru_maxrss (and so what wait4 reports for it) starts from the size of the
process that forked it, carried across exec: the children of a benchmark that has imported
hooklint and rendered charts in-process would all report its size. The launcher is forked
first, while the benchmark is still small, and forks every measured process itself.

Only the standard library is imported here, and nothing else before `Launcher.start()`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any


class Launcher:
    """The benchmark's end of the launcher: `run` sends a command and waits for its figures."""

    def __init__(self, pid: int, to_child: Any, from_child: Any) -> None:
        self.pid = pid
        self.to_child = to_child
        self.from_child = from_child

    @classmethod
    def start(cls) -> Launcher:
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the launcher
            os.close(down_w)
            os.close(up_r)
            try:
                _serve(os.fdopen(down_r, "r"), os.fdopen(up_w, "w"))
            finally:
                os._exit(0)
        os.close(down_r)
        os.close(up_w)
        return cls(pid, os.fdopen(down_w, "w"), os.fdopen(up_r, "r"))

    def run(self, args: list[str], env: dict[str, str], cwd: str) -> tuple[int, float, int, str]:
        """(exit code, wall seconds, peak RSS in kB, the end of stderr) of one process."""
        self.to_child.write(json.dumps({"args": args, "env": env, "cwd": cwd}) + "\n")
        self.to_child.flush()
        line = self.from_child.readline()
        if not line:
            raise RuntimeError("the benchmark's launcher process ended")
        answer = json.loads(line)
        return answer["code"], answer["seconds"], answer["rss_kb"], answer["stderr"]


def _serve(requests: Any, answers: Any) -> None:
    for line in requests:
        request = json.loads(line)
        t0 = time.perf_counter()
        proc = subprocess.Popen(request["args"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=request["env"], cwd=request["cwd"])
        assert proc.stderr is not None
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stderr.close()
        answers.write(json.dumps({
            "code": proc.returncode, "seconds": seconds, "rss_kb": usage.ru_maxrss,
            "stderr": stderr[-2000:].decode(errors="replace"),
        }) + "\n")
        answers.flush()
    sys.stdout.flush()
