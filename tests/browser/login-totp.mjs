#!/usr/bin/env node
// Signs in to Custodian's account pages in a real, headless Chromium driven by Playwright:
// e-mail and password, the prompt for the second factor, a wrong code refused, the right TOTP
// code (computed here: RFC 6238, HMAC-SHA-1, 30-second steps, 6 digits), the account page
// showing the address and the second factor on, and signing out.
//
//   node login-totp.mjs BASE_URL EMAIL PASSWORD TOTP_SECRET
//   node login-totp.mjs --base-url URL --email ADDRESS --password PASSWORD --secret BASE32
//
// Each may also come from the environment: CUSTODIAN_BASE_URL, CUSTODIAN_EMAIL,
// CUSTODIAN_PASSWORD, CUSTODIAN_TOTP_SECRET. The browser is /usr/bin/chromium unless
// CUSTODIAN_CHROMIUM names another. Screenshots go to target/screenshots/ under the repository
// root (or CUSTODIAN_SCREENSHOTS). Exits 1, saying which check failed, when one does.

import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const LANGUAGES = ['en', 'nl', 'zh-CN', 'id'];

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'base-url': { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      secret: { type: 'string' },
    },
  });
  const env = process.env;
  const pick = (flag, index, variable) => values[flag] ?? positionals[index] ?? env[variable];
  const o = {
    baseUrl: pick('base-url', 0, 'CUSTODIAN_BASE_URL'),
    email: pick('email', 1, 'CUSTODIAN_EMAIL'),
    password: pick('password', 2, 'CUSTODIAN_PASSWORD'),
    secret: pick('secret', 3, 'CUSTODIAN_TOTP_SECRET'),
  };
  const missing = Object.entries(o).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) {
    console.error(
      `login-totp: missing ${missing.join(', ')}\n` +
        'usage: node login-totp.mjs BASE_URL EMAIL PASSWORD TOTP_SECRET (or --base-url, --email, ' +
        '--password, --secret, or CUSTODIAN_BASE_URL, CUSTODIAN_EMAIL, CUSTODIAN_PASSWORD, ' +
        'CUSTODIAN_TOTP_SECRET)',
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

/** Clicks the submit button of `form` and returns the response of the POST it sends. */
async function submit(page, form) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.click(`${form} button[type=submit]`),
  ]);
  await page.waitForLoadState('load');
  return response;
}

async function text(page, selector) {
  const element = await page.$(selector);
  check(element, `${page.url()}: nothing matches ${selector}`);
  return (await element.innerText()).trim();
}

async function run(o, page, context) {
  const signInUrl = `${o.baseUrl}/account/sign-in`;

  // 1. The sign-in form.
  let response = await page.goto(signInUrl);
  check(response && response.status() === 200, `GET /account/sign-in answered ${response?.status()}`);
  check(response.headers()['cache-control'] === 'no-store', 'the sign-in page may be cached');
  check((await page.getAttribute('html', 'lang')) === 'en', 'the page is not in English (lang="en")');
  check((await page.getAttribute('#email', 'autocomplete')) === 'username', 'the e-mail field lacks autocomplete="username"');
  check((await page.getAttribute('#password', 'autocomplete')) === 'current-password', 'the password field lacks autocomplete="current-password"');
  check((await page.getAttribute('#code', 'autocomplete')) === 'one-time-code', 'the code field lacks autocomplete="one-time-code"');
  console.log(`sign-in page: ${await shoot(page, 'login-sign-in')}`);

  // 2. E-mail and password only: the code is asked for.
  await page.fill('#email', o.email);
  await page.fill('#password', o.password);
  response = await submit(page, '#sign-in');
  check(response.status() === 401, `signing in without a code answered ${response.status()}, not 401`);
  check(new URL(page.url()).pathname === '/account/sign-in', `after the password the browser is at ${page.url()}`);
  check((await page.getAttribute('#code', 'aria-invalid')) === 'true', 'the code field is not marked as needing attention');
  check(await page.$('.field.highlight #code'), 'the code field is not highlighted');
  const prompt = await text(page, '#code-error');
  check(/authenticator app/.test(prompt), `no clear prompt for the code: ${JSON.stringify(prompt)}`);
  check((await page.inputValue('#email')) === o.email, 'the e-mail address was not kept');
  console.log(`code prompt: ${await shoot(page, 'login-code-prompt')}`);

  // 3. A wrong code is refused with a message, and no session starts.
  const key = base32Decode(o.secret);
  const near = [-1, 0, 1].map((d) => hotp(key, step() + d));
  let wrong = '123456';
  while (near.includes(wrong)) wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, '0');
  await page.fill('#password', o.password);
  await page.fill('#code', wrong);
  response = await submit(page, '#sign-in');
  check(response.status() === 401, `a wrong code answered ${response.status()}, not 401`);
  const refusal = await text(page, '#code-error');
  check(/not right/.test(refusal), `no message for the wrong code: ${JSON.stringify(refusal)}`);
  check(!(await context.cookies()).some((c) => c.name === 'custodian_session'), 'a wrong code started a session');
  console.log(`wrong code: ${await shoot(page, 'login-wrong-code')}`);

  // 4. The right code: the account page.
  await page.fill('#password', o.password);
  await page.fill('#code', hotp(key, step()));
  response = await submit(page, '#sign-in');
  check(response.status() === 303, `the right code answered ${response.status()}, not 303 See Other`);
  check(new URL(page.url()).pathname === '/account', `after the right code the browser is at ${page.url()}`);
  const cookie = (await context.cookies()).find((c) => c.name === 'custodian_session');
  check(cookie, 'no session cookie was set');
  check(cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict', `the session cookie is not HttpOnly, Secure and SameSite=Strict: ${JSON.stringify({ ...cookie, value: '…' })}`);
  check((await text(page, '#account-email')) === o.email, `the account page does not show ${o.email}`);
  check((await page.getAttribute('#second-factor', 'data-on')) === 'true', 'the account page does not show the second factor on');
  check((await text(page, '#second-factor')) === 'On', 'the second factor is not shown as "On"');
  console.log(`account: ${await shoot(page, 'login-account')}`);

  // The account page in every language, for people to look at.
  for (const lang of LANGUAGES) {
    response = await page.goto(`${o.baseUrl}/account?lang=${encodeURIComponent(lang)}`);
    check(response.status() === 200, `GET /account?lang=${lang} answered ${response.status()}`);
    check((await page.getAttribute('html', 'lang')) === lang, `the account page is not in ${lang}`);
    check((await text(page, '#account-email')) === o.email, `the ${lang} account page does not show the address`);
    await shoot(page, `account-${lang}`);
  }
  await page.goto(`${o.baseUrl}/account`);

  // 5. Signing out: back on the sign-in page, and the session is over.
  response = await submit(page, '#sign-out');
  check(response.status() === 303, `signing out answered ${response.status()}, not 303`);
  check(new URL(page.url()).pathname === '/account/sign-in', `after signing out the browser is at ${page.url()}`);
  check(await page.$('#sign-in #email'), 'the sign-in form is not shown after signing out');
  check(/signed out/.test(await text(page, '.notice')), 'no word that the person signed out');
  console.log(`signed out: ${await shoot(page, 'login-signed-out')}`);
  response = await page.goto(`${o.baseUrl}/account`);
  check(new URL(page.url()).pathname === '/account/sign-in', `after signing out /account still opens (${page.url()})`);

  // The forms in every language, for people to look at.
  for (const lang of LANGUAGES) {
    for (const name of ['sign-in', 'sign-up']) {
      response = await page.goto(`${o.baseUrl}/account/${name}?lang=${encodeURIComponent(lang)}`);
      check(response.status() === 200, `GET /account/${name}?lang=${lang} answered ${response.status()}`);
      check((await page.getAttribute('html', 'lang')) === lang, `/account/${name} is not in ${lang}`);
      await shoot(page, `${name}-${lang}`);
    }
  }
}

async function main() {
  const o = options();
  const executablePath = process.env.CUSTODIAN_CHROMIUM || '/usr/bin/chromium';
  mkdirSync(shots, { recursive: true });
  const launch = {
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
  };
  const browser = await chromium.launch(launch).catch((e) => {
    console.error(`login-totp: FAILED: Chromium (${executablePath}) does not start: ${e.message}`);
    process.exit(1);
  });
  let page;
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    await run(o, page, context);
    console.log('login-totp: every check passed');
  } catch (e) {
    if (page) {
      try {
        console.error(`the page at the failure: ${await shoot(page, 'login-failure')}`);
      } catch {
        // the page is gone; the message below says why
      }
    }
    console.error(`login-totp: FAILED: ${e instanceof CheckFailed ? e.message : e.stack || e}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
