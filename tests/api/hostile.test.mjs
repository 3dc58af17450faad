// hostile.test.mjs - what an attacker sends before and around a request
// (issue 13): requests that once crashed the daemon, deep JSON, bad framing,
// odd protocol lines, bodies a session must not let in, slow clients and a
// stop under load. Every one gets an answer with SPEC's headers, changes
// nothing, and the daemon keeps serving. The file runs against both builds,
// so the whole set also runs under ASan and UBSan.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  assertSecurityHeaders, psql, rawRequest, startServer, timeScale, waitFor,
} from './lib/harness.mjs';
import { call, newDesk, prepareReport } from './lib/fixtures.mjs';

const head = (method, target, extra = '') =>
  `${method} ${target} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
const json = (target, body, extra = '') =>
  `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const prelogin = '/api/v1/adviser/prelogin';
const email = '{"email":"someone@example.nl"}';

function errorOf(res) {
  return JSON.parse(res.body).error.code;
}

function headerOf(res, name) {
  return res.headers.find(([k]) => k === name)?.[1];
}

async function assertServing(server) {
  const res = await rawRequest(server.port, head('GET', '/healthz'));
  assert.equal(res.status, 200, 'the daemon still answers');
}

// An answer refusing the request: status, SPEC headers, error code, close.
function assertRefused(res, status, code) {
  assert.equal(res.status, status);
  assertSecurityHeaders(res);
  assert.equal(errorOf(res), code);
  assert.equal(headerOf(res, 'connection'), 'close');
}

describe('hostile input against one daemon', () => {
  let desk;
  before(async () => { desk = await newDesk({ settings: { head_timeout: '2' } }); });
  after(async () => {
    // Alive after all of it, and a clean stop: no crash, no sanitizer report.
    await assertServing(desk.server);
    const status = await desk.server.stop();
    assert.deepEqual(status, { code: 0, signal: null });
  });

  describe('requests that crashed the daemon in its error callback', () => {
    // CivetWeb reports a head past its buffer as malformed, like any other
    // head it cannot parse: 400 (it does not tell 413, 414 or 431 apart).
    test('a header over the request-size limit gets 400', async () => {
      const res = await rawRequest(desk.server.port,
        head('GET', '/api/v1/desk', `Cookie: ${'a'.repeat(20000)}\r\n`));
      assertRefused(res, 400, 'bad_request');
      await assertServing(desk.server);
    });

    test('a 20,000-character target gets 400', async () => {
      const res = await rawRequest(desk.server.port, head('GET', `/${'a'.repeat(20000)}`));
      assertRefused(res, 400, 'bad_request');
      await assertServing(desk.server);
    });

    test('a NUL byte in a header gets 400', async () => {
      const res = await rawRequest(desk.server.port, head('GET', '/healthz', 'X-A: a\0b\r\n'));
      assertRefused(res, 400, 'bad_request');
      await assertServing(desk.server);
    });

    test('binary junk gets 400', async () => {
      const junk = Buffer.alloc(3000);
      for (let i = 0; i < junk.length; i++) junk[i] = (i * 197 + 11) & 0xff;
      const res = await rawRequest(desk.server.port,
        Buffer.concat([junk, Buffer.from('\r\n\r\n')]));
      assertRefused(res, 400, 'bad_request');
      await assertServing(desk.server);
    });

    test('half a request head and then silence gets 400 at the head timeout', async () => {
      const res = await rawRequest(desk.server.port, 'GET /api/v1/desk HTTP/1.1\r\nHost: x\r\n',
        { timeout: 8000 });
      assertRefused(res, 400, 'bad_request');
      await assertServing(desk.server);
    });
  });

  describe('JSON nesting is bounded before parsing', () => {
    const nested = (depth) => `{"email":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

    test('depth 8 is parsed (and the field is then refused)', async () => {
      const res = await rawRequest(desk.server.port, json(prelogin, nested(8)));
      assert.equal(res.status, 400);
      assert.equal(errorOf(res), 'invalid_field');
    });

    for (const depth of [9, 900, 100000]) {
      test(`depth ${depth} is refused as invalid_json`, async () => {
        const res = await rawRequest(desk.server.port, json(prelogin, nested(depth)),
          { timeout: 10000 });
        assert.equal(res.status, 400);
        assertSecurityHeaders(res);
        assert.equal(errorOf(res), 'invalid_json');
        await assertServing(desk.server);
      });
    }
  });

  describe('request framing', () => {
    const challenges = () => Number(psql(desk.db, 'SELECT count(*) FROM challenges'));

    test('two Content-Length headers get 400 and store nothing', async () => {
      const before = challenges();
      const res = await rawRequest(desk.server.port,
        head('POST', '/api/v1/challenges', 'Content-Length: 0\r\nContent-Length: 0\r\n'));
      assertRefused(res, 400, 'bad_request');
      assert.equal(challenges(), before);
    });

    for (const length of ['+30', '30abc', '3 0', '-1', '0x1e', '']) {
      test(`Content-Length "${length}" gets 400`, async () => {
        const res = await rawRequest(desk.server.port,
          `POST ${prelogin} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${length}\r\n\r\n${email}`);
        assertRefused(res, 400, 'bad_request');
      });
    }

    test('Transfer-Encoding beside Content-Length gets 400', async () => {
      const res = await rawRequest(desk.server.port,
        json(prelogin, email, 'Transfer-Encoding: chunked\r\n'));
      assertRefused(res, 400, 'bad_request');
    });

    test('a chunked body without Content-Length gets 411', async () => {
      const body = `${email.length.toString(16)}\r\n${email}\r\n0\r\n\r\n`;
      const res = await rawRequest(desk.server.port,
        `POST ${prelogin} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n${body}`);
      assertRefused(res, 411, 'length_required');
    });

    test('an unknown HTTP version gets 505', async () => {
      for (const version of ['HTTP/2.0', 'HTTP/1.2', 'HTTP/9']) {
        const res = await rawRequest(desk.server.port, `GET /healthz ${version}\r\nHost: x\r\n\r\n`);
        assertRefused(res, 505, 'bad_request');
      }
    });

    test('OPTIONS * gets 400', async () => {
      assertRefused(await rawRequest(desk.server.port, head('OPTIONS', '*')), 400, 'bad_request');
    });

    test('an absolute-form target gets 400, for this host or another', async () => {
      for (const target of ['http://127.0.0.1/api/v1/desk', 'http://example.org/',
        `http://127.0.0.1:${desk.server.port}/api/v1/desk`]) {
        const res = await rawRequest(desk.server.port, head('GET', target));
        assertRefused(res, 400, 'bad_request');
      }
    });
  });

  describe('a JSON body is one object and nothing else', () => {
    for (const [name, text] of [
      ['trailing bytes', `${email} x`],
      ['a second object', `${email}{"email":"b@example.nl"}`],
      ['a byte-order mark', `\ufeff${email}`],
      ['a control byte before the object', `\u000b${email}`],
      ['a raw control byte in a string', '{"email":"a\u0001b@example.nl"}'],
    ]) {
      test(`${name} gets 400 invalid_json`, async () => {
        const res = await rawRequest(desk.server.port, json(prelogin, text));
        assert.equal(res.status, 400);
        assert.equal(errorOf(res), 'invalid_json');
      });
    }

    test('whitespace around the object is fine', async () => {
      const res = await rawRequest(desk.server.port, json(prelogin, ` \r\n\t${email}\n `));
      assert.equal(res.status, 200);
    });
  });

  describe('a session is checked before a byte of the body is read', () => {
    // Only the head is ever sent: an answer proves nothing waited for the body.
    const bodyless = (target, extra = '') =>
      `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: 100000\r\n${extra}\r\n`;

    test('a reporter route without a token gets 401 and closes', async () => {
      const res = await rawRequest(desk.server.port, bodyless('/api/v1/reporter/case/messages'));
      assertRefused(res, 401, 'unauthorized');
    });

    test('a staff route with a made-up token gets 401 and closes', async () => {
      const token = Buffer.alloc(32, 9).toString('base64url');
      const res = await rawRequest(desk.server.port,
        bodyless('/api/v1/admin/accounts', `Authorization: Bearer ${token}\r\n`));
      assertRefused(res, 401, 'unauthorized');
    });

    // Larger than the socket buffers: a daemon that closed at once would
    // reset the connection while the client is still sending.
    test('a refused oversize body is read out, so the client gets the 413', async () => {
      const big = `{"email":"${'a'.repeat(24 << 20)}"}`;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${desk.server.url}${prelogin}`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: big,
        });
        assert.equal(res.status, 413);
        assert.equal((await res.json()).error.code, 'too_large');
        assert.equal(res.headers.get('connection'), 'close');
      }
    });

    test('a body sent to a path without a route is refused and not taken for a request', async () => {
      const smuggled = head('GET', '/api/v1/admin/accounts');
      const res = await rawRequest(desk.server.port,
        `POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`);
      assert.equal(res.status, 405);
      assert.equal(headerOf(res, 'connection'), 'close');
    });
  });
});

// Open count sockets from localAddress that send half a request head and
// then nothing; refused ones are noted. Returns the open sockets.
function slowClients(port, localAddress, count) {
  const sockets = [];
  const refused = [];
  return new Promise((resolve) => {
    let settled = 0;
    const done = () => { if (++settled === count) resolve({ sockets, refused }); };
    for (let i = 0; i < count; i++) {
      const s = net.connect({ port, host: '127.0.0.1', localAddress });
      s.on('error', () => {});
      s.on('connect', () => {
        s.write('GET /api/v1/desk HTTP/1.1\r\nHost: x\r\n');
        sockets.push(s);
        done();
      });
      s.on('data', (d) => { refused.push(d.toString('latin1')); });
      s.on('close', () => { if (!s.connecting && s.readyState === 'closed') return; });
    }
  });
}

describe('slow clients cannot take the desk offline', () => {
  // Bounds in ms, and the head timeout in s, scaled for instrumented builds.
  const soon = 1000 * timeScale;
  const headTimeout = 3 * timeScale;
  let desk;
  before(async () => {
    desk = await newDesk({ settings: { threads: '8', connections: '64', client_connections: '4',
      head_timeout: String(headTimeout) } });
  });
  after(async () => { await desk.server.stop(); });

  test('a client past its connection cap is refused at once with 429', async () => {
    const { sockets } = await slowClients(desk.server.port, '127.0.0.2', 4);
    try {
      const res = await rawRequest(desk.server.port, head('GET', '/healthz'),
        { localAddress: '127.0.0.2', timeout: soon });
      assertRefused(res, 429, 'rate_limited');
      assert.equal(headerOf(res, 'retry-after'), '1');
      // Another client is not held up by it.
      const ok = await rawRequest(desk.server.port, head('GET', '/healthz'), { timeout: soon });
      assert.equal(ok.status, 200);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  test('300 slow connections: others are answered within 2 s, and within 1 s after', async () => {
    const attack = await slowClients(desk.server.port, '127.0.0.3', 300);
    let attacking = true;
    // The attacker opens a new slow connection whenever one is closed.
    const reopen = async () => {
      while (attacking) {
        const more = await slowClients(desk.server.port, '127.0.0.3', 10);
        attack.sockets.push(...more.sockets);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const pressure = reopen();
    try {
      // Longer than the head timeout, so slow connections are cut and renewed.
      for (let i = 0; i < 20 * timeScale; i++) {
        const res = await rawRequest(desk.server.port, head('GET', '/api/v1/desk'),
          { timeout: 2 * soon });
        assert.equal(res.status, 200, `request ${i} answered within ${2 * soon} ms`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      attacking = false;
      await pressure;
      for (const s of attack.sockets) s.destroy();
    }
    const res = await rawRequest(desk.server.port, head('GET', '/api/v1/desk'), { timeout: soon });
    assert.equal(res.status, 200, `answered within ${soon} ms after the attacker left`);
  });

  test('past the total cap a connection is refused at once with 503', async () => {
    const server = await startServer({ db: desk.db,
      settings: { threads: '4', connections: '6', client_connections: '0',
        head_timeout: String(headTimeout) } });
    const { sockets } = await slowClients(server.port, '127.0.0.4', 6);
    try {
      const res = await rawRequest(server.port, head('GET', '/healthz'), { timeout: soon });
      assertRefused(res, 503, 'unavailable');
    } finally {
      for (const s of sockets) s.destroy();
    }
    await waitFor(async () => (await rawRequest(server.port, head('GET', '/healthz'))).status === 200,
      { timeout: 5 * soon });
    await server.stop();
  });
});

describe('a stop under load answers every request', () => {
  test('SIGTERM while submissions are in flight: each gets 201 or 503, every 201 is stored', async () => {
    const desk = await newDesk({ settings: { threads: '16', stop_timeout: '10' } });
    const prepared = [];
    for (let i = 0; i < 60; i++) prepared.push(await prepareReport(desk.server));
    const outcomes = [];
    let stopAt = null;
    let next = 0;
    const worker = async () => {
      while (next < prepared.length) {
        const p = prepared[next++];
        const sent = Date.now();
        try {
          const res = await call(desk.server, 'POST', '/api/v1/reports', { body: p.body });
          outcomes.push({ sent, done: Date.now(), status: res.status, res, p });
          if (res.status === 503) return;
        } catch (e) {
          outcomes.push({ sent, done: Date.now(), error: e.message, p });
          return;
        }
      }
    };
    const workers = Array.from({ length: 12 }, worker);
    await waitFor(() => outcomes.filter((o) => o.status === 201).length >= 5,
      { timeout: 30000, interval: 5 });
    stopAt = Date.now();
    const status = await desk.server.stop();
    await Promise.all(workers);
    assert.deepEqual(status, { code: 0, signal: null });
    // Requests refused a connection after the daemon left were never sent.
    const sentAndLost = outcomes.filter((o) => o.error && !/ECONNREFUSED/.test(o.error));
    assert.deepEqual(sentAndLost.map((o) => o.error), [], 'no request cut without an answer');
    const inFlight = outcomes.filter((o) => o.sent < stopAt && o.done >= stopAt && o.status);
    assert.ok(inFlight.length > 0, 'requests were in flight at the stop');
    for (const o of outcomes.filter((x) => x.status)) {
      assert.ok([201, 503].includes(o.status), `status ${o.status}`);
      if (o.status === 503) assert.equal(o.res.headers.get('retry-after'), '5');
    }
    const stored = outcomes.filter((o) => o.status === 201).map((o) => o.res.body.case_id);
    assert.ok(stored.length >= 5);
    const hex = stored.map((id) => `'\\x${Buffer.from(id, 'base64url').toString('hex')}'::bytea`);
    const found = Number(psql(desk.db,
      `SELECT count(*) FROM cases WHERE id = ANY (ARRAY[${hex.join(',')}])`));
    assert.equal(found, stored.length, 'every acknowledged report is stored');
  });
});
