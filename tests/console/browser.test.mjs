// The console in a real browser (Debian's chromium, headless, driven by playwright-core) against a real maasd that
// tests/integration/test_console.py started: log in, upload a model with the progress bar, load it, call it from
// the debugger, create a service with a 90/10 split and watch a canary advance, search and tail logs, create and
// revoke keys, and see a viewer denied. Screenshots of every page and the first page's size and time to
// interactive are written to MAAS_CONSOLE_ARTIFACTS.
//
// Environment: MAAS_URL, MAAS_API_KEY (admin), MAAS_FIXTURES_DIR, MAAS_CONSOLE_ARTIFACTS, CHROMIUM (optional).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(new URL('../../console/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const url = process.env.MAAS_URL;
const adminKey = process.env.MAAS_API_KEY;
const fixtures = process.env.MAAS_FIXTURES_DIR;
const artifacts = process.env.MAAS_CONSOLE_ARTIFACTS;
mkdirSync(artifacts, { recursive: true });

let browser, context, page;
const problems = [];      // console errors and page errors nobody expected
const expected = [];      // status codes of failed loads a step provoked on purpose (Chrome logs them as errors)
const measures = {};

async function call(method, path, body, key = adminKey) {
  const res = await fetch(url + path, {
    method, headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function until(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const shot = (name, p = page, fullPage = true) => p.screenshot({ path: join(artifacts, name + '.png'), fullPage });

function watch(p) {
  p.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const status = /status of (\d+)/.exec(text);
    if (status && expected.includes(Number(status[1]))) return;
    problems.push(text);
  });
  p.on('pageerror', (err) => problems.push('page error: ' + err.message));
}

async function login(p, key) {
  await p.goto(url + '/ui/');
  await p.fill('input[name=key]', key);
  await p.click('button[type=submit]');
  await p.waitForSelector('[data-testid=role]', { state: 'attached' });
}

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  watch(page);
});

after(async () => {
  writeFileSync(join(artifacts, 'measures.json'), JSON.stringify(measures, null, 2));
  if (browser) await browser.close();
});

test('the first page is small and interactive quickly', async () => {
  // A cold cache: a fresh context fetches everything.
  const start = Date.now();
  await page.goto(url + '/ui/');
  await page.waitForSelector('input[name=key]:not([disabled])');
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource').filter((r) => r.name.includes('/ui/'));
    return {
      interactive_ms: performance.now(),
      dom_content_loaded_ms: nav.domContentLoadedEventEnd,
      gzip_bytes: nav.encodedBodySize + resources.reduce((a, r) => a + r.encodedBodySize, 0),
      bytes: nav.decodedBodySize + resources.reduce((a, r) => a + r.decodedBodySize, 0),
      files: 1 + resources.length,
    };
  });
  Object.assign(measures, { first_page: timing, wall_ms_to_login_form: Date.now() - start });
  assert.ok(timing.gzip_bytes <= 300 * 1024, `the first page is ${timing.gzip_bytes} bytes gzipped`);
  assert.ok(timing.gzip_bytes < timing.bytes, 'the assets travel gzipped');
  // The 1 s target holds for the release build; under the sanitizers (3x slower, CI's second pass) it is recorded only.
  if (!process.env.MAAS_SANITIZED) assert.ok(timing.interactive_ms <= 1000, `the login form was usable after ${timing.interactive_ms} ms`);
  await shot('login');
});

test('a wrong key is refused and nothing is stored', async () => {
  expected.push(401);
  await page.fill('input[name=key]', 'maas_nope_0000');
  await page.click('button[type=submit]');
  await page.waitForSelector('.error');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('maas.key')), null);
});

test('log in; the overview shows health and the charts', async () => {
  const clicked = Date.now();
  await login(page, adminKey);
  assert.equal(await page.textContent('[data-testid=role]'), 'admin');
  // The key is in session storage, never in the URL.
  assert.ok(!page.url().includes(adminKey));
  await page.waitForSelector('.badge.good');
  await page.waitForSelector('.uplot');
  measures.login_to_overview_charts_ms = Date.now() - clicked;  // page load, typing the key, whoami, first polls
  await shot('overview');
});

test('create a model and upload a version with the progress bar', async () => {
  await page.click('nav >> text=Models');
  await page.fill('input[name=model-name]', 'iris');
  await page.click('button:has-text("Create")');
  await page.waitForURL(/\/ui\/models\/iris$/);
  // Record every value the progress bar shows, and slow the upload down so that it shows more than the ends.
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=upload-progress]');
      if (bar) window.progressSeen.push(Number(bar.value));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
  // An iris model padded with whitespace (still the same JSON) to take a moment at 64 KiB/s.
  const model = readFileSync(join(fixtures, 'xgb_iris.json'), 'utf8');
  const padded = '{' + ' '.repeat(96 * 1024) + model.trimStart().slice(1);
  await page.setInputFiles('[data-testid=upload-input]', { name: 'iris.json', mimeType: 'application/json', buffer: Buffer.from(padded) });
  await page.waitForSelector('[data-testid=upload-progress]');
  await shot('upload-progress');
  await page.waitForSelector('.notice:has-text("Uploaded version 1")', { timeout: 30000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const seen = await page.evaluate(() => window.progressSeen);
  measures.upload_progress_values = [...new Set(seen)];
  assert.ok(seen.length > 0, 'the progress bar was shown');
  const v1 = await call('GET', '/api/v1/models/iris/versions/1');
  assert.equal(v1.status, 200);
  assert.equal(v1.body.framework, 'xgboost');
  // A second version through the API, for the comparisons below.
  const res = await fetch(url + '/api/v1/models/iris/versions', { method: 'POST', headers: { Authorization: 'Bearer ' + adminKey },
    body: readFileSync(join(fixtures, 'xgb_iris.ubj')) });
  assert.equal(res.status, 201);
});

test('load a version from its model page', async () => {
  await page.reload();
  await page.click('tr:has-text("v1") >> button:has-text("Load")');
  await until('v1 to be loaded', async () => (await call('GET', '/v2/models/iris/versions/1/ready')).status === 200, 60000);
  await page.waitForSelector('tr:has-text("v1") >> text=loaded');
  await shot('model');
  await page.click('a:has-text("v1")');
  await page.waitForSelector('text=Signature');
  await shot('version');
});

test('the debugger answers what the API answers', async () => {
  await page.click('a:has-text("Open in debugger")');
  await page.waitForURL(/\/ui\/debugger\/iris\/1$/);
  await page.fill('[data-testid=input-input]', '5.1, 3.5, 1.4, 0.2\n6.7, 3.0, 5.2, 2.3');
  await page.fill('[data-testid=compare-version]', '2');
  await call('POST', '/v2/repository/models/iris/load', { parameters: { version: '2', keep_other_versions: true } });
  await page.click('[data-testid=send]');
  const shown = JSON.parse(await (await page.waitForSelector('[data-testid=output-probabilities], code[data-testid^=output-]')).textContent());
  const api = await call('POST', '/v2/models/iris/versions/1/infer', { inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 4],
    data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] });
  assert.equal(api.status, 200);
  assert.deepEqual(shown, api.body.outputs[0].data);
  await page.waitForSelector('text=Difference');
  await page.waitForSelector('text=identical');  // the UBJSON copy of the same model
  await page.waitForSelector('text=Latency (maasd)', { timeout: 15000 });  // the request's log record was found
  // Why: the first row's SHAP contributions, one bar per feature, equal to what the API answers for output=contribs.
  await page.click('[data-testid=explain]');
  await page.waitForSelector('[data-testid=contributions] .contrib');
  const shownContribs = await page.$$eval('[data-testid=contributions] .contrib-value', (e) => e.map((x) => Number(x.textContent)).sort());
  const contribs = await call('POST', '/v2/models/iris/versions/1/infer', { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4],
    data: [5.1, 3.5, 1.4, 0.2] }], parameters: { output: 'contribs' } });
  assert.deepEqual(contribs.body.outputs[0].shape, [1, 3, 5]);
  const class0 = contribs.body.outputs[0].data.flat(Infinity).slice(0, 4).map((v) => Number(v.toFixed(4))).sort();
  assert.deepEqual(shownContribs, class0);
  await shot('debugger');
});

test('create a service with a 90/10 split, then watch a canary advance', async () => {
  await page.click('nav >> text=Services');
  await page.click('button:has-text("New service")');
  await page.fill('[data-testid=service-name]', 'flowers');
  await page.fill('[data-testid=route-model-0]', 'iris');
  await page.fill('[data-testid=route-version-0]', '1');
  await page.fill('[data-testid=route-weight-0]', '90');
  await page.click('button:has-text("Add a route")');
  await page.fill('[data-testid=route-model-1]', 'iris');
  await page.fill('[data-testid=route-version-1]', '2');
  await page.fill('[data-testid=route-weight-1]', '10');
  await page.click('button:has-text("Create service")');
  await page.waitForURL(/\/ui\/services\/flowers$/, { timeout: 60000 });
  await page.waitForSelector('[data-testid=weight-iris-1]:has-text("90.0%")');
  await page.waitForSelector('[data-testid=weight-iris-2]:has-text("10.0%")');
  const svc = await call('GET', '/api/v1/services/flowers');
  assert.deepEqual(svc.body.status.routes.map((r) => [r.version, r.weight]), [[1, 90], [2, 10]]);
  await shot('service-split');

  await page.click('button:has-text("Start a canary")');
  await page.fill('[data-testid=canary-version]', '2');
  await page.fill('[data-testid=canary-steps]', '10, 50, 100');
  await page.fill('[data-testid=canary-interval]', '1');
  await page.fill('[data-testid=canary-min-requests]', '3');
  await page.fill('[data-testid=canary-max-p99]', '5000');
  await page.click('button:has-text("Start the canary")');
  await page.waitForSelector('[data-testid=canary-current-step]:has-text("10%")');
  // Traffic through the service until the page shows the canary promoted.
  const body = { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };
  let sawStep = false;
  await until('the canary to be promoted', async () => {
    await Promise.all(Array.from({ length: 10 }, () => call('POST', '/v2/models/flowers/infer', body)));
    const current = await page.$('[data-testid=canary-current-step]');
    if (current && (await current.textContent()) === '50%' && !sawStep) {
      sawStep = true;
      await shot('service-canary');
    }
    return page.$('.card:has-text("Canary") .badge:has-text("promoted")');
  }, 60000);
  await page.waitForSelector('[data-testid=timeline] >> text=canary_promoted');
  await shot('service-promoted');
});

test('the chat playground streams tokens from a language model', { skip: !process.env.MAAS_CHAT_MODEL_FILE && 'no LLM engine in this build' }, async () => {
  assert.equal((await call('POST', '/api/v1/models', { name: 'tiny-chat' })).status, 201);
  const res = await fetch(url + '/api/v1/models/tiny-chat/versions', { method: 'POST', headers: { Authorization: 'Bearer ' + adminKey },
    body: readFileSync(process.env.MAAS_CHAT_MODEL_FILE) });
  assert.equal(res.status, 201);
  const loaded = await call('POST', '/v2/repository/models/tiny-chat/load', { parameters: { config: { threads: 1, max_sequences: 2, context: 512 } } });
  assert.equal(loaded.status, 200, JSON.stringify(loaded.body));
  await page.click('nav >> text=Chat');
  await page.waitForSelector('option[value="tiny-chat"]', { state: 'attached' });
  await page.selectOption('select', 'tiny-chat');
  await page.fill('input[aria-label=Message]', 'Hello there');
  await page.click('button:has-text("Send")');
  await page.waitForSelector('text=Time to first token', { timeout: 30000 });
  const stats = await page.textContent('.small-stats');
  measures.chat = stats;
  assert.match(stats, /Time to first token\d+ ms/);
  assert.match(stats, /Completion tokens[1-9]/);
  assert.ok((await page.textContent('[data-testid=chat-log]')).length > 'userHello thereassistant'.length);
  await shot('chat');
});

test('search the logs with a histogram, and tail them live', async () => {
  await page.click('nav >> text=Logs');
  await page.fill('[data-testid=logql]', '{job="maasd", kind="request"} | json | service="flowers"');
  await page.click('[data-testid=search]');
  await page.waitForSelector('text=Matches over time');
  await page.waitForSelector('table[aria-label="Log entries"] >> text=flowers');
  await shot('logs', page, false);
  await page.fill('[data-testid=logql]', '{job="maasd", kind="request"} |= "tail-probe"');
  await page.click('[data-testid=tail]');
  await page.waitForSelector('text=Live tail');
  await until('the tailed request', async () => {
    await fetch(url + '/api/v1/models/tail-probe', { headers: { Authorization: 'Bearer ' + adminKey } });
    return page.$('table[aria-label="Tailed entries"] >> text=tail-probe');
  });
  await shot('logs-tail', page, false);
  await page.click('button:has-text("Stop tail")');
});

test('alerts and diagnostics pages render', async () => {
  await call('POST', '/api/v1/alerts/rules', { name: 'console', rules: [{ alert: 'AlwaysOn', expr: 'vector_like_never > 0' }] })
    .catch(() => null);
  await page.click('nav >> text=Alerts');
  await page.waitForSelector('text=Rules');
  await shot('alerts');
  await page.goto(url + '/ui/diagnostics/iris/1');
  await page.waitForSelector('text=Timeline');
  await page.waitForSelector('table[aria-label="Timeline"] >> text=READY', { timeout: 15000 });
  await shot('diagnostics');
});

let viewerKey;
test('create a key (shown once) and revoke another', async () => {
  await page.click('nav >> text=Keys');
  await page.fill('[data-testid=key-name]', 'watcher');
  await page.selectOption('[data-testid=key-role]', 'viewer');
  await page.click('button:has-text("Create key")');
  viewerKey = (await (await page.waitForSelector('[data-testid=new-key]')).textContent()).trim();
  assert.match(viewerKey, /^maas_/);
  assert.equal((await call('GET', '/api/v1/models', undefined, viewerKey)).status, 200);
  await shot('keys-created');
  await page.click('button:has-text("Done")');
  await page.fill('[data-testid=key-name]', 'temporary');
  await page.selectOption('[data-testid=key-role]', 'invoker');
  await page.click('button:has-text("Create key")');
  const temporary = (await (await page.waitForSelector('[data-testid=new-key]')).textContent()).trim();
  await page.click('button:has-text("Done")');
  page.once('dialog', (d) => d.accept());
  await page.click('[data-testid=revoke-temporary]');
  await page.waitForSelector('tr:has-text("temporary") >> text=revoked');
  assert.equal((await call('POST', '/v2/models/iris/infer', {}, temporary)).status, 401);
  await shot('keys');
});

test('a viewer sees no write buttons, and a forced write is refused', async () => {
  const viewer = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await viewer.newPage();
  watch(p);
  await login(p, viewerKey);
  assert.equal(await p.textContent('[data-testid=role]'), 'viewer');
  const nav = await p.$$eval('nav li a', (as) => as.map((a) => a.textContent));
  assert.ok(!nav.includes('Keys') && !nav.includes('Debugger') && !nav.includes('Chat'), nav.join(','));
  await p.click('nav >> text=Models');
  await p.waitForSelector('text=iris');
  assert.equal(await p.$('text=New model'), null);
  await p.click('a:has-text("iris")');
  await p.waitForSelector('table[aria-label="Versions"]');
  assert.equal(await p.$('button:has-text("Load")'), null);
  assert.equal(await p.$('button:has-text("Unload")'), null);
  assert.equal(await p.$('.dropzone'), null);
  await p.click('nav >> text=Services');
  await p.waitForSelector('text=flowers');
  assert.equal(await p.$('button:has-text("New service")'), null);
  await shot('viewer-models', p);
  // The API decides all the same: a write forced from the page with the viewer's key is 403.
  expected.push(403);
  const status = await p.evaluate(async () => (await fetch('/api/v1/models', { method: 'POST',
    headers: { Authorization: 'Bearer ' + sessionStorage.getItem('maas.key'), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'forced' }) })).status);
  assert.equal(status, 403);
  await p.goto(url + '/ui/keys');
  await p.waitForSelector('text=Not allowed');
  await viewer.close();
});

test('readable on a phone and in the dark theme', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const p = await phone.newPage();
  watch(p);
  await login(p, adminKey);
  await p.waitForSelector('.uplot');
  assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
  await shot('phone-overview', p);
  await p.goto(url + '/ui/services/flowers');
  await p.waitForSelector('text=Traffic split in force');
  await shot('phone-service', p);
  await phone.close();
});

test('keyboard: the pages are reachable with Tab and Enter', async () => {
  await page.goto(url + '/ui/');
  await page.waitForSelector('[data-testid=role]');
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.textContent === 'Models');
  }
  assert.ok(reached, 'Tab reaches the Models link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/ui\/models$/);
});

test('no console errors, no CSP violations', () => {
  assert.deepEqual(problems, []);
});
