// The HTML report in headless Chromium: axe-core and the layout at 1366 and 390 px,
// the layout as printed, and the report printed to an A4 PDF.
//
//   node check.cjs [--screenshots DIR] [--pdf-dir DIR] NAME=REPORT.html ...
//
// Run by .ci/browser.sh, which installs Chromium, poppler-utils (pdftotext) and the
// pinned npm packages of package.json, and sets NODE_PATH to them. Every measurement
// is printed; any failed check is listed at the end and the exit code is 1 (2 when
// the check cannot run: no browser, no report, a bad argument).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The screen widths checked: a laptop and a phone.
const WIDTHS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];
// A4 less the report's @page side margins (12 mm each), in CSS pixels (96 per inch).
const A4_CONTENT_WIDTH = Math.floor(((210 - 2 * 12) / 25.4) * 96);
// Chart text is legible from this rendered size on, in CSS pixels.
const MIN_CHART_FONT_PX = 10;
// A text wrapped onto several lines holds at least this many characters a line, and
// no word of up to 24 characters is broken over two lines (a line may end at a hyphen).
const MIN_CHARS_PER_LINE = 3;
// The first printed page is used at least this far down.
const MIN_FIRST_PAGE_FILL = 0.5;
const MAX_PAGES = 60;

const { CHROMIUM_ARGS, executablePath } = require('./chromium.cjs');

function parseArgs(argv) {
  const options = { screenshots: null, pdfDir: null, reports: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--screenshots') {
      options.screenshots = argv[(i += 1)];
    } else if (arg === '--pdf-dir') {
      options.pdfDir = argv[(i += 1)];
    } else if (arg.includes('=')) {
      const [name, file] = arg.split(/=(.*)/s);
      options.reports.push({ name, file: path.resolve(file) });
    } else {
      throw new Error(`unknown argument ${arg}: want NAME=REPORT.html`);
    }
  }
  if (options.reports.length === 0) {
    throw new Error('no report given: want NAME=REPORT.html');
  }
  return options;
}

// Runs in the page: the layout measurements, as plain data.
function measureLayout({ minCharsPerLine }) {
  const visible = (el) => {
    const style = getComputedStyle(el);
    return style.display !== 'none' && style.visibility !== 'hidden';
  };
  const describe = (el) => {
    const id = el.closest('[id]');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}> in #${id ? id.id : '-'}: "${text}"`;
  };

  // Visually hidden (the table headers of a card layout, kept for screen readers).
  const hidden = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1 && getComputedStyle(e).overflow === 'hidden') return true;
    }
    return false;
  };

  // Every text node's line boxes; a word broken across lines, and a wrapped text with
  // fewer than a few characters a line, are too narrow.
  const boxes = [];
  const narrow = [];
  const lineCount = (rects) => new Set(rects.map((r) => Math.round(r.top))).size;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || !visible(parent) || parent.closest('title, desc, style') || hidden(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const lines = lineCount(rects);
    if (lines >= 2) {
      if (text.length / lines < minCharsPerLine) {
        narrow.push(`${describe(parent)}: ${text.length} characters on ${lines} lines`);
      }
      for (const m of node.textContent.matchAll(/[^\s\-\u2010\u2013\u2014]+/g)) {
        if (m[0].length > 24) continue;
        const word = document.createRange();
        word.setStart(node, m.index);
        word.setEnd(node, m.index + m[0].length);
        const parts = lineCount([...word.getClientRects()].filter((r) => r.width > 0));
        if (parts > 1) narrow.push(`${describe(parent)}: the word "${m[0]}" is broken over ${parts} lines`);
      }
    }
    for (const r of rects) boxes.push({ node, parent, r });
  }

  // Line boxes of different text nodes, and chips, that overlap by more than 1.5 px.
  const overlaps = [];
  const overlap = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1.5 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1.5;
  const sweep = (items, label) => {
    items.sort((a, b) => a.r.top - b.r.top);
    for (let i = 0; i < items.length && overlaps.length < 20; i += 1) {
      for (let j = i + 1; j < items.length && items[j].r.top < items[i].r.bottom; j += 1) {
        if (items[i].node !== items[j].node && overlap(items[i].r, items[j].r)) {
          overlaps.push(`${label}: ${describe(items[i].parent)} and ${describe(items[j].parent)}`);
        }
      }
    }
  };
  sweep(boxes, 'text');
  const chips = [...document.querySelectorAll('.chip')]
    .filter((el) => visible(el) && !hidden(el))
    .map((el) => ({ node: el, parent: el, r: el.getBoundingClientRect() }));
  sweep(chips, 'chips');

  // Cells whose content runs out of them into the next.
  const overflowing = [...document.querySelectorAll('th, td, caption')]
    .filter((el) => visible(el) && !hidden(el) && el.scrollWidth > el.clientWidth + 1)
    .map((el) => `${describe(el)}: ${el.scrollWidth} px of content in ${el.clientWidth} px`);

  // The chart text as drawn: its font size times the chart's scale.
  let minChartFont = Infinity;
  let minChartText = '';
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (!visible(svg)) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < minChartFont) {
        minChartFont = size;
        minChartText = `${svg.id || svg.getAttribute('aria-labelledby')}: "${t.textContent}"`;
      }
    }
  }

  return {
    scrollWidth: document.documentElement.scrollWidth,
    narrow,
    overlaps,
    overflowing,
    minChartFont: Number.isFinite(minChartFont) ? minChartFont : null,
    minChartText,
    bodyRowKeys: [...document.querySelectorAll('tbody th[scope="row"]')].map((th) =>
      th.textContent.trim(),
    ),
  };
}

function formatViolation(v) {
  const nodes = v.nodes
    .slice(0, 8)
    .map((n) => `      ${n.target.join(' ')}\n        ${n.html.slice(0, 160)}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`)
    .join('\n');
  return `    ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)\n      ${v.helpUrl}\n${nodes}`;
}

// The words of each page of a PDF, as pdftotext -bbox gives them.
function pdfPages(pdfFile) {
  const html = execFileSync('pdftotext', ['-bbox', pdfFile, '-'], { encoding: 'utf8' });
  const pages = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (let m = pageRe.exec(html); m; m = pageRe.exec(html)) {
    const words = [];
    for (let w = wordRe.exec(m[3]); w; w = wordRe.exec(m[3])) {
      words.push({ x0: +w[1], y0: +w[2], x1: +w[3], y1: +w[4], text: w[5].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'") });
    }
    pages.push({ width: +m[1], height: +m[2], words });
  }
  return pages;
}

function checkPdf(pdfFile, bodyRowKeys, failures, name) {
  const pages = pdfPages(pdfFile);
  const n = pages.length;
  const result = { pages: n };
  if (n < 1 || n > MAX_PAGES) failures.push(`${name} print: ${n} pages (want 1 to ${MAX_PAGES})`);
  const a4 = pages.every((p) => Math.abs(p.width - 595.3) < 2 && Math.abs(p.height - 841.9) < 2);
  result.a4 = a4;
  if (!a4) failures.push(`${name} print: pages are not A4 portrait (${pages[0].width}×${pages[0].height} pt)`);
  const keys = new Set(bodyRowKeys);
  let numbered = 0;
  const firstLines = [];
  pages.forEach((page, i) => {
    // The page number: "Page i of n", in the bottom margin.
    const footer = page.words.filter((w) => w.y0 > page.height * 0.94);
    const footerText = footer.map((w) => w.text).join(' ');
    if (footerText.includes(`Page ${i + 1} of ${n}`)) numbered += 1;
    else failures.push(`${name} print: page ${i + 1} has no "Page ${i + 1} of ${n}" at its foot (found "${footerText}")`);
    const body = page.words.filter((w) => w.y0 > page.height * 0.04 && w.y1 < page.height * 0.96);
    if (body.length === 0) {
      failures.push(`${name} print: page ${i + 1} is blank`);
      return;
    }
    if (i === 0) {
      result.firstPageFill = Math.max(...body.map((w) => w.y1)) / page.height;
      if (n > 1 && result.firstPageFill < MIN_FIRST_PAGE_FILL) {
        failures.push(`${name} print: page 1 is used only ${(100 * result.firstPageFill).toFixed(0)}% of the way down`);
      }
    }
    // A page that opens on a table's body row has lost that table's header.
    const top = Math.min(...body.map((w) => w.y0));
    const line = body.filter((w) => w.y0 < top + 3).sort((a, b) => a.x0 - b.x0);
    const first = line[0].text;
    firstLines.push(line.map((w) => w.text).join(' ').slice(0, 50));
    if (i > 0 && keys.has(first) && !/^(Key|Accountable|Partner|Quarter)$/.test(first)) {
      failures.push(`${name} print: page ${i + 1} opens on a table row with no header (${line.map((w) => w.text).join(' ').slice(0, 80)})`);
    }
  });
  result.numbered = numbered;
  result.pagesOpeningOnAHeader = firstLines.filter((l) => /^(Key|Accountable|Partner|Quarter) /.test(l)).length;
  return result;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const failures = [];
  // playwright gives each launch a fresh --user-data-dir of its own, removed on close.
  const browser = await chromium.launch({
    executablePath: executablePath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  console.log(`Chromium ${browser.version()}, axe-core ${JSON.parse(fs.readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ragplan-browser-'));
  try {
    for (const report of options.reports) {
      const url = `file://${report.file}`;
      for (const { width, height } of WIDTHS) {
        const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
        const page = await context.newPage();
        // Nothing leaves the file: any request but the report itself fails the check.
        await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
        page.on('requestfailed', (r) => failures.push(`${report.name} @${width}: the report asks for ${r.url()}`));
        await page.goto(url, { waitUntil: 'load' });
        const where = `${report.name} @${width}px`;

        await page.addScriptTag({ content: axeSource });
        const axe = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ['violations'] });
          return { violations: r.violations, passed: r.passes.length, incomplete: r.incomplete.length };
        });
        const m = await page.evaluate(measureLayout, { minCharsPerLine: MIN_CHARS_PER_LINE });
        console.log(
          `${where}: axe-core ${axe.violations.length} violations (${axe.passed} rules passed, ${axe.incomplete} to review by hand); scrollWidth ${m.scrollWidth} px; ` +
            `${m.narrow.length} narrow texts; ${m.overlaps.length} overlaps; ${m.overflowing.length} overflowing cells; ` +
            `smallest chart text ${m.minChartFont === null ? 'none' : `${m.minChartFont.toFixed(1)} px (${m.minChartText})`}`,
        );
        if (axe.violations.length > 0) {
          failures.push(`${where}: axe-core found ${axe.violations.length} violation(s):\n${axe.violations.map(formatViolation).join('\n')}`);
        }
        if (m.scrollWidth > width) failures.push(`${where}: the page is ${m.scrollWidth} px wide`);
        for (const s of m.narrow) failures.push(`${where}: too narrow: ${s}`);
        for (const s of m.overlaps) failures.push(`${where}: overlap: ${s}`);
        for (const s of m.overflowing) failures.push(`${where}: overflows: ${s}`);
        if (m.minChartFont !== null && m.minChartFont < MIN_CHART_FONT_PX) {
          failures.push(`${where}: chart text drawn at ${m.minChartFont.toFixed(1)} px (${m.minChartText})`);
        }
        if (options.screenshots) {
          fs.mkdirSync(options.screenshots, { recursive: true });
          const shot = path.join(options.screenshots, `${report.name}-${width}.png`);
          const full = await page.evaluate(() => document.documentElement.scrollHeight);
          await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, 2 * height) } });
          console.log(`${where}: screenshot ${shot}`);
          // On a phone, also a screen of the first plan table, whose rows are cards.
          const table = await page.evaluate(() => {
            const t = document.querySelector('table.plan-table');
            return t ? t.getBoundingClientRect().top + window.scrollY - 8 : null;
          });
          if (width < 600 && table !== null) {
            const cards = path.join(options.screenshots, `${report.name}-${width}-table.png`);
            await page.screenshot({ path: cards, fullPage: true, clip: { x: 0, y: table, width, height: Math.min(height, full - table) } });
            console.log(`${where}: screenshot ${cards}`);
          }
        }
        await context.close();
      }

      // As printed: the layout at A4's content width, then the PDF itself.
      const context = await browser.newContext({ viewport: { width: A4_CONTENT_WIDTH, height: 1000 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const where = `${report.name} print`;
      const m = await page.evaluate(measureLayout, { minCharsPerLine: MIN_CHARS_PER_LINE });
      for (const s of m.narrow) failures.push(`${where}: too narrow: ${s}`);
      for (const s of m.overlaps) failures.push(`${where}: overlap: ${s}`);
      for (const s of m.overflowing) failures.push(`${where}: overflows: ${s}`);
      if (m.scrollWidth > A4_CONTENT_WIDTH) failures.push(`${where}: the page is ${m.scrollWidth} px wide on ${A4_CONTENT_WIDTH} px of paper`);
      const pdfDir = options.pdfDir || work;
      fs.mkdirSync(pdfDir, { recursive: true });
      const pdfFile = path.join(pdfDir, `${report.name}.pdf`);
      await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true });
      const p = checkPdf(pdfFile, m.bodyRowKeys, failures, report.name);
      console.log(
        `${where}: ${p.pages} pages${p.a4 ? ' A4' : ''}; ${p.numbered} numbered "Page i of n"; page 1 used ${p.firstPageFill === undefined ? '-' : `${(100 * p.firstPageFill).toFixed(0)}%`} down; ` +
          `${p.pagesOpeningOnAHeader} pages open on a repeated table header; layout at ${A4_CONTENT_WIDTH} px: ${m.narrow.length} narrow texts, ${m.overlaps.length} overlaps, ${m.overflowing.length} overflowing cells, scrollWidth ${m.scrollWidth} px; smallest chart text ${m.minChartFont === null ? 'none' : `${m.minChartFont.toFixed(1)} px`}`,
      );
      if (m.minChartFont !== null && m.minChartFont < MIN_CHART_FONT_PX) {
        failures.push(`${where}: chart text drawn at ${m.minChartFont.toFixed(1)} px (${m.minChartText})`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    // The same failure on many rows is printed once, with its count.
    const counted = new Map();
    for (const f of failures) counted.set(f, (counted.get(f) || 0) + 1);
    console.error(`\n${failures.length} check(s) failed:`);
    for (const [f, n] of counted) console.error(`- ${f}${n > 1 ? ` (${n} times)` : ''}`);
    process.exitCode = 1;
  } else {
    console.log('every check passed');
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
