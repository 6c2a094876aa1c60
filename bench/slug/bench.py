"""python-slugify and Django's slugify over the corpus (Debian packages):
best of `rounds` passes; prints name, seconds, count, bytes, empty."""
import sys
import time

path, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
with open(path, encoding="utf-8") as f:
    lines = f.read().split("\n")[:-1]
nbytes = sum(len(l.encode("utf-8")) for l in lines)


def run(name, fn):
    best, empty = 1e30, 0
    for _ in range(rounds):
        t = time.process_time()
        e = 0
        for l in lines:
            if not fn(l):
                e += 1
        t = time.process_time() - t
        best = min(best, t)
        empty = e
    print("%s\t%.6f\t%d\t%d\t%d" % (name, best, len(lines), nbytes, empty), flush=True)


import slugify as pyslugify  # noqa: E402
run("python-slugify %s" % getattr(pyslugify, "__version__", "4"), pyslugify.slugify)
import django  # noqa: E402
from django.utils.text import slugify as django_slugify  # noqa: E402
run("Django %s slugify" % django.get_version(), django_slugify)
