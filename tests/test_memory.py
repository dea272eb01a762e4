"""The malloc arena cap: applied on glibc, a no-op when switched off, and it keeps a threaded workload's
resident memory down (measured in a fresh process, where the cap is set before any thread starts)."""

import platform
import subprocess
import sys

import pytest

from assistant.memory import limit_malloc_arenas

WORKLOAD = r"""
import sys, threading, random, time
from assistant.memory import limit_malloc_arenas
limit_malloc_arenas(int(sys.argv[1]))
survivors = []
lock = threading.Lock()
def work(seed):
    rnd = random.Random(seed)
    for r in range(30):
        time.sleep(rnd.random() * 0.01)
        blocks = [bytearray(rnd.randint(200, 8000)) for _ in range(2000)]
        with lock:
            survivors.extend(blocks[::200])  # a few long-lived objects pin the arena's pages
        del blocks
threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(rss // 1024)
"""


def test_zero_leaves_the_default():
    assert limit_malloc_arenas(0) is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the cap is glibc's")
def test_cap_is_applied_on_glibc():
    assert limit_malloc_arenas(2) is True


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the cap is glibc's")
def test_capped_arenas_keep_less_freed_memory_resident():
    def rss_after(arenas: int) -> int:
        out = subprocess.run([sys.executable, "-c", WORKLOAD, str(arenas)], capture_output=True, text=True, check=True)
        return int(out.stdout.split()[-1])

    default, capped = rss_after(0), rss_after(1)
    assert capped < default, (capped, default)
