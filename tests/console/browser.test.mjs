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

// Uploads `file` through the page's drop zone with the upload slowed to 64 KiB/s, so that the progress bar shows more
// than its ends; screenshots it as `name` while it moves, waits for `done` and answers every value the bar showed.
async function slowUpload(file, name, done) {
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=upload-progress]');
      if (bar) window.progressSeen.push(Number(bar.value));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const cdp = await context.newCDPSession(page);
  const throttle = (bytesPerSecond) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0,
    downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  await cdp.send('Network.enable');
  await throttle(64 * 1024);
  await page.setInputFiles('[data-testid=upload-input]', file);
  await page.waitForSelector('[data-testid=upload-progress]');
  await shot(name);
  await page.waitForSelector(done, { timeout: 60000 });
  await throttle(-1);
  await cdp.detach();
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(seen.length > 0, 'the progress bar was shown');
  return [...new Set(seen)];
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
  // An iris model padded with whitespace (still the same JSON) to take a moment at 64 KiB/s.
  const model = readFileSync(join(fixtures, 'xgb_iris.json'), 'utf8');
  const padded = '{' + ' '.repeat(96 * 1024) + model.trimStart().slice(1);
  measures.upload_progress_values = await slowUpload({ name: 'iris.json', mimeType: 'application/json', buffer: Buffer.from(padded) },
    'upload-progress', '.notice:has-text("Uploaded version 1")');
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
  // This request's own split of its time in maasd (its Server-Timing header): the parts within the total.
  const part = async (k) => Number((await page.textContent(`[data-testid=split-${k}]`)).split(' ')[0]);
  const split = { queue: await part('queue'), batch: await part('batch'), compute: await part('compute'), total: await part('total') };
  measures.debugger_split_ms = split;
  assert.ok(split.compute > 0 && split.total > 0, JSON.stringify(split));
  assert.ok(split.queue + split.batch + split.compute <= split.total + 0.003, JSON.stringify(split));
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

// A CSV of `rows` rows (id, a measurement, a class) for the datasets page, and one line the import rejects.
function csv(rows) {
  const lines = ['id,length,width,kind'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(4 + (i % 37) / 10).toFixed(1)},${(2 + (i % 11) / 5).toFixed(2)},${['setosa', 'versicolor', 'virginica'][i % 3]}`);
  lines.push('9999,not-a-number,2.2,virginica,one-too-many');
  return lines.join('\n') + '\n';
}

test('datasets: upload a CSV with the progress bar, see its profile histograms, page the preview, download it', async () => {
  await page.click('nav >> text=Datasets');
  await page.waitForSelector('text=No datasets yet');
  await shot('datasets-empty');
  await page.fill('[data-testid=dataset-name]', 'flowers');
  await page.click('button:has-text("Create dataset")');
  await page.click('a:has-text("flowers")');
  await page.waitForURL(/\/ui\/datasets\/flowers$/);
  const rows = 5000;  // about 120 KiB: a couple of seconds at 64 KiB/s
  measures.dataset_upload_progress_values = await slowUpload({ name: 'flowers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(rows)) },
    'dataset-upload-progress', `.notice:has-text("Imported version 1: ${rows} rows, 1 rejected")`);
  await shot('dataset');
  // Its profile: a histogram per numeric column whose bars count every row.
  await page.click('[data-testid=dataset-version-1]');
  await page.waitForSelector('[data-testid=histogram-length] rect');
  const bars = await page.$$eval('[data-testid=histogram-length] rect title', (ts) => ts.map((t) => Number(t.textContent.split(': ')[1])));
  assert.equal(bars.reduce((a, b) => a + b, 0), rows);
  const api = await call('GET', '/api/v1/datasets/flowers/versions/1');
  assert.deepEqual(bars, api.body.profile.columns.find((c) => c.name === 'length').histogram.counts);
  await page.waitForSelector('[data-testid=profile-kind] >> text=setosa');  // a string column's top values
  // The preview, a page at a time.
  assert.equal(await page.textContent('[data-testid=preview-range]'), `1–20 of ${rows}`);
  await page.click('[data-testid=preview-next]');
  await page.waitForSelector(`[data-testid=preview-range]:has-text("21–40 of ${rows}")`);
  await page.waitForSelector('table[aria-label=Preview] >> td:text-is("20")');
  // The line the import could not read, kept apart with why (a row per error found in it).
  assert.match(await page.textContent('[data-testid=rejects-range]'), /^1–\d of \d$/);
  await page.waitForSelector('table[aria-label="Rejected rows"] >> text=one-too-many');
  // A download travels with the key in a header, through fetch and a Blob: never in a URL.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-csv]')]);
  assert.equal(download.suggestedFilename(), 'flowers-v1.csv');
  assert.ok(!download.url().includes(adminKey));
  await page.waitForSelector('[data-testid=download-state]:has-text("Saved flowers-v1.csv")');
  await shot('dataset-version');
});

test('jobs: submit one and watch it run to the end with progress and logs; cancel another', async () => {
  await page.click('nav >> text=Jobs');
  await page.waitForSelector('[data-testid=job-kind]');
  const kinds = (await call('GET', '/api/v1/jobs/kinds')).body.kinds.map((k) => k.name);
  // The test kind (steps with a log line each) when the build has its plugin; the store's verification otherwise.
  const steps = kinds.includes('test.steps');
  await page.selectOption('[data-testid=job-kind]', steps ? 'test.steps' : 'artifacts.verify');
  if (steps) await page.fill('[data-testid=job-params]', JSON.stringify({ steps: 30, step_ms: 150 }));
  await page.click('[data-testid=job-submit]');
  await page.waitForURL(/\/ui\/jobs\/j-/);
  const id = page.url().split('/').pop();
  if (steps) {
    // Progress moves while it runs, and the log follows it.
    await page.waitForSelector('[data-testid=job-state]:text-is("running")');
    await until('progress between the ends', async () => {
      const v = Number(await page.getAttribute(`[data-testid=job-progress-${id}]`, 'value'));
      return v > 0 && v < 100;
    });
    await page.waitForSelector('[data-testid=job-log]:has-text("step 1 done")');
    await shot('job-running');
  }
  await page.waitForSelector('[data-testid=job-state]:text-is("succeeded")', { timeout: 60000 });
  await page.waitForSelector('[data-testid=job-log-state]:has-text("ended: succeeded")', { timeout: 30000 });
  assert.equal(await page.getAttribute(`[data-testid=job-progress-${id}]`, 'value'), '100');
  if (steps) await page.waitForSelector('[data-testid=job-log]:has-text("all 30 steps done")');
  await page.waitForSelector('table[aria-label=Events] >> text=job_succeeded', { timeout: 15000 });
  await shot('job');
  if (steps) {
    // A long one, cancelled from its page: it ends cancelled, and the log says so.
    await page.click('a:has-text("All jobs")');
    await page.selectOption('[data-testid=job-kind]', 'test.steps');
    await page.fill('[data-testid=job-params]', JSON.stringify({ steps: 1000, step_ms: 100 }));
    await page.click('[data-testid=job-submit]');
    await page.waitForURL((u) => /\/ui\/jobs\/j-/.test(u.toString()) && !u.toString().endsWith(id));
    await page.waitForSelector('[data-testid=job-log]:has-text("step 1 done")');
    await page.click('[data-testid=job-cancel]');
    await page.waitForSelector('[data-testid=job-state]:text-is("cancelled")', { timeout: 30000 });
    await page.waitForSelector('[data-testid=job-log-state]:has-text("ended: cancelled")', { timeout: 30000 });
    assert.equal(await page.$('[data-testid=job-cancel]'), null);
  }
  await page.click('a:has-text("All jobs")');
  await page.waitForSelector(`[data-testid=job-${id}]`);
  await shot('jobs');
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
  // A metered key: its use of the daily quota is shown against the quota.
  const metered = await call('POST', '/api/v1/keys', { name: 'metered', role: 'invoker', quota: { daily_requests: 10 } });
  for (let i = 0; i < 3; i++) {
    const r = await fetch(url + '/v2/models/iris/versions/1/infer', { method: 'POST',
      headers: { Authorization: 'Bearer ' + metered.body.key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] }) });
    assert.equal(r.status, 200);
  }
  await until('the quota use to be written', async () => {
    await page.click('[data-testid=keys-refresh]');
    await page.waitForSelector('[data-testid=usage-metered]');
    return (await page.textContent('[data-testid=usage-metered-daily_requests]')) === '3 of 10';
  });
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
  // Datasets and jobs: readable, with no upload, create, submit or cancel.
  await p.click('nav >> text=Datasets');
  await p.click('a:has-text("flowers")');
  await p.waitForSelector('table[aria-label="Versions"]');
  assert.equal(await p.$('.dropzone'), null);
  assert.equal(await p.$('text=Set alias'), null);
  await p.click('nav >> text=Jobs');
  await p.waitForSelector('table[aria-label="Jobs"]');
  assert.equal(await p.$('[data-testid=job-submit]'), null);
  await p.click('table[aria-label="Jobs"] a');
  await p.waitForSelector('[data-testid=job-state]');
  assert.equal(await p.$('[data-testid=job-cancel]'), null);
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
  // The wide pages of this issue: a dataset version's profile and preview, a job's log.
  for (const [path, ready, name] of [['datasets/flowers/1', '[data-testid=histogram-length]', 'phone-dataset'],
    ['jobs', 'table[aria-label=Jobs]', 'phone-jobs']]) {
    await p.goto(url + '/ui/' + path);
    await p.waitForSelector(ready);
    const wider = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wider <= 1, `${path} is ${wider}px wider than the phone`);
    await shot(name, p);
  }
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
