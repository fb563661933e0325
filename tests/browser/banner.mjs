#!/usr/bin/env node
// The cookie banner in a real, headless Chromium driven by Playwright, on a website of its own
// that this script serves under a strict content security policy, with tags of every category
// gated behind the banner and a "tracker" (also served here) that counts what is loaded. Each
// scenario runs in a fresh browser context: a first visit (nothing loaded, no cookie, both
// layers accessible to axe-core), Accept all, Reject all, a choice made with the keyboard only
// (focus kept inside the dialog), a reload, a re-prompt after the cookie revision changed,
// expiry, Global Privacy Control, Remove my data, withdrawing a category, three more languages,
// and the size of the two files. Choices are checked in the browser and in the consent records
// Custodian keeps (GET /v1/consents). Nothing may be refused by the policy, no error logged.
//
//   node banner.mjs --base-url URL --site ID --api-key KEY
//
// Each may also come from the environment: CUSTODIAN_BASE_URL, CUSTODIAN_SITE,
// CUSTODIAN_API_KEY. The site is the banner site's id; the API key may read its consent
// records. The browser is /usr/bin/chromium unless CUSTODIAN_CHROMIUM names another.
// Screenshots go to target/screenshots/banner-*.png under the repository root (or
// CUSTODIAN_SCREENSHOTS). Exits 1, saying which check failed, when one does.

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

const LOCALES = ['nl', 'zh-CN', 'id'];
const OPT_IN = ['functional', 'performance', 'marketing'];
const DAY = 86_400_000;
const NONCE = 'bmFubmVyLXRlc3Qtbm9uY2U';

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function options() {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      site: { type: 'string' },
      'api-key': { type: 'string' },
    },
  });
  const env = process.env;
  const o = {
    baseUrl: values['base-url'] ?? env.CUSTODIAN_BASE_URL,
    site: values.site ?? env.CUSTODIAN_SITE,
    apiKey: values['api-key'] ?? env.CUSTODIAN_API_KEY,
  };
  const missing = Object.entries(o).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) {
    console.error(
      `banner: missing ${missing.join(', ')}\n` +
        'usage: node banner.mjs --base-url URL --site ID --api-key KEY ' +
        '(or CUSTODIAN_BASE_URL, CUSTODIAN_SITE, CUSTODIAN_API_KEY)',
    );
    process.exit(2);
  }
  o.baseUrl = o.baseUrl.replace(/\/+$/, '');
  return o;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const shots = process.env.CUSTODIAN_SCREENSHOTS || path.join(root, 'target', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function shoot(page, name) {
  const file = path.join(shots, `banner-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`${name}: ${file}`);
  return file;
}

// ---- the tracker and the website ----

/** Serves `handler` on 127.0.0.1 at a free port; resolves to its origin and the server. */
function serve(handler) {
  const server = createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${server.address().port}`, server }));
  });
}

// What each category's tracker script does on the website: set a first-party cookie.
const SETS = {
  functional: 'custodian_lang=nl',
  performance: 'trk_perf=1',
  marketing: '_fbp=fb.test',
  unclassified: 'trk_unclassified=1',
  bogus: 'trk_bogus=1',
};
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Counts every hit as "kind:category" (script, frame, img). */
const hits = {};
const hitsOf = (key) => hits[key] ?? 0;
const resetHits = () => Object.keys(hits).forEach((k) => delete hits[k]);

function tracker(req, res) {
  const url = new URL(req.url, 'http://tracker');
  let m;
  const count = (key) => { hits[key] = hitsOf(key) + 1; };
  const headers = { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' };
  if ((m = /^\/t\/([a-z-]+)\.js$/.exec(url.pathname)) && SETS[m[1]]) {
    count(`script:${m[1]}`);
    res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
    res.end(`document.cookie = ${JSON.stringify(`${SETS[m[1]]}; path=/; max-age=7776000`)};\n`);
  } else if ((m = /^\/f\/([a-z-]+)$/.exec(url.pathname))) {
    count(`frame:${m[1]}`);
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>${m[1]}</title><p>${m[1]} embed</p></html>`);
  } else if ((m = /^\/i\/([a-z-]+)\.gif$/.exec(url.pathname))) {
    count(`img:${m[1]}`);
    res.writeHead(200, { ...headers, 'Content-Type': 'image/gif' });
    res.end(GIF);
  } else {
    res.writeHead(404, headers);
    res.end();
  }
}

/**
 * The website: one page with the banner and gated tags, and /site.js (a stand-in for the
 * site's own code: a gtag that keeps its calls, and a listener for the banner's event).
 * `?locale=x` puts data-locale on the banner's tag, `?lang=x` sets <html lang>, `?nolang` leaves
 * it out (so the browser's language decides).
 */
function website(o, trackerOrigin) {
  const csp = [
    "default-src 'none'",
    `script-src 'self' ${o.baseUrl} ${trackerOrigin} 'nonce-${NONCE}'`,
    `style-src ${o.baseUrl}`,
    `connect-src ${o.baseUrl}`,
    `img-src ${trackerOrigin}`,
    `frame-src ${trackerOrigin}`,
  ].join('; ');
  return (req, res) => {
    const url = new URL(req.url, 'http://site');
    if (url.pathname === '/site.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
      res.end(
        'window.gtagCalls = [];\n' +
          'window.gtag = function () { window.gtagCalls.push(Array.from(arguments)); };\n' +
          'window.consentEvents = [];\n' +
          "window.addEventListener('custodian:consent', function (e) { window.consentEvents.push(e.detail); });\n",
      );
      return;
    }
    if (url.pathname !== '/') {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const lang = url.searchParams.has('nolang') ? '' : ` lang="${url.searchParams.get('lang') || 'en'}"`;
    const locale = url.searchParams.get('locale') ? ` data-locale="${url.searchParams.get('locale')}"` : '';
    const t = trackerOrigin;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': csp });
    res.end(`<!doctype html>
<html${lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Example shop</title>
<script src="/site.js"></script>
<script src="${o.baseUrl}/banner.js" data-site="${o.site}"${locale} defer></script>
</head>
<body>
<main>
<h1>Example shop</h1>
<p>Tea, coffee and biscuits, delivered.</p>
<button type="button" id="settings" data-custodian="settings">Cookie settings</button>
<script type="text/plain" data-category="strictly-necessary" nonce="${NONCE}">window.necessaryRuns = (window.necessaryRuns || 0) + 1;</script>
<script type="text/plain" data-category="functional" src="${t}/t/functional.js"></script>
<script type="text/plain" data-category="performance" src="${t}/t/performance.js"></script>
<script type="text/plain" data-category="performance" nonce="${NONCE}">window.inlineRuns = (window.inlineRuns || 0) + 1;</script>
<script type="text/plain" data-category="marketing" src="${t}/t/marketing.js"></script>
<iframe data-category="marketing" data-src="${t}/f/marketing" title="Advertisement" width="300" height="60"></iframe>
<img data-category="marketing" data-src="${t}/i/marketing.gif" alt="" width="1" height="1">
<script type="text/plain" data-category="unclassified" src="${t}/t/unclassified.js"></script>
<iframe data-category="unclassified" data-src="${t}/f/unclassified" title="Unclassified embed" width="300" height="60"></iframe>
<script type="text/plain" data-category="bogus" src="${t}/t/bogus.js"></script>
</main>
</body>
</html>
`);
  };
}

// ---- Custodian ----

async function getJson(url, headers = {}) {
  const r = await fetch(url, { headers });
  check(r.ok, `GET ${url} answered ${r.status}`);
  return r.json();
}

const configs = {};
async function config(o, locale = 'en') {
  configs[locale] ??= await getJson(`${o.baseUrl}/banner/config?site=${encodeURIComponent(o.site)}&locale=${encodeURIComponent(locale)}`);
  return configs[locale];
}

/** The consent records of the visitor whose banner cookie is in `context`. */
async function records(o, context) {
  const id = (await stored(o, context))?.id;
  check(id, 'no consent id to look up');
  const answer = await getJson(`${o.baseUrl}/v1/consents?visitor=${encodeURIComponent(id)}`, { Authorization: `Bearer ${o.apiKey}` });
  check(Array.isArray(answer.events), 'GET /v1/consents: no events');
  return answer.events;
}

/** The last recorded event for each cookie category, among events matching `filter`. */
function latest(events, filter) {
  const out = {};
  for (const e of events.filter(filter)) out[e.purpose.replace(/^cookie:/, '')] = e;
  return out;
}

function checkRecorded(events, filter, expected, what) {
  const last = latest(events, filter);
  for (const [category, given] of Object.entries(expected)) {
    const e = last[category];
    check(e, `${what}: no record for cookie:${category} (${JSON.stringify(events)})`);
    check(e.given === given, `${what}: cookie:${category} recorded given=${e.given}, not ${given}`);
  }
  return last;
}

// ---- the browser ----

async function cookies(o, context) {
  const site = await context.cookies(o.siteOrigin);
  return Object.fromEntries(site.map((c) => [c.name, c.value]));
}

async function stored(o, context) {
  const name = (await config(o)).cookie_name;
  const value = (await cookies(o, context))[name];
  return value ? JSON.parse(decodeURIComponent(value)) : null;
}

/** A fresh context (its own cookies) with a page whose problems are collected. */
async function fresh(browser, problems, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 }, ...options });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} refused ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    const t = m.text();
    const where = m.location()?.url ?? '';
    if (/Content Security Policy|CSP violation|Refused to/i.test(t)) problems.push(t);
    else if (m.type() === 'error' || m.type() === 'warning') {
      if (/status of 404/.test(t) && where.endsWith('/favicon.ico')) return;
      problems.push(`${m.type()}: ${t} (${where})`);
    }
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  // What is under way, for settle().
  page.inflight = new Set();
  page.on('request', (r) => page.inflight.add(r));
  page.on('requestfinished', (r) => page.inflight.delete(r));
  page.on('response', (r) => page.inflight.delete(r.request())); // keepalive requests never finish here
  page.on('requestfailed', (r) => page.inflight.delete(r));
  return { context, page };
}

const dialog = (page) => page.locator('#custodian-banner [role="dialog"]');

/** Opens the website and waits until the banner has decided (its dialog or its corner button). */
async function visit(o, page, query = '') {
  resetHits();
  const response = await page.goto(`${o.siteOrigin}/${query}`);
  check(response.status() === 200, `the website answered ${response.status()}`);
  await page.locator('#custodian-banner [role="dialog"]:visible, button.cdn-open:visible').first().waitFor();
  await settle(page);
}

/** Waits for the network to be quiet for 300 ms, so that every hit that will come has come. */
async function settle(page) {
  await page.waitForLoadState('load');
  let quiet = 0;
  for (let i = 0; i < 200 && quiet < 6; i += 1) {
    await sleep(50);
    quiet = page.inflight.size === 0 ? quiet + 1 : 0;
  }
  check(quiet >= 6, `the network never went quiet: ${[...page.inflight].map((r) => r.url()).join(', ')}`);
}

async function shown(page) {
  return dialog(page).isVisible();
}

/** Clicks the dialog button named `name`, waits for the choice to be recorded, returns what was sent. */
async function choose(page, name) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/banner/consent') && r.request().method() === 'POST'),
    page.locator('#custodian-banner button:visible', { hasText: name }).first().click(),
  ]);
  check(response.status() === 201, `recording ${name} answered ${response.status()}`);
  await settle(page);
  // The body of a keepalive request's answer does not reach Playwright: what was sent is checked.
  return response.request().postDataJSON();
}

function checkHits(expected, what) {
  const all = { ...Object.fromEntries(Object.keys(hits).map((k) => [k, 0])), ...expected };
  for (const [key, n] of Object.entries(all)) {
    check(hitsOf(key) === n, `${what}: ${key} was loaded ${hitsOf(key)} times, not ${n} (hits: ${JSON.stringify(hits)})`);
  }
}

const EVERYTHING = {
  'script:functional': 1, 'script:performance': 1, 'script:marketing': 1, 'frame:marketing': 1, 'img:marketing': 1,
};

async function axe(page, what) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run('#custodian-banner', { resultTypes: ['violations'], preload: false }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe-core on ${what}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(', ')}`).join(' | ')}`);
}

async function texts(page) {
  return page.evaluate(() => document.querySelector('#custodian-banner').innerText);
}

// ---- the scenarios ----

async function firstVisit(o, page, context) {
  const c = await config(o);
  await visit(o, page);
  check(await shown(page), 'first visit: no banner');
  const d = dialog(page);
  check((await d.getAttribute('aria-modal')) === 'true', 'the dialog is not modal');
  const labelled = await page.evaluate(() => {
    const x = document.querySelector('#custodian-banner [role="dialog"]');
    const text = (a) => (x.getAttribute(a) || '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    return { title: text('aria-labelledby'), intro: text('aria-describedby'), lang: x.lang };
  });
  check(labelled.title === c.texts.title, `the dialog is labelled ${JSON.stringify(labelled.title)}`);
  check(labelled.intro.startsWith(c.texts.intro), `the dialog is described by ${JSON.stringify(labelled.intro)}`);
  check(labelled.lang === c.locale, `the dialog's lang is ${labelled.lang}`);
  check((await page.evaluate(() => document.activeElement.textContent)) === c.texts.accept_all, 'focus is not on the first button');
  const notice = await d.locator(`a[href="${c.notice_url}"]`).count();
  check(notice === 1, 'no link to the cookie notice');
  check((await d.locator('button', { hasText: c.texts.remove }).count()) === 1, 'no Remove my data');

  // Accept all, Reject all and Adjust settings are equally prominent.
  const looks = await page.evaluate((names) => names.map((n) => {
    const b = [...document.querySelectorAll('#custodian-banner button')].find((x) => x.textContent === n && x.getClientRects().length);
    const s = getComputedStyle(b);
    const r = b.getBoundingClientRect();
    return { cls: b.className, w: Math.round(r.width), h: Math.round(r.height), bg: s.backgroundColor, fg: s.color, font: s.fontSize + s.fontWeight, border: s.border };
  }), [c.texts.accept_all, c.texts.reject_all, c.texts.adjust]);
  const same = (k) => looks.every((l) => l[k] === looks[0][k]);
  check(['cls', 'w', 'h', 'bg', 'fg', 'font', 'border'].every(same), `the three choices differ: ${JSON.stringify(looks)}`);

  checkHits({}, 'first visit');
  check((await page.evaluate(() => window.necessaryRuns)) === 1, 'the strictly necessary tag did not run at once');
  check((await page.evaluate(() => window.inlineRuns)) === undefined, 'the performance inline tag ran');
  check(Object.keys(await cookies(o, context)).length === 0, `first visit: cookies ${JSON.stringify(await cookies(o, context))}`);
  // A tag added later is gated as well.
  await page.evaluate((t) => {
    const img = document.createElement('img');
    img.alt = '';
    img.setAttribute('data-category', 'marketing');
    img.setAttribute('data-src', `${t}/i/late.gif`);
    document.body.appendChild(img);
  }, o.trackerOrigin);
  await settle(page);
  checkHits({}, 'first visit, a late tag');
  await axe(page, 'the first layer');
  await shoot(page, 'first-layer-en');

  // The second layer: a switch per category, the tables.
  await d.locator('button', { hasText: c.texts.adjust }).click();
  check((await page.locator('#custodian-banner h2:visible').innerText()) === c.texts.settings_title, 'no second layer');
  for (const cat of c.categories) {
    const box = page.locator(`#custodian-banner input[role="switch"]#cdn-c-${cat.id}`);
    check((await box.count()) === 1, `no switch for ${cat.id}`);
    const label = await page.locator(`#custodian-banner label[for="cdn-c-${cat.id}"]`).innerText();
    check(label === cat.name, `the switch for ${cat.id} is labelled ${label}`);
    const [checked, disabled] = [await box.isChecked(), await box.isDisabled()];
    const want = { 'always-on': [true, true], blocked: [false, true], 'opt-in': [false, false] }[cat.consent];
    check(want && checked === want[0] && disabled === want[1], `${cat.id}: checked ${checked}, disabled ${disabled}`);
  }
  const all = await texts(page);
  for (const t of [c.texts.always_on, c.texts.blocked, c.texts.browser_help, c.texts.save, c.texts.back]) {
    check(all.includes(t), `the second layer lacks ${JSON.stringify(t)}`);
  }
  for (const s of await page.locator('#custodian-banner details summary').all()) await s.click();
  const rows = await page.locator('#custodian-banner details table tbody tr').count();
  check(rows === c.cookies.length, `the tables list ${rows} cookies, not ${c.cookies.length}`);
  check((await texts(page)).includes(c.texts.no_cookies), 'an empty category does not say so');
  await axe(page, 'the second layer');
  await page.evaluate(() => { document.querySelector('#custodian-banner [role="dialog"]').scrollTop = 0; });
  await shoot(page, 'settings');

  // 320 px wide: nothing wider than the screen (the tables stacked), the three choices one
  // under the other.
  await page.setViewportSize({ width: 320, height: 640 });
  const fits = () => page.evaluate(() => {
    const x = document.querySelector('#custodian-banner [role="dialog"]');
    const r = x.getBoundingClientRect();
    const wide = [...x.querySelectorAll('*')].filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > r.right);
    return r.left >= 0 && r.right <= 320 && x.scrollWidth <= x.clientWidth && wide.length === 0;
  });
  check(await fits(), 'the second layer does not fit 320 px');
  await axe(page, 'the second layer at 320 px');
  await page.keyboard.press('Escape');
  check(await fits(), 'the first layer does not fit 320 px');
  const tops = await page.evaluate((names) => names.map((n) => [...document.querySelectorAll('#custodian-banner button')]
    .find((b) => b.textContent === n).getBoundingClientRect().top), [c.texts.accept_all, c.texts.reject_all, c.texts.adjust]);
  check(tops[0] < tops[1] && tops[1] < tops[2], 'the choices are not stacked at 320 px');
  await shoot(page, 'narrow');
}

async function acceptAll(o, page, context) {
  const c = await config(o);
  await visit(o, page);
  const sent = await choose(page, c.texts.accept_all);
  check(!(await shown(page)), 'the banner stays after Accept all');
  check(await page.locator('button.cdn-open:visible').isVisible(), 'no Cookie settings button after a choice');
  checkHits(EVERYTHING, 'Accept all');
  check((await page.evaluate(() => window.inlineRuns)) === 1, 'the inline performance tag did not run once');
  check(sent.action === 'accept-all' && sent.categories.length === 3 && sent.site === o.site && sent.gpc === false && sent.gpc_source === null,
    `Accept all sent ${JSON.stringify(sent)}`);
  const v = await stored(o, context);
  check(v && v.rev === c.revision && v.gpc === false, `the consent cookie: ${JSON.stringify(v)}`);
  check(OPT_IN.every((x) => v.cats.includes(x)) && v.cats.length === 3, `the cookie holds ${v.cats}`);
  check(Math.abs(Date.now() - v.at) < 60_000, 'the cookie has no time of the choice');
  const site = await cookies(o, context);
  check(site._fbp === 'fb.test' && site.custodian_lang === 'nl' && site.trk_perf === '1', `the trackers' cookies: ${JSON.stringify(site)}`);
  const raw = (await context.cookies(o.siteOrigin)).find((x) => x.name === c.cookie_name);
  const days = (raw.expires * 1000 - Date.now()) / DAY;
  check(Math.abs(days - c.consent_lifetime_days) < 1, `the consent cookie lasts ${days} days`);
  check(raw.sameSite === 'Lax' && raw.path === '/', `the consent cookie: ${JSON.stringify(raw)}`);
  const seen = await page.evaluate(() => ({ gtag: window.gtagCalls, events: window.consentEvents, api: window.CustodianBanner.consent() }));
  const update = seen.gtag.find((x) => x[0] === 'consent' && x[1] === 'update');
  check(update && update[2].ad_storage === 'granted' && update[2].analytics_storage === 'granted' && update[2].security_storage === 'granted',
    `gtag consent update: ${JSON.stringify(seen.gtag)}`);
  check(seen.events.length === 1 && seen.events[0].categories.length === 3, `custodian:consent events: ${JSON.stringify(seen.events)}`);
  check(seen.api && seen.api.categories.length === 3 && seen.api.gpc === false, `CustodianBanner.consent(): ${JSON.stringify(seen.api)}`);
  // A tag added now loads at once.
  await page.evaluate((t) => {
    const img = document.createElement('img');
    img.alt = '';
    img.setAttribute('data-category', 'marketing');
    img.setAttribute('data-src', `${t}/i/late.gif`);
    document.body.appendChild(img);
  }, o.trackerOrigin);
  await settle(page);
  checkHits({ ...EVERYTHING, 'img:late': 1 }, 'Accept all, a late tag');
  await shoot(page, 'after-choice');
  const events = await records(o, context);
  const last = checkRecorded(events, (e) => e.action === 'accept-all', { functional: true, performance: true, marketing: true }, 'Accept all');
  const e = last.marketing;
  check(e.method === 'banner' && e.gpc === false && e.revision === c.revision && e.locale === c.locale && e.text_hash === c.text_hash,
    `the record of Accept all: ${JSON.stringify(e)}`);
}

async function rejectAll(o, page, context) {
  const c = await config(o);
  await visit(o, page);
  const sent = await choose(page, c.texts.reject_all);
  check(!(await shown(page)), 'the banner stays after Reject all');
  checkHits({}, 'Reject all');
  check(sent.action === 'reject-all' && sent.categories.length === 0, `Reject all sent ${JSON.stringify(sent)}`);
  const v = await stored(o, context);
  check(v && v.cats.length === 0, `the consent cookie after Reject all: ${JSON.stringify(v)}`);
  const raw = (await context.cookies(o.siteOrigin)).find((x) => x.name === c.cookie_name);
  const days = (raw.expires * 1000 - Date.now()) / DAY;
  check(Math.abs(days - c.refusal_lifetime_days) < 1, `a refusal is kept ${days} days, not ${c.refusal_lifetime_days}`);
  const update = (await page.evaluate(() => window.gtagCalls)).find((x) => x[1] === 'update');
  check(update && update[2].ad_storage === 'denied' && update[2].analytics_storage === 'denied', 'gtag is not told of the refusal');
  checkRecorded(await records(o, context), (e) => e.action === 'reject-all', { functional: false, performance: false, marketing: false }, 'Reject all');
}

async function keyboard(o, page, context) {
  const c = await config(o);
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    const s = getComputedStyle(a);
    return {
      inside: !!a.closest('#custodian-banner [role="dialog"]'),
      text: a.textContent,
      id: a.id,
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    };
  });
  async function trapped(layer) {
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < 30; i += 1) {
        await page.keyboard.press(key);
        const a = await active();
        check(a.inside, `${layer}: ${key} ${i + 1} left the dialog`);
        check(a.outline, `${layer}: no visible focus on ${a.id || a.text}`);
      }
    }
  }
  async function tabTo(test, what) {
    for (let i = 0; i < 40; i += 1) {
      if (test(await active())) return;
      await page.keyboard.press('Tab');
    }
    throw new CheckFailed(`Tab never reaches ${what}`);
  }
  await visit(o, page);
  await page.keyboard.press('Escape');
  check(await shown(page), 'Escape dismisses the first layer before any choice');
  await trapped('the first layer');
  await tabTo((a) => a.text === c.texts.adjust, 'Adjust settings');
  await page.keyboard.press('Enter');
  check((await page.locator('#custodian-banner h2:visible').innerText()) === c.texts.settings_title, 'Enter on Adjust settings does not open the settings');
  await trapped('the second layer');
  await page.keyboard.press('Escape');
  check((await page.locator('#custodian-banner h2:visible').innerText()) === c.texts.title, 'Escape does not go back to the first layer');
  check((await active()).text === c.texts.adjust, 'Escape does not put the focus back on Adjust settings');
  await page.keyboard.press('Enter');
  await tabTo((a) => a.id === 'cdn-c-performance', 'the performance switch');
  await page.keyboard.press('Space');
  check(await page.locator('#cdn-c-performance').isChecked(), 'Space does not switch performance on');
  await tabTo((a) => a.text === c.texts.save, 'Save my choices');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/banner/consent')),
    page.keyboard.press('Enter'),
  ]);
  check(response.status() === 201, `saving answered ${response.status()}`);
  await settle(page);
  check(!(await shown(page)), 'the banner stays after saving');
  check(!(await active()).inside, 'the focus stays in the hidden dialog');
  checkHits({ 'script:performance': 1 }, 'performance only');
  check((await page.evaluate(() => window.inlineRuns)) === 1, 'the inline performance tag did not run');
  const v = await stored(o, context);
  check(v.cats.length === 1 && v.cats[0] === 'performance', `the cookie holds ${v.cats}`);
  checkRecorded(await records(o, context), (e) => e.action === 'save', { functional: false, performance: true, marketing: false }, 'the keyboard choice');

  // Opened from a button on the page, the focus goes back to it.
  await page.focus('#settings');
  await page.keyboard.press('Enter');
  check(await shown(page), 'the page\'s settings button does not open the banner');
  check(await page.locator('#cdn-c-performance').isChecked(), 'the settings do not show the choice made');
  await tabTo((a) => a.text === c.texts.save, 'Save my choices (again)');
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/banner/consent')), page.keyboard.press('Enter')]);
  check((await active()).id === 'settings', 'the focus does not go back to where it was');
  // With a choice made, Escape twice calls a change off.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  check(!(await shown(page)) && (await active()).id === 'settings', 'Escape does not call off a change');
}

async function reload(o, page, context) {
  const c = await config(o);
  await visit(o, page);
  await page.locator('#custodian-banner button', { hasText: c.texts.adjust }).click();
  await page.locator('#cdn-c-functional').check();
  await page.locator('#cdn-c-marketing').check();
  await choose(page, c.texts.save);
  const choice = { 'script:functional': 1, 'script:marketing': 1, 'frame:marketing': 1, 'img:marketing': 1 };
  checkHits(choice, 'functional and marketing');
  await visit(o, page);
  check(!(await shown(page)), 'the banner shows again after a choice');
  checkHits(choice, 'the reload');
  check((await page.evaluate(() => window.consentEvents.length)) === 1, 'the stored choice is not announced');
  const v = await stored(o, context);
  check(v.cats.join() === 'functional,marketing', `the cookie holds ${v.cats}`);
}

async function reprompt(o, page, context) {
  const c = await config(o);
  await visit(o, page);
  await choose(page, c.texts.accept_all);
  const v = await stored(o, context);
  const raw = (await context.cookies(o.siteOrigin)).find((x) => x.name === c.cookie_name);
  await context.addCookies([{ ...raw, value: encodeURIComponent(JSON.stringify({ ...v, rev: '2000.0.old' })) }]);
  await visit(o, page);
  check(await shown(page), 'no banner after the revision changed');
  checkHits({}, 'an old revision');
  await page.locator('#custodian-banner button', { hasText: c.texts.adjust }).click();
  for (const x of OPT_IN) check(await page.locator(`#cdn-c-${x}`).isChecked(), `the earlier choice of ${x} is not filled in`);
  await choose(page, c.texts.reject_all);
  check((await stored(o, context)).id === v.id, 'the consent id changed');
  const site = await cookies(o, context);
  // (trk_perf is in no category's inventory, so nothing knows to delete it.)
  check(!site._fbp && !site.custodian_lang, `rejecting kept the earlier trackers' cookies: ${JSON.stringify(site)}`);
}

async function expiry(o, page, context) {
  const c = await config(o);
  const now = Date.now();
  await context.clock.install({ time: now });
  await visit(o, page);
  await choose(page, c.texts.accept_all);
  await context.clock.setSystemTime(now + (c.consent_lifetime_days - 1) * DAY);
  await visit(o, page);
  check(!(await shown(page)), 'the banner shows before the consent expired');
  await context.clock.setSystemTime(now + (c.consent_lifetime_days + 1) * DAY);
  await visit(o, page);
  check(await shown(page), `no banner ${c.consent_lifetime_days + 1} days later`);
  checkHits({}, 'an expired choice');
  // A refusal is asked again sooner.
  await choose(page, c.texts.reject_all);
  await context.clock.setSystemTime(now + (c.consent_lifetime_days + c.refusal_lifetime_days + 2) * DAY);
  await visit(o, page);
  check(await shown(page), `no banner ${c.refusal_lifetime_days + 1} days after a refusal`);
}

async function gpc(o, browser, problems) {
  const c = await config(o);
  const { context, page } = await fresh(browser, problems, { extraHTTPHeaders: { 'Sec-GPC': '1' } });
  try {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    let posts = 0;
    page.on('request', (r) => { if (r.method() === 'POST') posts += 1; });
    await visit(o, page);
    check(await shown(page), 'GPC: no banner');
    check((await texts(page)).includes(c.texts.gpc), 'GPC: the signal is not mentioned');
    check(posts === 0 && !(await stored(o, context)), 'GPC alone posted or wrote a cookie');
    await shoot(page, 'gpc');
    await choose(page, c.texts.accept_all);
    checkHits({ 'script:functional': 1, 'script:performance': 1 }, 'Accept all under GPC');
    let v = await stored(o, context);
    check(v.gpc === true && v.cats.join() === 'functional,performance', `the cookie under GPC: ${JSON.stringify(v)}`);
    let last = checkRecorded(await records(o, context), (e) => e.action === 'accept-all', { functional: true, performance: true, marketing: false }, 'Accept all under GPC');
    check(last.marketing.gpc === true && last.marketing.gpc_source === 'dom', `the GPC record: ${JSON.stringify(last.marketing)}`);

    // An explicit yes to marketing in the settings counts.
    resetHits();
    await page.evaluate(() => window.CustodianBanner.show());
    check(!(await page.locator('#cdn-c-marketing').isChecked()), 'marketing is on under GPC');
    await page.locator('#cdn-c-marketing').check();
    await choose(page, c.texts.save);
    checkHits({ 'script:marketing': 1, 'frame:marketing': 1, 'img:marketing': 1 }, 'marketing switched on under GPC');
    v = await stored(o, context);
    check(v.gpc === true && v.cats.includes('marketing'), `the cookie: ${JSON.stringify(v)}`);
    last = checkRecorded(await records(o, context), (e) => e.action === 'save', { marketing: true }, 'marketing under GPC');
    check(last.marketing.gpc === true, 'the explicit choice is not recorded with GPC');
    // ... and stays on the next visit.
    await visit(o, page);
    check(!(await shown(page)), 'GPC: the banner shows again');
    checkHits({ ...EVERYTHING }, 'the reload under GPC');
  } finally {
    await context.close();
  }

  // A yes to marketing given without the signal is withdrawn once the signal comes.
  const next = await fresh(browser, problems);
  try {
    await visit(o, next.page);
    await choose(next.page, c.texts.accept_all);
    check((await cookies(o, next.context))._fbp, 'no marketing cookie to withdraw');
    await next.context.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
    await next.context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    const [response] = await Promise.all([
      next.page.waitForResponse((r) => r.url().endsWith('/banner/consent')),
      visit(o, next.page),
    ]);
    check(response.status() === 201, `the GPC record answered ${response.status()}`);
    check(!(await shown(next.page)), 'the banner shows when GPC overrides an earlier choice');
    checkHits({ 'script:functional': 1, 'script:performance': 1 }, 'GPC after an earlier yes');
    const v = await stored(o, next.context);
    check(v.gpc === true && v.cats.join() === 'functional,performance', `the cookie after GPC came: ${JSON.stringify(v)}`);
    check(!(await cookies(o, next.context))._fbp, 'the marketing cookie stays under GPC');
    checkRecorded(await records(o, next.context), (e) => e.action === 'gpc', { functional: true, performance: true, marketing: false }, 'GPC after an earlier yes');
  } finally {
    await next.context.close();
  }

  // The header alone (a browser without the property): Custodian tells the banner.
  const header = await fresh(browser, problems, { extraHTTPHeaders: { 'Sec-GPC': '1' } });
  try {
    await visit(o, header.page);
    check((await texts(header.page)).includes(c.texts.gpc), 'GPC by header: the signal is not mentioned');
    const sent = await choose(header.page, c.texts.accept_all);
    check(sent.gpc === true && sent.gpc_source === 'header' && !sent.categories.includes('marketing'), `GPC by header sent ${JSON.stringify(sent)}`);
    checkHits({ 'script:functional': 1, 'script:performance': 1 }, 'Accept all with the GPC header');
  } finally {
    await header.context.close();
  }
}

async function removeData(o, page, context) {
  const c = await config(o);
  await visit(o, page);
  await choose(page, c.texts.accept_all);
  const before = await cookies(o, context);
  check(before._fbp && before.custodian_lang && before[c.cookie_name], `cookies before removing: ${JSON.stringify(before)}`);
  const id = (await stored(o, context)).id;
  await page.locator('button.cdn-open').click();
  await page.locator('#custodian-banner button', { hasText: c.texts.back }).click();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/banner/remove')),
    page.locator('#custodian-banner button', { hasText: c.texts.remove }).click(),
  ]);
  check(response.status() === 200, `Remove my data answered ${response.status()}`);
  await page.locator('#custodian-banner [role="status"]', { hasText: c.texts.removed }).waitFor();
  const after = await cookies(o, context);
  check(!after._fbp && !after.custodian_lang && !after[c.cookie_name], `cookies left: ${JSON.stringify(after)}`);
  check(await shown(page), 'the banner is not shown again');
  check((await page.locator('#custodian-banner h2:visible').innerText()) === c.texts.title, 'not the first layer');
  check((await page.evaluate(() => window.CustodianBanner.consent())) === null, 'a consent is still reported');
  await shoot(page, 'removed');
  const events = await getJson(`${o.baseUrl}/v1/consents?visitor=${id}`, { Authorization: `Bearer ${o.apiKey}` });
  const last = checkRecorded(events.events, (e) => e.method === 'remove-my-data', { functional: false, performance: false, marketing: false }, 'Remove my data');
  check(last.marketing.given === false, 'the withdrawal is not recorded');
}

async function withdraw(o, page, context) {
  const c = await config(o);
  await visit(o, page);
  await choose(page, c.texts.accept_all);
  check((await cookies(o, context))._fbp, 'no _fbp after Accept all');
  await page.click('#settings');
  check(await page.locator('#cdn-c-marketing').isChecked(), 'the settings do not show marketing on');
  await page.locator('#cdn-c-marketing').uncheck();
  await choose(page, c.texts.save);
  const site = await cookies(o, context);
  check(!site._fbp, '_fbp stays after marketing was withdrawn');
  check(site.custodian_lang === 'nl', 'withdrawing marketing deleted the functional cookie');
  check((await stored(o, context)).cats.join() === 'functional,performance', 'the cookie does not hold the new choice');
  checkRecorded(await records(o, context), (e) => e.action === 'save', { functional: true, performance: true, marketing: false }, 'withdrawing marketing');
}

async function locales(o, browser, problems) {
  // nl through data-locale, zh-CN through <html lang="zh-Hans">, id through the browser's language.
  const ways = { nl: ['?locale=nl', 'en-US'], 'zh-CN': ['?lang=zh-Hans', 'en-US'], id: ['?nolang', 'id-ID'] };
  for (const locale of LOCALES) {
    const c = await config(o, locale);
    check(c.locale === locale, `the config for ${locale} is in ${c.locale}`);
    const [query, browserLocale] = ways[locale];
    const { context, page } = await fresh(browser, problems, { locale: browserLocale });
    try {
      await visit(o, page, query);
      const all = await texts(page);
      for (const k of ['title', 'intro', 'accept_all', 'reject_all', 'adjust', 'remove', 'notice_link']) {
        check(all.includes(c.texts[k]), `${locale}: the first layer lacks ${k} ${JSON.stringify(c.texts[k])}`);
      }
      const lang = await dialog(page).getAttribute('lang');
      check(lang === locale, `${locale}: the banner's lang is ${lang}`);
      await shoot(page, `first-layer-${locale}`);
      await choose(page, c.texts.accept_all);
      check((await stored(o, context)).cats.length === 3, `${locale}: Accept all did not take`);
    } finally {
      await context.close();
    }
  }
}

async function size(o) {
  let total = 0;
  for (const file of ['banner.js', 'banner.css']) {
    const r = await fetch(`${o.baseUrl}/${file}`);
    check(r.ok, `GET /${file} answered ${r.status}`);
    const bytes = Buffer.from(await r.arrayBuffer());
    const gz = gzipSync(bytes, { level: 9 }).length;
    console.log(`size: ${file} ${bytes.length} bytes, ${gz} gzipped`);
    total += gz;
  }
  console.log(`size: together ${total} bytes gzipped`);
  check(total <= 10_240, `banner.js and banner.css are ${total} bytes gzipped, more than 10 KB`);
  console.log('l. size: passed');
}

async function main() {
  const o = options();
  const executablePath = process.env.CUSTODIAN_CHROMIUM || '/usr/bin/chromium';
  mkdirSync(shots, { recursive: true });
  const trackerServer = await serve(tracker);
  o.trackerOrigin = trackerServer.origin;
  const siteServer = await serve(website(o, o.trackerOrigin));
  o.siteOrigin = siteServer.origin;
  const browser = await chromium
    .launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .catch((e) => {
      console.error(`banner: FAILED: Chromium (${executablePath}) does not start: ${e.message}`);
      process.exit(1);
    });
  let page;
  try {
    await size(o);
    const scenarios = [
      ['a. first visit', firstVisit],
      ['b. accept all', acceptAll],
      ['c. reject all', rejectAll],
      ['d. keyboard only', keyboard],
      ['e. reload', reload],
      ['f. re-prompt', reprompt],
      ['g. expiry', expiry],
      ['h. GPC', null],
      ['i. remove my data', removeData],
      ['j. withdrawal', withdraw],
      ['k. locales', null],
    ];
    for (const [name, scenario] of scenarios) {
      const problems = [];
      if (name.startsWith('h.')) await gpc(o, browser, problems);
      else if (name.startsWith('k.')) await locales(o, browser, problems);
      else {
        let context;
        ({ context, page } = await fresh(browser, problems));
        try {
          await scenario(o, page, context);
        } catch (e) {
          if (page) {
            try {
              console.error(`the page at the failure: ${await shoot(page, 'failure')}`);
            } catch {
              // the page is gone; the message says why
            }
          }
          throw e;
        } finally {
          await context.close();
        }
      }
      check(problems.length === 0, `${name}: ${problems.join(' | ')}`);
      console.log(`${name}: passed`);
    }
    console.log('banner: every check passed');
  } catch (e) {
    console.error(`banner: FAILED: ${e instanceof CheckFailed ? e.message : e.stack || e}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
    trackerServer.server.close();
    siteServer.server.close();
  }
}

await main();
