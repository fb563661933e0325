#!/usr/bin/env node
// The staff console in a real, headless Chromium driven by Playwright: a member of staff signs
// in through the sign-in page with a TOTP code, opens every console page in English and in
// Simplified Chinese (each rendered under the strict content security policy with nothing
// refused, the current page marked in the nav) and takes a screenshot of each; then tries to
// approve their own request (refused, with a message), approves a colleague's, and gives the
// audit page a bad date.
//
//   node console.mjs --base-url URL --email ADDRESS --password PASSWORD --secret BASE32 \
//     --case ID --disclosure ID
//
// Each may also come from the environment: CUSTODIAN_BASE_URL, CUSTODIAN_EMAIL,
// CUSTODIAN_PASSWORD, CUSTODIAN_TOTP_SECRET, CUSTODIAN_CASE, CUSTODIAN_DISCLOSURE. The browser
// is /usr/bin/chromium unless CUSTODIAN_CHROMIUM names another. Screenshots go to
// target/screenshots/console-*.png under the repository root (or CUSTODIAN_SCREENSHOTS).
// Exits 1, saying which check failed, when one does.

import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const LANGUAGES = ['en', 'zh-CN'];

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function options() {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      secret: { type: 'string' },
      case: { type: 'string' },
      disclosure: { type: 'string' },
    },
  });
  const env = process.env;
  const o = {
    baseUrl: values['base-url'] ?? env.CUSTODIAN_BASE_URL,
    email: values.email ?? env.CUSTODIAN_EMAIL,
    password: values.password ?? env.CUSTODIAN_PASSWORD,
    secret: values.secret ?? env.CUSTODIAN_TOTP_SECRET,
    caseId: values.case ?? env.CUSTODIAN_CASE,
    disclosure: values.disclosure ?? env.CUSTODIAN_DISCLOSURE,
  };
  const missing = Object.entries(o).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) {
    console.error(
      `console: missing ${missing.join(', ')}\n` +
        'usage: node console.mjs --base-url URL --email ADDRESS --password PASSWORD --secret BASE32 ' +
        '--case ID --disclosure ID (or the CUSTODIAN_* variables)',
    );
    process.exit(2);
  }
  o.baseUrl = o.baseUrl.replace(/\/+$/, '');
  return o;
}

// ---- TOTP (RFC 6238 on RFC 4226) ----

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of clean) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new CheckFailed(`the TOTP secret is not base32 (character ${JSON.stringify(c)})`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function hotp(key, counter) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

const step = (ms = Date.now()) => Math.floor(ms / 1000 / 30);

// ---- The browser ----

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const shots = process.env.CUSTODIAN_SCREENSHOTS || path.join(root, 'target', 'screenshots');

async function shoot(page, name) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Clicks `button` and returns the response of the POST it sends. */
async function submit(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.click(button),
  ]);
  await page.waitForLoadState('load');
  return response;
}

async function text(page, selector) {
  const element = await page.$(selector);
  check(element, `${page.url()}: nothing matches ${selector}`);
  return (await element.innerText()).trim();
}

async function run(o, page, refusals) {
  // Sign in with the second factor, as staff must.
  let response = await page.goto(`${o.baseUrl}/account/sign-in`);
  check(response.status() === 200, `GET /account/sign-in answered ${response.status()}`);
  await page.fill('#email', o.email);
  await page.fill('#password', o.password);
  await page.fill('#code', hotp(base32Decode(o.secret), step()));
  response = await submit(page, '#sign-in button[type=submit]');
  check(response.status() === 303, `signing in answered ${response.status()}, not 303`);

  const pages = [
    ['overview', '/console', 'overview'],
    ['approvals', '/console/approvals', 'approvals'],
    ['grants', '/console/grants', 'grants'],
    ['grants-all', '/console/grants?all=1', 'grants'],
    ['cases', '/console/cases', 'cases'],
    ['case', `/console/cases/${o.caseId}`, 'cases'],
    ['audit', '/console/audit?action=grant.', 'audit'],
    ['disclosures', '/console/disclosures', 'disclosures'],
    ['disclosure', `/console/cases/${o.disclosure}`, 'disclosures'],
  ];
  for (const lang of LANGUAGES) {
    for (const [name, address, nav] of pages) {
      const sep = address.includes('?') ? '&' : '?';
      response = await page.goto(`${o.baseUrl}${address}${sep}lang=${encodeURIComponent(lang)}`);
      check(response.status() === 200, `GET ${address} (${lang}) answered ${response.status()}`);
      check(response.headers()['cache-control'] === 'no-store', `${address} may be cached`);
      check((await page.getAttribute('html', 'lang')) === lang, `${address} is not in ${lang}`);
      const current = await page.getAttribute('.console-nav a[aria-current=page]', 'href');
      check(current && current.startsWith(nav === 'overview' ? '/console?' : `/console/${nav}?`), `${address}: the nav marks ${current}`);
      check((await text(page, '.console-me .me')) === o.email, `${address} does not say who is signed in`);
      console.log(`${name} (${lang}): ${await shoot(page, `console-${name}-${lang}`)}`);
    }
  }
  check(refusals.length === 0, `the browser refused something under the content security policy: ${refusals.join(' | ')}`);

  // One's own request cannot be approved: the engine's words, in a banner, with a 403.
  await page.goto(`${o.baseUrl}/console/approvals?lang=en`);
  const own = page.locator('article.card', { has: page.locator('.badge', { hasText: 'Your request' }) }).first();
  check((await own.count()) === 1, 'no request of my own on the approvals page');
  const ownId = await own.getAttribute('id');
  response = await submit(page, `#${ownId} button[value=approve]`);
  check(response.status() === 403, `approving my own request answered ${response.status()}, not 403`);
  const refusal = await text(page, '#banner');
  check(/four eyes/.test(refusal), `no clear refusal: ${JSON.stringify(refusal)}`);
  console.log(`refused: ${await shoot(page, 'console-approvals-refused-en')}`);

  // A colleague's request is approved, with a note.
  const other = page.locator('article.card:not(:has(.badge))').first();
  check((await other.count()) === 1, "no colleague's request on the approvals page");
  const otherId = await other.getAttribute('id');
  await page.fill(`#${otherId} input[name=note]`, 'checked against the ticket');
  response = await submit(page, `#${otherId} button[value=approve]`);
  check(response.status() === 303, `approving answered ${response.status()}, not 303`);
  check(/approved/.test(await text(page, '#banner')), 'no word that the request is approved');
  console.log(`approved: ${await shoot(page, 'console-approvals-approved-en')}`);

  // A bad date on the audit page: the field says so.
  response = await page.goto(`${o.baseUrl}/console/audit?since=yesterday&lang=en`);
  check(response.status() === 422, `a bad date answered ${response.status()}, not 422`);
  check((await page.getAttribute('#audit-since', 'aria-invalid')) === 'true', 'the date field is not marked');
  check(/2026-03-01/.test(await text(page, '#audit-since-error')), 'no message on the date field');
  console.log(`bad date: ${await shoot(page, 'console-audit-error-en')}`);
  check(refusals.length === 0, `the browser refused something: ${refusals.join(' | ')}`);
}

async function main() {
  const o = options();
  const executablePath = process.env.CUSTODIAN_CHROMIUM || '/usr/bin/chromium';
  mkdirSync(shots, { recursive: true });
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
      console.error(`console: FAILED: Chromium (${executablePath}) does not start: ${e.message}`);
      process.exit(1);
    });
  let page;
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    // Whatever the content security policy refuses shows up on the console.
    const refusals = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refusals.push(m.text());
    });
    page.on('pageerror', (e) => refusals.push(String(e)));
    await run(o, page, refusals);
    console.log('console: every check passed');
  } catch (e) {
    if (page) {
      try {
        console.error(`the page at the failure: ${await shoot(page, 'console-failure')}`);
      } catch {
        // the page is gone; the message below says why
      }
    }
    console.error(`console: FAILED: ${e instanceof CheckFailed ? e.message : e.stack || e}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
