#!/usr/bin/env python3
"""smtpd.py - the notification tests' mail server: aiosmtpd (Debian's
python3-aiosmtpd) on 127.0.0.1:PORT, storing every message it accepts as
one JSON file ({"from","to","data"}) in DIR. Prints "ready" once it
listens; stops when its standard input closes (the test ended, or died)
or after at most LIFETIME seconds.

    python3 smtpd.py PORT DIR [LIFETIME]
"""
import json
import os
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        tmp = os.path.join(self.folder, f'.{self.count}.tmp')
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump({'from': envelope.mail_from, 'to': envelope.rcpt_tos,
                       'data': envelope.content.decode('utf-8', 'replace')}, f)
        os.rename(tmp, os.path.join(self.folder, f'{time.time_ns()}-{self.count}.json'))
        return '250 OK'


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
    controller = Controller(Store(folder), hostname='127.0.0.1', port=port)
    controller.start()
    print('ready', flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(lifetime)
    controller.stop()


if __name__ == '__main__':
    main()
