/**
 * The compare view's real bundle in headless Chromium: the grid, answer flips, the word diff, the
 * change of mind, the charts, keyboard use, a live sweep, saved state and markup in model text.
 * Screenshots go to test-results/webview/compare-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { cellKeyString, type CompareViewOutbound } from '../../../protocol/compareView';
import type { SweepCellKey, SweepDocument } from '../../../protocol/sweep';
import { analyzeTrace } from '../../../server/analysis/metrics';
import { BUNDLE_DIR, launchBrowser, openCompareView, type CompareView } from './harness';
import { BUDGETS, EXTENSIONS, QUESTION, WAIT_COUNTS, progressOf, sweepFixture } from './fixtures';

const SOURCE = { label: '2025-06-01T12-00-00-what-is-17-24.sweep.json' };

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const key = (maxThinkingTokens: number | null, ignoreEnd: number | null, extendWith = 'Wait'): SweepCellKey => ({ maxThinkingTokens, ignoreEnd, extendWith });
const id = (max: number | null, wait: number | null, ext = 'Wait'): string => cellKeyString(key(max, wait, ext));
const cellOf = (sweep: SweepDocument, max: number | null, wait: number | null, ext = 'Wait') =>
  sweep.cells.find((c) => cellKeyString(c.key) === id(max, wait, ext))!;

/**
 * The one console error the page is known to log: the web component toolkit probes for
 * :focus-visible by inserting a <style> element, which the page's CSP refuses because the page has
 * no `<meta property="csp-nonce">` for it to use. The probe then falls back; nothing breaks.
 */
function knownToolkitProbeLine(): number {
  const lines = readFileSync(join(BUNDLE_DIR, 'compare.js'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes('function canUseFocusVisible()'));
  const append = lines.findIndex((l, i) => i > start && l.includes('document.head.appendChild(styleElement)'));
  return append + 1;
}

/** Errors the page logged, except the toolkit's :focus-visible probe. */
function unexpectedErrors(view: CompareView): string[] {
  const probe = `compare.js:${knownToolkitProbeLine()}:`;
  const probeReported = view.errors.some((e) => e.includes('CSP violation: style-src-elem blocked inline') && e.includes(probe));
  return view.errors.filter((e) => {
    if (e.includes('CSP violation: style-src-elem blocked inline') && e.includes(probe)) return false;
    if (probeReported && e.startsWith('console: Applying inline style violates')) return false;
    return true;
  });
}

/** Plays the host's part for analyses: answers selectCells and requestAnalysis with the real analysis. */
function serveAnalyses(view: CompareView, sweep: SweepDocument): void {
  view.onPost = (raw) => {
    const message = raw as CompareViewOutbound;
    const ids = message.type === 'selectCells'
      ? [sweep.cells[message.a]!.traceId, sweep.cells[message.b]!.traceId]
      : message.type === 'requestAnalysis' ? message.traceIds : [];
    for (const traceId of ids) {
      const trace = sweep.traces.find((t) => t.id === traceId);
      if (trace) void view.send({ type: 'analysis', traceId: trace.id, analysis: analyzeTrace(trace) });
    }
  };
}

async function loaded(options: { theme?: 'light' | 'dark'; sweep?: SweepDocument; savedState?: unknown } = {}): Promise<{ view: CompareView; sweep: SweepDocument }> {
  const sweep = options.sweep ?? sweepFixture();
  const view = await openCompareView(browser, { theme: options.theme ?? 'dark', savedState: options.savedState });
  serveAnalyses(view, sweep);
  await view.send({ type: 'load', sweep, source: SOURCE, live: false });
  await view.page.locator('.cv-grid td[data-cell]').first().waitFor();
  return { view, sweep };
}

interface CellView {
  id: string;
  answer: string | null;
  mark: string | null;
  sub: string | null;
  classes: string[];
  label: string | null;
}

async function gridCells(view: CompareView): Promise<Map<string, CellView>> {
  const cells = await view.page.$$eval('.cv-grid td[data-cell]', (tds) =>
    tds.map((td) => ({
      id: (td as HTMLElement).dataset.cell!,
      answer: td.querySelector('.cv-answer')?.textContent ?? null,
      mark: td.querySelector('.cv-mark')?.textContent ?? null,
      sub: td.querySelector('.cv-cell-sub, .cv-cell-status')?.textContent ?? null,
      classes: [...td.classList],
      label: td.getAttribute('aria-label'),
    })),
  );
  return new Map(cells.map((c) => [c.id, c]));
}

/** Clicks a grid cell by its id. */
async function clickCell(view: CompareView, cellId: string, modifiers: Array<'Shift' | 'Control'> = []): Promise<void> {
  const index = await view.page.$$eval('.cv-grid td[data-cell]', (tds, wanted) => tds.findIndex((td) => (td as HTMLElement).dataset.cell === wanted), cellId);
  assert.ok(index >= 0, `no grid cell ${cellId}`);
  await view.page.locator('.cv-grid td[data-cell]').nth(index).click({ modifiers });
}

async function comparedPair(view: CompareView): Promise<[string | undefined, string | undefined]> {
  return view.page.$$eval('.cv-grid td.cv-selected', (tds) => {
    const a = tds.find((td) => td.classList.contains('cv-side-a')) as HTMLElement | undefined;
    const b = tds.find((td) => td.classList.contains('cv-side-b')) as HTMLElement | undefined;
    return [a?.dataset.cell, b?.dataset.cell] as [string | undefined, string | undefined];
  });
}

describe('compare view', () => {
  test('the grid shows every cell with its final answer, thinking and correctness', async () => {
    const { view, sweep } = await loaded();
    try {
      assert.equal(await view.page.locator('.cv-question').textContent(), QUESTION);
      assert.match((await view.page.locator('.cv-header').textContent())!, /ground truth: 408/);
      assert.match((await view.page.locator('.cv-status').textContent())!, /Done: 20 \/ 20 cells/);
      const heads = await view.page.$$eval('.cv-grid thead th', (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(heads.slice(1), ['16', '40', '80', '128', 'no max']);
      let cells = await gridCells(view);
      assert.equal(cells.size, BUDGETS.length * WAIT_COUNTS.length);
      const expected: Array<[number | null, number, string, string, string]> = [
        [16, 0, '340', '✗', '16 / 16 thinking'],
        [40, 0, '398', '✗', '40 / 40 thinking'],
        [80, 0, '408', '✓', '80 / 80 thinking'],
        [128, 0, '408', '✓', '96 / 128 thinking'],
        [null, 0, '408', '✓', '96 thinking'],
        [128, 1, '425', '✗', '120 / 128 thinking'],
        [null, 1, '425', '✗', '120 thinking'],
      ];
      for (const [max, wait, answer, mark, sub] of expected) {
        const cell = cells.get(id(max, wait))!;
        assert.ok(cell, `cell ${max}/${wait}`);
        assert.equal(cell.answer, answer, `answer of ${max}/${wait}`);
        assert.equal(cell.answer, cellOf(sweep, max, wait).finalAnswer);
        assert.equal(cell.mark, mark, `mark of ${max}/${wait}`);
        assert.equal(cell.sub, sub);
      }
      // The charts have a point per finished cell as soon as they are drawn (no interaction needed).
      await view.page.waitForFunction(() => document.querySelectorAll('.cv-chart-thinking .cv-point').length === 10, undefined, { timeout: 5000 });
      // The other extension string is a tab away.
      const tabs = view.page.locator('.cv-tab');
      assert.deepEqual(await tabs.allTextContents(), EXTENSIONS.map((e) => JSON.stringify(e)));
      await tabs.nth(1).click();
      await view.page.waitForFunction(() => document.querySelector('.cv-tab-current')?.textContent === '"Hmm"');
      cells = await gridCells(view);
      assert.equal(cells.get(id(128, 1, 'Hmm'))?.answer, '408');
      assert.equal(cells.get(id(128, 1, 'Hmm'))?.mark, '✓');
      assert.equal(cells.has(id(128, 1, 'Wait')), false);
      assert.deepEqual(unexpectedErrors(view), []);
    } finally {
      await view.close();
    }
  });

  test('answer flips are marked in the grid and in the diff header, with the step where the model changed its mind', async () => {
    const { view, sweep } = await loaded();
    try {
      const cells = await gridCells(view);
      const flipped = [...cells.values()].filter((c) => c.classes.some((k) => k.startsWith('cv-flip'))).map((c) => `${c.id} ${c.classes.filter((k) => k.startsWith('cv-flip')).sort().join(' ')}`);
      assert.deepEqual(flipped.sort(), [
        `${id(40, 0)} cv-flip-budget`,
        `${id(80, 0)} cv-flip-budget`,
        `${id(128, 1)} cv-flip-budget cv-flip-wait`,
        `${id(null, 1)} cv-flip-wait`,
        `${id(40, 1)} cv-flip-budget`,
        `${id(80, 1)} cv-flip-budget`,
      ].sort());
      assert.match(cells.get(id(80, 0))!.label!, /Answer flip from budget 40: 398 → 408/);
      // The default pair is the first flip along the budgets.
      assert.deepEqual(await comparedPair(view), [id(16, 0), id(40, 0)]);
      assert.match((await view.page.locator('.cv-flip-line').textContent())!, /Answer flip\s*340 → 398/);

      await clickCell(view, id(80, 0));
      assert.deepEqual(await comparedPair(view), [id(40, 0), id(80, 0)]);
      const selected = await view.waitForPost<CompareViewOutbound>((m) => (m as CompareViewOutbound).type === 'selectCells' && (m as { b: number }).b === sweep.cells.indexOf(cellOf(sweep, 80, 0)));
      assert.deepEqual(selected, { type: 'selectCells', a: sweep.cells.indexOf(cellOf(sweep, 40, 0)), b: sweep.cells.indexOf(cellOf(sweep, 80, 0)) });
      assert.match((await view.page.locator('.cv-flip-line').textContent())!, /Answer flip\s*398 → 408/);
      const change = view.page.locator('.cv-change');
      await view.page.waitForFunction(() => /changed its mind at step/.test(document.querySelector('.cv-change')?.textContent ?? ''));
      const longer = sweep.traces.find((t) => t.id === cellOf(sweep, 80, 0).traceId)!;
      const step = analyzeTrace(longer).steps.find((s) => s.cue === 'Wait')!;
      assert.match((await change.textContent())!, new RegExp(`B changed its mind at step ${step.index + 1} \\(token \\d+\\)`));
      assert.match((await change.locator('q').textContent())!, /^Wait, let me re-check 17 × 4/);
      // The grid cell's description names the step too, once the analysis is in.
      assert.match((await gridCells(view)).get(id(80, 0))!.label!, new RegExp(`changed its mind at step ${step.index + 1}`));

      await change.locator('vscode-button').click();
      const open = await view.waitForPost<CompareViewOutbound>((m) => (m as CompareViewOutbound).type === 'openTrace');
      assert.deepEqual(open, { type: 'openTrace', traceId: longer.id, token: step.startToken });

      // Along the Wait axis: one more "Wait" talks the model out of 408.
      await clickCell(view, id(128, 1), ['Control']);
      await clickCell(view, id(128, 0), ['Shift']);
      assert.deepEqual(await comparedPair(view), [id(128, 0), id(128, 1)]);
      assert.match((await view.page.locator('.cv-flip-line').textContent())!, /Answer flip\s*408 → 425/);
      await view.page.waitForFunction(() => /B changed its mind at step/.test(document.querySelector('.cv-change')?.textContent ?? ''));
      assert.match((await change.locator('q').textContent())!, /^Wait, maybe the question means 17 × 25/);
      assert.deepEqual(unexpectedErrors(view), []);
    } finally {
      await view.close();
    }
  });

  test('the word diff shows the removed words on the left and the inserted ones on the right', async () => {
    const { view } = await loaded();
    try {
      await clickCell(view, id(80, 0));
      await view.page.waitForFunction(() => document.querySelector('.cv-side-a .cv-side-label')?.textContent === 'budget 40 · 0× Wait');
      const removed = await view.page.locator('.cv-side-a del').allTextContents();
      const inserted = await view.page.locator('.cv-side-b ins').allTextContents();
      assert.deepEqual(removed.map((t) => t.trim()).filter((t) => /\d/.test(t)), ['398', '398', '398']);
      assert.deepEqual(inserted.map((t) => t.trim()).filter((t) => /\d/.test(t)), ['408', '408', '408']);
      assert.equal(await view.page.locator('.cv-side-a ins').count(), 0);
      assert.equal(await view.page.locator('.cv-side-b del').count(), 0);
      assert.equal((await view.page.locator('.cv-side-a .cv-text').textContent())!.trim(), 'Final Answer: 398. Adding up the partial products gives 398, so the product is \\boxed{398}.');
      assert.match((await view.page.locator('.cv-diff-stats').textContent())!, /−3 words · \+3 words/);
      // The pickers choose any cell, across extension strings.
      await view.page.locator('.cv-pickers select').nth(1).selectOption(id(null, 1, 'Hmm'));
      await view.page.waitForFunction(() => document.querySelector('.cv-side-b .cv-side-label')?.textContent === 'budget no max · 1× Hmm');
      // Not neighbours: the answers differ, but that is no flip.
      assert.match((await view.page.locator('.cv-flip-line').textContent())!, /^Answers differ\s*398 → 408$/);
      await view.page.locator('.cv-pickers select').nth(1).selectOption(id(80, 0));
      await view.page.waitForFunction(() => document.querySelector('.cv-side-b .cv-side-label')?.textContent === 'budget 80 · 0× Wait');
      // Swapping puts the other answer on the left.
      await view.page.locator('.cv-pickers vscode-button').click();
      await view.page.waitForFunction(() => document.querySelector('.cv-side-a .cv-side-label')?.textContent === 'budget 80 · 0× Wait');
      assert.deepEqual((await view.page.locator('.cv-side-a del').allTextContents()).map((t) => t.trim()).filter((t) => /\d/.test(t)), ['408', '408', '408']);
    } finally {
      await view.close();
    }
  });

  test('clicking a chart point posts openTrace with that cell\'s trace', async () => {
    const { view, sweep } = await loaded();
    try {
      for (const [chart, max, wait] of [['thinking', 128, 1], ['answer', 16, 0], ['correct', 80, 0]] as const) {
        const wanted = cellOf(sweep, max, wait).traceId;
        const boxes = await view.page.$$eval(`.cv-chart-${chart} .cv-point`, (els, cell) => {
          const el = els.find((e) => (e as HTMLElement).dataset.cell === cell);
          if (!el) return null;
          const r = el.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }, id(max, wait));
        assert.ok(boxes, `no point for ${max}/${wait} on the ${chart} chart`);
        const before = view.posted.length;
        await view.page.mouse.click(boxes.x, boxes.y);
        const open = await view.waitForPost<CompareViewOutbound>((m) => view.posted.indexOf(m) >= before && (m as CompareViewOutbound).type === 'openTrace');
        assert.deepEqual(open, { type: 'openTrace', traceId: wanted }, `${chart} chart, ${max}/${wait}`);
      }
      // Clicking between points opens nothing.
      const frame = await view.page.locator('.cv-chart-thinking canvas').boundingBox();
      const count = view.posted.length;
      await view.page.mouse.click(frame!.x + 8, frame!.y + 8);
      await view.page.waitForTimeout(100);
      assert.equal(view.posted.slice(count).filter((m) => (m as CompareViewOutbound).type === 'openTrace').length, 0);
    } finally {
      await view.close();
    }
  });

  test('chart points can be reached and opened from the keyboard', async () => {
    const { view, sweep } = await loaded();
    try {
      const first = view.page.locator('.cv-chart-thinking .cv-point[tabindex="0"]');
      await first.focus();
      await view.page.keyboard.press('ArrowRight');
      await view.page.keyboard.press('ArrowDown');
      const label = await view.page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
      assert.equal(label, 'budget 40, 1× Wait: 40 thinking tokens. Enter opens the trace');
      await view.page.keyboard.press('Enter');
      const open = await view.waitForPost<CompareViewOutbound>((m) => (m as CompareViewOutbound).type === 'openTrace');
      assert.deepEqual(open, { type: 'openTrace', traceId: cellOf(sweep, 40, 1).traceId });
    } finally {
      await view.close();
    }
  });

  test('the grid is driven from the keyboard: arrows move, Enter compares, A and B pick sides, O opens', async () => {
    const { view, sweep } = await loaded();
    try {
      const focused = () => view.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.cell);
      await view.page.locator('.cv-grid td[tabindex="0"]').focus();
      assert.equal(await focused(), id(16, 0));
      assert.equal(await view.page.locator('.cv-grid td[tabindex="0"]').count(), 1);
      await view.page.keyboard.press('ArrowRight');
      await view.page.keyboard.press('ArrowRight');
      assert.equal(await focused(), id(80, 0));
      await view.page.keyboard.press('Enter');
      assert.deepEqual(await comparedPair(view), [id(40, 0), id(80, 0)]);
      assert.equal(await focused(), id(80, 0), 'focus stays on the cell after the grid redraws');
      await view.page.keyboard.press('ArrowDown');
      await view.page.keyboard.press('End');
      assert.equal(await focused(), id(null, 1));
      await view.page.keyboard.press('b');
      assert.deepEqual(await comparedPair(view), [id(40, 0), id(null, 1)]);
      await view.page.keyboard.press('Home');
      await view.page.keyboard.press('a');
      assert.deepEqual(await comparedPair(view), [id(16, 1), id(null, 1)]);
      await view.page.keyboard.press('o');
      const open = await view.waitForPost<CompareViewOutbound>((m) => (m as CompareViewOutbound).type === 'openTrace');
      assert.deepEqual(open, { type: 'openTrace', traceId: cellOf(sweep, 16, 1).traceId });
      // The choice is saved for a reload.
      await view.page.waitForFunction(() => (window as unknown as { __savedState?: { pair?: unknown } }).__savedState?.pair !== null);
      await view.page.waitForTimeout(300);
      const state = (await view.savedState()) as { pair: unknown; focus: unknown; sweepId: unknown };
      assert.deepEqual(state.pair, [id(16, 1), id(null, 1)]);
      assert.equal(state.focus, id(16, 1));
      assert.equal(state.sweepId, sweep.id);
    } finally {
      await view.close();
    }
  });

  test('a saved state brings back the tab and the compared pair', async () => {
    const state = { v: 1, sweepId: 'sweep-17x24', extendWith: 'Hmm', pair: [id(80, 1, 'Hmm'), id(null, 1, 'Hmm')], focus: id(80, 1, 'Hmm') };
    const { view } = await loaded({ savedState: state });
    try {
      assert.equal(await view.page.locator('.cv-tab-current').textContent(), '"Hmm"');
      assert.deepEqual(await comparedPair(view), [id(80, 1, 'Hmm'), id(null, 1, 'Hmm')]);
      assert.match((await view.page.locator('.cv-flip-line').textContent())!, /Same final answer: 408/);
    } finally {
      await view.close();
    }
  });

  test('a live sweep fills in cell by cell and ends with where it was saved', async () => {
    const sweep = sweepFixture();
    const view = await openCompareView(browser, { theme: 'dark' });
    serveAnalyses(view, sweep);
    try {
      const { question, groundTruth, budgets, waitCounts, extendWith, mode } = sweep.settings;
      await view.send({ type: 'start', outline: { question, groundTruth, budgets, waitCounts, extendWith, mode }, source: { label: `live: ${question}` } });
      await view.page.locator('.cv-grid td[data-cell]').first().waitFor();
      let cells = await gridCells(view);
      assert.equal(cells.size, 10);
      assert.ok([...cells.values()].every((c) => c.classes.includes('cv-pending') && c.sub === 'running…'));
      assert.match((await view.page.locator('.cv-status').textContent())!, /Running: 0 \/ 20 cells/);
      const progress = progressOf(sweep, 'run-1');
      for (const p of progress.slice(0, 7)) await view.send({ type: 'progress', progress: p });
      await view.page.waitForFunction(() => /Running: 7 \/ 20 cells/.test(document.querySelector('.cv-status')?.textContent ?? ''));
      cells = await gridCells(view);
      for (const p of progress.slice(0, 7).filter((q) => q.cell.key.extendWith === 'Wait')) {
        assert.equal(cells.get(cellKeyString(p.cell.key))?.answer, p.cell.finalAnswer);
      }
      await view.screenshot('compare-live-dark');
      for (const p of progress.slice(7)) await view.send({ type: 'progress', progress: p });
      await view.send({ type: 'finished', sweep, path: '/work/ws/.thinkscope/sweeps/2025-06-01T12-00-00-what-is-17-24.sweep.json' });
      await view.page.waitForFunction(() => /Done: 20 \/ 20 cells/.test(document.querySelector('.cv-status')?.textContent ?? ''));
      assert.match((await view.page.locator('.cv-status').textContent())!, /saved to \/work\/ws\/\.thinkscope\/sweeps\//);
      cells = await gridCells(view);
      assert.equal(cells.get(id(null, 1))?.answer, '425');
      // The thinking chart has every point by now.
      await view.page.waitForFunction(() => document.querySelectorAll('.cv-chart-thinking .cv-point').length === 10);
      assert.deepEqual(unexpectedErrors(view), []);
    } finally {
      await view.close();
    }
  });

  test('a failed live sweep keeps its cells and says why', async () => {
    const sweep = sweepFixture();
    const view = await openCompareView(browser, { theme: 'dark' });
    try {
      const { question, groundTruth, budgets, waitCounts, extendWith, mode } = sweep.settings;
      await view.send({ type: 'start', outline: { question, groundTruth, budgets, waitCounts, extendWith, mode }, source: { label: 'live' } });
      await view.send({ type: 'progress', progress: progressOf(sweep, 'r')[0]! });
      await view.send({ type: 'failed', message: 'The model file /m/x.gguf could not be loaded' });
      await view.page.waitForFunction(() => /Failed after 1 \/ 20 cells: The model file/.test(document.querySelector('.cv-status')?.textContent ?? ''));
      assert.equal((await gridCells(view)).get(cellKeyString(progressOf(sweep, 'r')[0]!.cell.key))?.answer, progressOf(sweep, 'r')[0]!.cell.finalAnswer);
    } finally {
      await view.close();
    }
  });

  test('without a ground truth there are no correctness marks and no correctness chart', async () => {
    const sweep = sweepFixture();
    sweep.settings.groundTruth = null;
    for (const cell of sweep.cells) cell.correct = null;
    const { view } = await loaded({ sweep });
    try {
      assert.equal(await view.page.locator('.cv-grid .cv-mark').count(), 0);
      assert.equal(await view.page.locator('.cv-chart-correct').isHidden(), true);
      assert.match((await view.page.locator('.cv-chart-note').textContent())!, /No ground truth/);
      assert.match((await view.page.locator('.cv-header').textContent())!, /no ground truth/);
    } finally {
      await view.close();
    }
  });

  test('model text with markup is shown as text, never run', async () => {
    const markup = '<img src=x onerror="window.__xss=1">';
    const sweep = sweepFixture({
      question: `<script>window.__xss=3</script>${QUESTION}`,
      answerOverride: { key: key(40, 0), answer: ` ${markup} so \\boxed{<b>398</b>}` },
    });
    cellOf(sweep, 40, 0).finalAnswer = `${markup}<b>398</b>`;
    const { view } = await loaded({ sweep });
    try {
      await clickCell(view, id(40, 0));
      await view.page.waitForTimeout(200);
      const result = await view.page.evaluate(() => ({
        images: document.querySelectorAll('img').length,
        scripts: document.querySelectorAll('script').length,
        bold: document.querySelectorAll('.cv-app b').length,
        xss: (window as unknown as { __xss?: number }).__xss ?? null,
        question: document.querySelector('.cv-question')?.textContent,
        answerA: document.querySelector('.cv-side-b .cv-text')?.textContent,
        cell: document.querySelector('.cv-cell-top .cv-answer') ? [...document.querySelectorAll('.cv-answer')].map((e) => e.textContent).join('|') : '',
      }));
      assert.equal(result.images, 0);
      assert.equal(result.scripts, 1, 'only the page\'s own script');
      assert.equal(result.bold, 0);
      assert.equal(result.xss, null);
      assert.equal(result.question, `<script>window.__xss=3</script>${QUESTION}`);
      assert.ok(result.answerA?.includes(markup), result.answerA);
      assert.ok(result.cell.includes('<img src=x onerror='), result.cell);
      await view.screenshot('compare-markup-dark');
    } finally {
      await view.close();
    }
  });

  test('a theme change redraws the charts in the new palette', async () => {
    const { view } = await loaded({ theme: 'dark' });
    try {
      const pixel = () => view.page.evaluate(`(() => {
        const marker = document.querySelector('.cv-chart-thinking .cv-point');
        const canvas = document.querySelector('.cv-chart-thinking canvas');
        const m = marker.getBoundingClientRect();
        const c = canvas.getBoundingClientRect();
        const scale = canvas.width / c.width;
        const x = Math.round((m.left + m.width / 2 - c.left) * scale);
        const y = Math.round((m.top + m.height / 2 - c.top) * scale);
        return [...canvas.getContext('2d').getImageData(x, y, 1, 1).data].slice(0, 3);
      })()`);
      await view.page.locator('.cv-chart-thinking .cv-point').first().waitFor({ state: 'attached' });
      // The first point is on the 0× Wait line: --vscode-charts-blue.
      assert.deepEqual(await pixel(), [0x37, 0x94, 0xff]);
      await view.setTheme('light');
      await view.page.waitForFunction(() => document.body.classList.contains('vscode-light'));
      await view.page.waitForTimeout(100);
      assert.deepEqual(await pixel(), [0x1a, 0x85, 0xff]);
    } finally {
      await view.close();
    }
  });

  test('screenshots in the light and the dark theme', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { view } = await loaded({ theme });
      try {
        await clickCell(view, id(80, 0));
        await view.page.waitForFunction(() => /changed its mind at step/.test(document.querySelector('.cv-change')?.textContent ?? ''));
        const path = await view.screenshot(`compare-${theme}`);
        assert.ok(readFileSync(path).length > 10_000);
        assert.deepEqual(unexpectedErrors(view), []);
      } finally {
        await view.close();
      }
    }
  });
});
