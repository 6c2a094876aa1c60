"""Python peers of bench/link: itsdangerous and Django signing (Debian's).

Signs and verifies the same claims a preview link carries, as each library
expects them (a compact string), for SECONDS each; CPU time.
    /usr/bin/python3 peers.py SECONDS  -> "name sign_per_s verify_per_s" lines
"""
import sys
import time

import itsdangerous
from django.conf import settings

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
KEY = "k" * 32
settings.configure(SECRET_KEY=KEY, USE_TZ=True)
from django.core import signing  # noqa: E402  (after settings)

PAYLOAD = "42.0.0.7.0"  # article.revision.epoch.editor.flags


def rate(fn):
    n, batch = 0, 1000
    t0 = time.process_time()
    while True:
        for i in range(batch):
            fn(i)
        n += batch
        dt = time.process_time() - t0
        if dt >= SECONDS:
            return n / dt


def measure(name, signer, unsign):
    sign = rate(lambda i: signer.sign("%d.0.0.7.0" % i))
    token = signer.sign(PAYLOAD)
    verify = rate(lambda i: unsign(token))
    print("%s %.0f %.0f" % (name, sign, verify))


its = itsdangerous.TimestampSigner(KEY, salt="copydesk-preview")
measure("itsdangerous", its, lambda t: its.unsign(t, max_age=7200))
dj = signing.TimestampSigner(key=KEY, salt="copydesk-preview")
measure("django", dj, lambda t: dj.unsign(t, max_age=7200))
