#!/usr/bin/env node
// Data subject requests in a real, headless Chromium driven by Playwright: a person makes a
// request at the privacy center, in English and in Simplified Chinese, enters a wrong code
// (told so at the field), then the code from the e-mail (which the test that runs this script
// reads from a mail sink and writes to a file), and lands on the request's status page. Then a
// customer's privacy dashboard and the staff console's request pages are opened in both
// languages. Every page is rendered under the strict content security policy with nothing
// refused and nothing logged as an error, and a screenshot is taken of each.
//
//   node requests.mjs --base-url URL --codes DIR --customer-cookie C --staff-cookie C \
//     --customer-request ID --staff-request ID
//
// Each may also come from the environment: CUSTODIAN_BASE_URL, CUSTODIAN_CODES,
// CUSTODIAN_CUSTOMER_COOKIE, CUSTODIAN_STAFF_COOKIE, CUSTODIAN_CUSTOMER_REQUEST,
// CUSTODIAN_STAFF_REQUEST. The cookies are `name=value` pairs of signed-in sessions. The code
// for the address `a@b` is read from the file `a@b` in the codes directory once it appears
// (the newest code wins). The browser is /usr/bin/chromium unless CUSTODIAN_CHROMIUM names
// another. Screenshots go to target/screenshots/requests-*.png under the repository root (or
// CUSTODIAN_SCREENSHOTS). Exits 1, saying which check failed, when one does.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
      codes: { type: 'string' },
      'customer-cookie': { type: 'string' },
      'staff-cookie': { type: 'string' },
      'customer-request': { type: 'string' },
      'staff-request': { type: 'string' },
    },
  });
  const env = process.env;
  const o = {
    baseUrl: values['base-url'] ?? env.CUSTODIAN_BASE_URL,
    codes: values.codes ?? env.CUSTODIAN_CODES,
    customerCookie: values['customer-cookie'] ?? env.CUSTODIAN_CUSTOMER_COOKIE,
    staffCookie: values['staff-cookie'] ?? env.CUSTODIAN_STAFF_COOKIE,
    customerRequest: values['customer-request'] ?? env.CUSTODIAN_CUSTOMER_REQUEST,
    staffRequest: values['staff-request'] ?? env.CUSTODIAN_STAFF_REQUEST,
  };
  const missing = Object.entries(o).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) {
    console.error(
      `requests: missing ${missing.join(', ')}\n` +
        'usage: node requests.mjs --base-url URL --codes DIR --customer-cookie C --staff-cookie C ' +
        '--customer-request ID --staff-request ID (or the CUSTODIAN_* variables)',
    );
    process.exit(2);
  }
  o.baseUrl = o.baseUrl.replace(/\/+$/, '');
  return o;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const shots = process.env.CUSTODIAN_SCREENSHOTS || path.join(root, 'target', 'screenshots');

async function shoot(page, name) {
  const file = path.join(shots, `requests-${name}.png`);
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

/** The code mailed to `email`, once the test has written it (at most a minute). */
async function codeFor(o, email) {
  const file = path.join(o.codes, email);
  for (let i = 0; i < 240; i += 1) {
    if (existsSync(file)) {
      const code = readFileSync(file, 'utf8').trim();
      if (/^\d{6}$/.test(code)) return code;
    }
    await sleep(250);
  }
  throw new CheckFailed(`no code arrived for ${email}`);
}

/** Opens `address` in `lang`, checks what every page shares, and takes a screenshot. */
async function open(o, page, address, lang, name, status = 200) {
  const sep = address.includes('?') ? '&' : '?';
  const response = await page.goto(`${o.baseUrl}${address}${sep}lang=${encodeURIComponent(lang)}`);
  check(response.status() === status, `GET ${address} (${lang}) answered ${response.status()}, not ${status}`);
  await settled(page, address, lang, name);
  return response;
}

async function settled(page, address, lang, name) {
  check(page.url().startsWith('http'), `${address}: no page`);
  check((await page.getAttribute('html', 'lang')) === lang, `${address} is not in ${lang}`);
  const h1 = await text(page, 'h1');
  check(h1.length > 0, `${address} (${lang}) has an empty heading`);
  // Every input has a label (or is hidden), for people who use a screen reader.
  const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (elements) =>
    elements
      .filter((e) => !(e.id && document.querySelector(`label[for="${e.id}"]`)) && !e.closest('label'))
      .map((e) => e.name || e.id),
  );
  check(unlabelled.length === 0, `${address} (${lang}): inputs without a label: ${unlabelled.join(', ')}`);
  console.log(`${name}: ${await shoot(page, name)}`);
}

async function privacyCenter(o, page, lang) {
  const email = `visitor-${lang.toLowerCase()}@example.org`;
  let response = await open(o, page, '/privacy-center', lang, `center-form-${lang}`);
  check(response.headers()['cache-control'] === 'no-store', '/privacy-center may be cached');
  await page.fill('#pc-email', email);
  await page.check('#right-access');
  await page.check('#regime-gdpr');
  await page.fill('#pc-phone', '+31 6 87654321');
  await page.fill('#pc-message', lang === 'en' ? 'Everything you hold about me, please.' : '请提供你们保存的关于我的所有数据。');
  response = await submit(page, '#pc-form button[type=submit]');
  check(response.status() === 303, `sending the form answered ${response.status()}, not 303`);
  check(/\/privacy-center\/requests\/[0-9a-f-]+\/verify\?code=/.test(page.url()), `not on the code form: ${page.url()}`);
  await settled(page, '/verify', lang, `center-code-${lang}`);

  // A wrong code: said at the field, the entry kept.
  const code = await codeFor(o, email);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.fill('#pc-code', wrong);
  response = await submit(page, '#verify-form button[type=submit]');
  check(response.status() === 422, `a wrong code answered ${response.status()}, not 422`);
  check((await page.getAttribute('#pc-code', 'aria-invalid')) === 'true', 'the code field is not marked');
  check(/4/.test(await text(page, '#code-error')), 'the tries left are not counted');
  check((await page.inputValue('#pc-code')) === wrong, 'the entry is not kept');
  await settled(page, '/verify (wrong)', lang, `center-code-wrong-${lang}`);

  // The right one: the status page, with the customer the request was passed on to.
  await page.fill('#pc-code', code);
  response = await submit(page, '#verify-form button[type=submit]');
  check(response.status() === 303, `the right code answered ${response.status()}, not 303`);
  check(/\/privacy-center\/requests\/[0-9a-f-]+\?token=[0-9a-f]+/.test(page.url()), `not on the status page: ${page.url()}`);
  await settled(page, '/status', lang, `center-status-${lang}`);
  check((await text(page, '#passed-on')).includes('Texts B.V.'), 'the customer it was passed on to is not named');
  check((await page.$$('a[href^="https://www.autoriteitpersoonsgegevens.nl"]')).length === 1, 'no way to complain');
  // The language switch keeps the token.
  const other = await page.getAttribute(`a[hreflang="${lang === 'en' ? 'nl' : 'en'}"]`, 'href');
  check(other && other.includes('token='), `the language links lose the token: ${other}`);
}

async function run(o, context, page, problems) {
  for (const lang of LANGUAGES) {
    await privacyCenter(o, page, lang);
  }
  check(problems.length === 0, `the privacy center: ${problems.join(' | ')}`);

  // A customer's privacy dashboard.
  const base = new URL(o.baseUrl);
  const cookie = (pair) => {
    const [name, ...value] = pair.split('=');
    return { name, value: value.join('='), domain: base.hostname, path: '/', httpOnly: true, secure: true, sameSite: 'Strict' };
  };
  await context.addCookies([cookie(o.customerCookie)]);
  for (const lang of LANGUAGES) {
    await open(o, page, '/account/requests', lang, `dashboard-list-${lang}`);
    check((await page.$$('#due-chart svg rect')).length > 0, 'no chart of open requests');
    await open(o, page, `/account/requests/${o.customerRequest}`, lang, `dashboard-request-${lang}`);
    await open(o, page, '/account/data', lang, `dashboard-data-${lang}`);
    await page.selectOption('#find-kind', 'phone');
    await page.fill('#find-value', '06 12345678');
    const response = await submit(page, '#find-form button[type=submit]');
    check(response.status() === 200, `finding an end user answered ${response.status()}`);
    check((await page.$$('#records tbody tr')).length > 0, 'no records of the end user');
    await settled(page, '/account/data (found)', lang, `dashboard-found-${lang}`);
  }
  check(problems.length === 0, `the dashboard: ${problems.join(' | ')}`);

  // The staff console.
  await context.clearCookies();
  await context.addCookies([cookie(o.staffCookie)]);
  for (const lang of LANGUAGES) {
    await open(o, page, '/console/requests', lang, `console-list-${lang}`);
    const current = await page.getAttribute('.console-nav a[aria-current=page]', 'href');
    check(current && current.startsWith('/console/requests?'), `the nav marks ${current}`);
    check((await page.$$('tr.overdue-row')).length > 0, 'the overdue request is not marked');
    await open(o, page, '/console/requests/new', lang, `console-new-${lang}`);
    await open(o, page, `/console/requests/${o.staffRequest}`, lang, `console-request-${lang}`);
    check((await page.$$('#confirm-form')).length === 1, 'no form to confirm the identity');
  }
  check(problems.length === 0, `the console: ${problems.join(' | ')}`);
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
      console.error(`requests: FAILED: Chromium (${executablePath}) does not start: ${e.message}`);
      process.exit(1);
    });
  let page;
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    // What the content security policy refuses, and any error, shows up on the console. A page
    // answered with a 4xx status on purpose (the wrong code) is logged as a failed load, and so
    // is the browser's own look for a /favicon.ico the site does not have: those are expected.
    const problems = [];
    page.on('console', (m) => {
      const t = m.text();
      const where = m.location()?.url ?? '';
      if (/Content Security Policy|Refused to/i.test(t)) problems.push(t);
      else if (m.type() !== 'error') return;
      else if (/status of 422/.test(t) && /\/verify$/.test(where)) return;
      else if (/status of 404/.test(t) && where.endsWith('/favicon.ico')) return;
      else problems.push(`${t} (${where})`);
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await run(o, context, page, problems);
    console.log('requests: every check passed');
  } catch (e) {
    if (page) {
      try {
        console.error(`the page at the failure: ${await shoot(page, 'failure')}`);
      } catch {
        // the page is gone; the message below says why
      }
    }
    console.error(`requests: FAILED: ${e instanceof CheckFailed ? e.message : e.stack || e}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
