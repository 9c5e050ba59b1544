// The dashboard in a real browser: headless Chromium (the system's) against a real
// `ragplan serve`, driven by playwright-core, each page checked by axe-core.
//
//   node .ci/dashboard/e2e.mjs BASE_URL TOKEN [--screenshots DIR]
//
// Signs in with TOKEN, opens the plan list, clicks through to the plan, applies a
// filter, clicks through to an action, opens every plan together from the plan list
// and checks what each page shows. Every page (the sign-in form, the plan list, the
// plan, the filtered plan, the action, the portfolio and a 404) is checked at 1366
// and at 390 px wide: no axe-core violation, and no horizontal scroll of the page
// itself. With --screenshots, the plan page (its top
// and its tree) and the action page at both widths are written into DIR as PNG.
// Exits 1 on the first failure, naming it; .ci/dashboard.sh sets NODE_MODULES to
// where `npm ci` installed the packages.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHROMIUM_ARGS, executablePath } from '../browser/chromium.cjs';

const require = createRequire(join(process.env.NODE_MODULES ?? 'node_modules', '_'));
const { chromium } = require('playwright-core');
const axe = require('axe-core');

const [base, token, ...rest] = process.argv.slice(2);
const shotsAt = rest.indexOf('--screenshots');
const shots = shotsAt >= 0 ? rest[shotsAt + 1] : null;
if (!base || !token || (shotsAt >= 0 && !shots)) {
  console.error('usage: e2e.mjs BASE_URL TOKEN [--screenshots DIR]');
  process.exit(2);
}

const WIDE = { width: 1366, height: 900 };
const NARROW = { width: 390, height: 844 };
let passed = 0;
let failures = 0;

function check(ok, what) {
  if (!ok) {
    failures += 1;
    console.error(`FAIL ${what}`);
    throw new Error(what);
  }
  passed += 1;
  console.log(`ok   ${what}`);
}

/** axe-core on the page as it is now: every violation printed, node by node. */
async function accessible(page, name, size) {
  const where = `${name} at ${size.width} px`;
  // Evaluated through the browser's debugging protocol, which the page's CSP (no
  // script at all) does not govern; a <script> tag would be refused.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axe.source);
  }
  const result = await page.evaluate(async () =>
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) => ({ violations: r.violations, passes: r.passes.map((p) => p.id) })),
  );
  for (const v of result.violations) {
    console.error(`\naxe: ${where}: ${v.id} (${v.impact}): ${v.help}\n     ${v.helpUrl}`);
    for (const node of v.nodes) {
      console.error(`     at ${node.target.join(' ')}\n        ${node.html.slice(0, 300)}`);
      if (node.failureSummary) console.error(`        ${node.failureSummary.replace(/\n/g, '\n        ')}`);
    }
  }
  check(result.passes.length > 0, `${where}: axe-core ran its rules (${result.passes.length} passed)`);
  check(result.violations.length === 0, `${where}: no axe-core violation (${result.violations.length})`);
}

/** The page's own width fits the window: nothing scrolls sideways but tables' boxes. */
async function noSideScroll(page, where) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  check(scroll <= client, `${where}: no horizontal scroll (page ${scroll} px in ${client} px)`);
}

/** Both widths: axe-core at each, and no sideways scroll at the narrow one. */
async function atBothWidths(page, name) {
  await page.setViewportSize(WIDE);
  await accessible(page, name, WIDE);
  await page.setViewportSize(NARROW);
  await accessible(page, name, NARROW);
  await noSideScroll(page, `${name} at ${NARROW.width} px`);
  await page.setViewportSize(WIDE);
}

const profile = mkdtempSync(join(tmpdir(), 'ragplan-e2e-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: executablePath(),
    headless: true,
    viewport: WIDE,
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15000);

  // Signed out, the plan list is the sign-in form, not data.
  const first = await page.goto(`${base}/?as_of=2015-06-30`);
  check(first.status() === 401, `signed out, / answers 401 (${first.status()})`);
  check(await page.locator('h1').innerText() === 'Sign in to the dashboard', 'signed out, / shows the sign-in form');
  await atBothWidths(page, 'sign-in form');

  // A wrong token: the form again, 401, the token not written back.
  await page.fill('#token', 'rp_not-a-token');
  const wrong = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  check(wrong[0].status() === 401, `a wrong token is answered 401 (${wrong[0].status()})`);
  check((await page.content()).includes('That token is not valid'), 'a wrong token is told so');
  check(!(await page.content()).includes('rp_not-a-token'), 'a wrong token is not written back');

  // Sign in: back to the plan list, the cookie kept out of scripts' reach.
  await page.fill('#token', token);
  await Promise.all([page.waitForURL(`${base}/?as_of=2015-06-30`), page.click('button[type=submit]')]);
  const cookies = await context.cookies(base);
  const cookie = cookies.find((c) => c.name === 'ragplan_token');
  check(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', 'the token is kept in an HttpOnly, SameSite=Strict cookie');
  check(await page.evaluate(() => document.cookie) === '', 'no script sees the cookie');
  check(await page.locator('h1').innerText() === 'Plans', 'signed in, / lists the plans');
  const planLink = page.getByRole('link', { name: 'Coventry' }).first();
  check(await planLink.count() === 1, 'the plan list names the Coventry plan');
  const listRow = await page.locator('table.plans tbody tr').first().innerText();
  check(/(RED|AMBER|GREEN|COMPLETE|NOT RATED)/.test(listRow), `the plan's ratings are shown in words (${listRow.replace(/\s+/g, ' ')})`);
  await atBothWidths(page, 'plan list');

  // The plan: its tree, exceptions, trend and movement.
  await Promise.all([page.waitForURL(/\/plans\/coventry-cse/), planLink.click()]);
  for (const heading of ['Headline', 'Objectives and actions', 'Exceptions', 'Trend']) {
    check(await page.getByRole('heading', { level: 2, name: heading }).count() === 1, `the plan page has its ${heading} section`);
  }
  check(await page.getByRole('heading', { level: 2, name: /^Movement since 31 March 2015$/ }).count() === 1, 'the plan page has the movement since the last quarter');
  check(await page.locator('svg.chart').count() === 1, 'the plan page charts the trend by quarter');
  const allRows = await page.locator('table.tree tbody tr:not(.sub-objective)').count();
  check(allRows > 10, `the tree lists the plan's actions (${allRows})`);
  if (shots) {
    // At each width, the top of the plan page and its tree.
    for (const size of [WIDE, NARROW]) {
      await page.setViewportSize(size);
      await page.evaluate(() => window.scrollTo(0, 0));
      writeFileSync(join(shots, `dashboard-plan-${size.width}.png`), await page.screenshot());
      // Wide, the filter form and the first table; narrow, the first table.
      await page.evaluate((wide) => {
        const at = wide ? document.getElementById('tree-h') : document.querySelector('table.tree');
        at.scrollIntoView();
      }, size === WIDE);
      writeFileSync(join(shots, `dashboard-tree-${size.width}.png`), await page.screenshot());
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.setViewportSize(WIDE);
  }
  await atBothWidths(page, 'plan page');

  // A filter, as a person sets it: the Red actions only.
  await page.selectOption('#f-rating', 'red');
  await Promise.all([page.waitForURL(/rating=red/), page.click('form.filters button[type=submit]')]);
  const shown = await page.locator('#shown').innerText();
  check(/^\d+ of \d+ actions? match(es)?\.$/.test(shown), `the filter says how many actions match (${shown})`);
  const kept = page.locator('table.tree tbody tr:not(.sub-objective)');
  const n = await kept.count();
  check(n > 0 && n < allRows, `the filter keeps some of the actions (${n} of ${allRows})`);
  const deliveries = await kept.locator('td:nth-child(3)').allInnerTexts();
  check(deliveries.every((t) => t.trim() === '■ RED'), 'every action kept is rated ■ RED');
  check(await page.locator('#f-rating').inputValue() === 'red', 'the form shows the filter applied');
  await atBothWidths(page, 'filtered plan page');

  // An action, from the filtered tree: 1.1.2, which .ci/dashboard.sh updated twice.
  const row = kept.filter({ has: page.locator('th', { hasText: /^1\.1\.2$/ }) });
  check(await row.count() === 1, 'the filtered tree lists action 1.1.2');
  const actionLink = row.locator('td a').first();
  const actionKey = (await row.locator('th').innerText()).trim();
  const actionTitle = (await actionLink.innerText()).trim();
  await Promise.all([page.waitForURL(/\/actions\//), actionLink.click()]);
  const h1 = await page.locator('h1').innerText();
  check(h1.includes(`Action ${actionKey}`) && h1.includes(actionTitle), `the action page is the action clicked (${h1})`);
  const delivery = await page.locator('.headline section').first().locator('.rating').innerText();
  check(delivery.trim() === '■ RED', `the action's delivery rating is shown as ■ RED (${delivery})`);
  check(await page.getByRole('heading', { level: 2, name: 'Log' }).count() === 1, 'the action page has its log');
  const log = await page.locator('table.log tbody tr').allInnerTexts();
  check(log.length === 2 && log[0].startsWith('20 March 2015') && log[1].includes('Sign-off by the police delayed to July'),
    `the log lists the action's two updates, oldest first (${log.map((l) => l.replace(/\s+/g, ' ')).join(' | ')})`);
  check(await page.locator('.headline li').count() > 0, 'the action page gives the reasons for its ratings');
  if (shots) {
    for (const size of [WIDE, NARROW]) {
      await page.setViewportSize(size);
      writeFileSync(join(shots, `dashboard-action-${size.width}.png`), await page.screenshot());
    }
    await page.setViewportSize(WIDE);
  }
  await atBothWidths(page, 'action page');

  // Every plan together: from the plan list's link, the roll-up, each plan and the
  // worst actions, each linked.
  await page.goto(`${base}/?as_of=2015-06-30`);
  await Promise.all([page.waitForURL(/\/portfolio/), page.getByRole('link', { name: 'Every plan together' }).first().click()]);
  check(await page.locator('h1').innerText() === 'Every plan together', 'the plan list links to every plan together');
  for (const heading of ['The plans rolled up', 'Each plan', 'The worst actions across the plans']) {
    check(await page.getByRole('heading', { level: 2, name: heading }).count() === 1, `the portfolio page has its ${heading} section`);
  }
  check(await page.getByRole('link', { name: 'Coventry' }).count() >= 1, 'the portfolio page links to the Coventry plan');
  await atBothWidths(page, 'portfolio page');

  // An unknown plan: the 404 page.
  const missing = await page.goto(`${base}/plans/no-such-plan`);
  check(missing.status() === 404, `an unknown plan is answered 404 (${missing.status()})`);
  check((await page.locator('h1').innerText()) === 'Not found', 'an unknown plan gets the Not found page');
  await atBothWidths(page, '404 page');
} catch (err) {
  if (failures === 0) {
    failures += 1;
    console.error(`FAIL ${err.message ?? err}`);
  }
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
console.log(`\n${passed} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
