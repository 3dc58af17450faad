// browser.mjs - the pages in a real browser against a real meldpuntd.
// Reuses the API tests' harness (tests/run's cluster, key files and binary)
// and fixtures (a desk with certified advisers), builds the frontend with
// the test desk's pinned keys into a folder of its own, and drives Debian's
// Chromium through playwright-core. Every page is watched for console
// errors (CSP and Trusted Types violations are reported there) and for
// requests to any other origin.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { env } from '../../api/lib/harness.mjs';
import { newDesk, pins } from '../../api/lib/fixtures.mjs';

const top = new URL('../../../', import.meta.url).pathname;
// playwright-core and axe-core are the frontend's devDependencies.
const frontendRequire = createRequire(join(top, 'frontend', 'package.json'));
const { chromium } = frontendRequire('playwright-core');

export const SHOTS = process.env.MELDPUNT_E2E_SHOTS ?? join(env.tmp, 'screenshots');

export const PAGES = ['/', '/report.html', '/followup.html', '/enrol.html', '/adviser.html', '/admin.html', '/stats.html',
  '/accessibility.html', '/privacy.html'];

const built = new Map();
/**
 * Builds the frontend once per process and set of pinned keys (the test
 * desk's by default; a desk with its own recovery key passes its pins) →
 * dist folder.
 */
export function buildFrontend(deskPins = pins()) {
  const key = JSON.stringify(deskPins);
  if (built.has(key)) return built.get(key);
  const dir = mkdtempSync(join(env.tmp, 'e2e-'));
  const pinsFile = join(dir, 'pins.json');
  writeFileSync(pinsFile, key);
  const out = join(dir, 'dist');
  const r = spawnSync(process.execPath, [join(top, 'frontend/build.mjs'), '--pins', pinsFile, '--out', out],
    { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`frontend build failed:\n${r.stderr}`);
  built.set(key, out);
  return out;
}

/** A test desk (fixtures.newDesk) serving the e2e build; `pins` for a build with other pinned keys. */
export async function startDesk({ pins: deskPins, ...opts } = {}) {
  const dist = buildFrontend(deskPins);
  // meldpuntd takes MELDPUNT_FRONTEND_DIR over its config file, and the
  // harness passes our environment on: point it at this build.
  process.env.MELDPUNT_FRONTEND_DIR = dist;
  return newDesk({ ...opts, settings: { frontend_dir: dist, ...(opts.settings ?? {}) } });
}

/** Debian's Chromium, headless; Playwright gives every launch a fresh profile directory. */
export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new page in a new context, watched: `problems` collects console errors,
 * page errors and requests to other origins. Options go to newContext.
 */
export async function watchedPage(browser, baseURL, options = {}) {
  const context = await browser.newContext({ baseURL, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(baseURL).origin;
  page.on('console', (msg) => { if (msg.type() === 'error' || /Content Security Policy|Trusted Type/i.test(msg.text())) problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin)
      problems.push(`other origin: ${url}`);
  });
  return { context, page, problems };
}

/** Waits until the page has checked the desk keys (or stopped). */
export async function ready(page) {
  await page.waitForSelector('main[data-ready="true"], main[data-stopped]', { timeout: 20000 });
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core in the page → its violations (id, impact, nodes). */
export async function axe(page) {
  const source = readFileSync(frontendRequire.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

export { env, pins };
