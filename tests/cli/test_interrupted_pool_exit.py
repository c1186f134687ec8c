"""After Ctrl-C, Python 3.11 may fail to wake a process pool's manager at exit (a closed pipe: EBADF in
concurrent.futures); the batch says nothing of that, and still reports every other error at exit."""

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import errno, sys, threading
    from engine.cli.batch import _quiet_pool_exit
    code = compile("def fail():\\n    raise {error}\\n", "{where}", "exec")
    ns = {{"errno": errno}}
    exec(code, ns)
    threading._register_atexit(ns["fail"])  # runs at interpreter exit, as the pool's wake-up does
    sys.unraisablehook = _quiet_pool_exit
    print("interrupted")
    """
)


def _exit_output(error: str, where: str) -> str:
    script = SCRIPT.format(error=error, where=where)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "interrupted\n"
    return done.stderr


def test_the_pools_closed_pipe_at_exit_is_not_shown():
    assert _exit_output("OSError(errno.EBADF, 'Bad file descriptor')", "/py/concurrent/futures/process.py") == ""


@pytest.mark.parametrize(
    ("error", "where"),
    [
        ("OSError(errno.EBADF, 'Bad file descriptor')", "/site/engine/population/output.py"),  # not the pool's
        ("OSError(errno.ENOSPC, 'No space left on device')", "/py/concurrent/futures/process.py"),  # not EBADF
    ],
)
def test_any_other_error_at_exit_is_still_shown(error, where):
    assert "Traceback" in _exit_output(error, where)
