#!/usr/bin/env python3
"""smtpd.py - the notification tests' mail server: aiosmtpd (Debian's
python3-aiosmtpd) on 127.0.0.1:PORT, storing every message it accepts as
one JSON file ({"from","to","data","tls","login"}) in DIR. Prints "ready"
once it listens; stops when its standard input closes (the test ended, or
died) or after at most --lifetime seconds.

    python3 smtpd.py PORT DIR [--lifetime S] [--starttls CERT KEY |
        --tls CERT KEY] [--auth USER PASSWORD]

--starttls requires STARTTLS before MAIL; --tls speaks TLS from the first
byte (implicit TLS); --auth requires that login (over TLS only).
"""
import argparse
import json
import os
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        tmp = os.path.join(self.folder, f'.{self.count}.tmp')
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump({'from': envelope.mail_from, 'to': envelope.rcpt_tos,
                       'data': envelope.content.decode('utf-8', 'replace'),
                       'tls': session.ssl is not None
                       or server.transport.get_extra_info('ssl_object') is not None,
                       'login': session.auth_data.decode() if isinstance(session.auth_data, bytes) else None}, f)
        os.rename(tmp, os.path.join(self.folder, f'{time.time_ns()}-{self.count}.json'))
        return '250 OK'


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, auth_data=auth_data.login if ok else None)
    return check


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('port', type=int)
    ap.add_argument('dir')
    ap.add_argument('--lifetime', type=float, default=600.0)
    ap.add_argument('--starttls', nargs=2)
    ap.add_argument('--tls', nargs=2)
    ap.add_argument('--auth', nargs=2)
    a = ap.parse_args()
    kwargs = {}
    pair = a.starttls or a.tls
    if pair:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(pair[0], pair[1])
        if a.starttls:
            kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            kwargs.update(ssl_context=ctx)
    if a.auth:
        kwargs.update(authenticator=authenticator(*a.auth), auth_required=True,
                      auth_require_tls=True)
    controller = Controller(Store(a.dir), hostname='127.0.0.1', port=a.port, **kwargs)
    controller.start()
    print('ready', flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(a.lifetime)
    controller.stop()


if __name__ == '__main__':
    main()
