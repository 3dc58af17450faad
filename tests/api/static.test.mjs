// static.test.mjs - the built frontend as the daemon serves it: the content
// coding chosen by Accept-Encoding (br, gzip, identity; q=0 refuses, the
// plain file is the fallback), Vary, entity tags and 304 on If-None-Match,
// HEAD, a year of immutable caching for hashed assets and revalidation for
// pages, SHA256SUMS, and 404 for anything not in the manifest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { assertSecurityHeaders, createDatabase, env, startServer } from './lib/harness.mjs';

/** One request on a fresh connection → {status, headers: [[k, v]], header(k), body: Buffer}. */
function request(port, path, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false,
      headers: { connection: 'close', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const pairs = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          pairs.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode, headers: pairs, header: (k) => res.headers[k.toLowerCase()],
          body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const dist = env.frontendDir;
const plain = (name) => readFileSync(join(dist, name));
const decode = (res) => {
  const enc = res.header('content-encoding');
  if (enc === 'br') return brotliDecompressSync(res.body);
  if (enc === 'gzip') return gunzipSync(res.body);
  assert.equal(enc, undefined);
  return res.body;
};

describe('static files', () => {
  let server;
  let port;
  let script;	// a hashed asset the start page names
  before(async () => {
    server = await startServer({ db: createDatabase() });
    port = server.port;
    script = /<script type="module" src="([^"]+)"/.exec(plain('index.html').toString())[1];
  });
  after(async () => { await server.stop(); });

  test('the coding follows Accept-Encoding; the content is the same in every one', async () => {
    const want = plain('index.html');
    const cases = [
      [undefined, undefined],
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip, deflate', 'gzip'],
      ['GZIP', 'gzip'],
      ['x-gzip', 'gzip'],
      ['br;q=0.5, gzip;q=0.8', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      ['', undefined],
      ['deflate, zstd', undefined],
    ];
    for (const [accept, coding] of cases) {
      const res = await request(port, '/', { headers: accept === undefined ? {} : { 'accept-encoding': accept } });
      assert.equal(res.status, 200, accept);
      assert.equal(res.header('content-encoding'), coding, `${accept} → ${coding}`);
      assert.equal(res.header('vary'), 'Accept-Encoding', accept);
      assert.equal(Number(res.header('content-length')), res.body.length);
      assert.ok(decode(res).equals(want), `${accept}: the page itself`);
      if (coding) assert.ok(res.body.length < want.length, `${coding} is smaller`);
      assertSecurityHeaders(res, { api: false });
    }
  });

  test('q=0 refuses a coding; when every coding is refused the plain file comes', async () => {
    const cases = [
      ['br;q=0, gzip', 'gzip'],
      ['br;q=0, gzip;q=0', undefined],
      ['*;q=0', undefined],
      ['identity;q=0, br;q=0, gzip;q=0', undefined],
      ['identity;q=0', undefined],
      ['br;q=2, gzip', 'gzip'],	// a malformed weight: that element is ignored
    ];
    for (const [accept, coding] of cases) {
      const res = await request(port, script, { headers: { 'accept-encoding': accept } });
      assert.equal(res.status, 200, accept);
      assert.equal(res.header('content-encoding'), coding, `${accept} → ${coding}`);
      assert.ok(decode(res).equals(plain(script.slice(1))), accept);
    }
  });

  test('pages carry a strong tag and no-cache, and answer a matching If-None-Match with 304', async () => {
    const first = await request(port, '/index.html', { headers: { 'accept-encoding': 'gzip' } });
    const tag = first.header('etag');
    assert.match(tag, /^"[0-9a-f]{24}-gz"$/);
    assert.equal(first.header('cache-control'), 'no-cache');
    for (const inm of [tag, `W/${tag}`, `"other", ${tag}`, `"a",W/"b" ,  ${tag}`, '*']) {
      const res = await request(port, '/', { headers: { 'accept-encoding': 'gzip', 'if-none-match': inm } });
      assert.equal(res.status, 304, inm);
      assert.equal(res.body.length, 0);
      assert.equal(res.header('etag'), tag);
      assert.equal(res.header('cache-control'), 'no-cache');
      assert.equal(res.header('vary'), 'Accept-Encoding');
      assertSecurityHeaders(res, { api: false });
    }
    // Another representation (another coding) or another tag: the whole page.
    const plainTag = (await request(port, '/')).header('etag');
    assert.equal(plainTag, tag.replace('-gz', ''));
    for (const [accept, inm] of [['br', tag], ['gzip', plainTag], ['gzip', '"nope"'], ['gzip', 'garbage'],
      ['gzip', `${tag.slice(0, -1)}`]]) {
      const res = await request(port, '/', { headers: { 'accept-encoding': accept, 'if-none-match': inm } });
      assert.equal(res.status, 200, `${accept} ${inm}`);
      assert.ok(res.body.length > 0);
    }
    // A changed file would change the tag: it is a hash of the content.
    const other = await request(port, '/report.html');
    assert.notEqual(other.header('etag'), plainTag);
  });

  test('HEAD answers the same head as GET, without a body', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const get = await request(port, '/', { headers: { 'accept-encoding': accept } });
      const head = await request(port, '/', { method: 'HEAD', headers: { 'accept-encoding': accept } });
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      for (const h of ['content-length', 'content-encoding', 'content-type', 'etag', 'vary', 'cache-control'])
        assert.equal(head.header(h), get.header(h), `${accept}: ${h}`);
      const cond = await request(port, '/', { method: 'HEAD',
        headers: { 'accept-encoding': accept, 'if-none-match': get.header('etag') } });
      assert.equal(cond.status, 304);
    }
  });

  test('hashed assets are immutable for a year; fonts come as they are', async () => {
    assert.match(script, /^\/assets\/index-[A-Z0-9]{8}\.js$/);
    const res = await request(port, script, { headers: { 'accept-encoding': 'br' } });
    assert.equal(res.status, 200);
    assert.equal(res.header('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(res.header('content-type'), /^text\/javascript/);
    assert.equal(res.header('content-encoding'), 'br');
    const again = await request(port, script, { headers: { 'accept-encoding': 'br', 'if-none-match': res.header('etag') } });
    assert.equal(again.status, 304);
    const manifest = plain('manifest.txt').toString().trim().split('\n');
    const font = manifest.find((f) => f.endsWith('.woff2'));
    const f = await request(port, `/${font}`, { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(f.status, 200);
    assert.equal(f.header('content-encoding'), undefined, 'woff2 is compressed already');
    assert.equal(f.header('vary'), undefined, 'one representation only');
    assert.equal(f.header('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(f.header('content-type'), 'font/woff2');
    for (const file of manifest.filter((x) => x.startsWith('assets/') && !x.endsWith('.txt')))
      assert.match(file, /-[A-Za-z0-9]{8}\.[a-z0-9]+$/, `${file} has a content hash in its name`);
  });

  test('SHA256SUMS lists the served files truly', async () => {
    const res = await request(port, '/SHA256SUMS', { headers: { 'accept-encoding': 'identity' } });
    assert.equal(res.status, 200);
    assert.equal(res.header('content-type'), 'text/plain; charset=utf-8');
    assert.equal(res.header('cache-control'), 'no-cache');
    const sums = new Map(res.body.toString().trim().split('\n').map((l) => {
      const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(l);
      assert.ok(m, l);
      return [m[2], m[1]];
    }));
    for (const path of ['index.html', script.slice(1)]) {
      const body = (await request(port, `/${path}`)).body;
      assert.equal(createHash('sha256').update(body).digest('hex'), sums.get(path), path);
    }
    assert.ok(sums.has('index.html.br') && sums.has('index.html.gz') && sums.has('manifest.txt'));
  });

  test('what the manifest does not list is not found', async () => {
    for (const path of ['/nope.js', '/assets/index.js', '/assets/main.css', '/index.html.br', '/index.html.gz',
      `${script}.br`, '/manifest.txt', '/build.mjs', '/assets/', '/SHA256SUMS.gz']) {
      const res = await request(port, path, { headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(res.status, 404, path);
      assert.equal(res.header('content-encoding'), undefined);
      assert.equal(res.header('etag'), undefined);
      assert.equal(res.header('cache-control'), 'no-store');
    }
  });
});
