/**
 * The trace stepper on a 32,000-token synthetic R1-style trace (scripts/make-samples.ts
 * makeLongTrace), with the real bundle in headless Chromium (test/webview/harness.ts). Prints
 * `name: value` lines:
 *   stepper_first_paint_ms   from posting the trace to the view (the `loadColumns` message the
 *                            extension sends, already in the page) to the end of the first frame
 *                            that shows it: structured clone, decoding, model, first rows;
 *                            median of 5 fresh pages (_min_ms: the fastest, which a busy machine
 *                            disturbs least; _cold_ms: the first page; _cpu_ms: the page's
 *                            main-thread CPU time in that window, from a Chromium trace, which
 *                            other processes on a busy machine do not inflate)
 *   stepper_first_paint_objects_ms / _cpu_ms  the same with the plain `load` message (tokens as
 *                            objects)
 *   encode_columns_ms        the extension's side: putting the tokens into columns (Node)
 *   step_key_p50_ms / step_key_p95_ms  next-token key (→), 500 presses: the view's key handler
 *                            plus the style and layout it causes (forced right after it)
 *   step_key_to_frame_p50_ms / _p95_ms  the same key from its event time to the end of the next
 *                            frame: includes input routing, waiting for the frame and painting,
 *                            which on a loaded 2-core machine is mostly scheduling
 *   jump_key_p50_ms / jump_key_p95_ms  step / intervention / cue / answer / start keys mixed, 200
 *                            presses (these scroll and render new rows), handler + layout
 *   heap_mb                  JS heap used after load and the presses, after a garbage collection
 *   dom_nodes, token_spans   elements in the page, and token spans rendered (of 32,000 tokens)
 * Needs the webview bundle (`npm run bench` builds it) and Chromium at /usr/bin/chromium.
 */
import { performance } from 'node:perf_hooks';
import type { TraceDocument } from '../protocol/trace';
import { encodeTokenColumns } from '../protocol/traceColumns';
import { makeLongTrace } from '../scripts/make-samples';
import { loadMessage, messageJson, StepperHarness, type StepperPage } from '../test/webview/harness';

const TOKENS = 32_000;
const FIRST_PAINT_RUNS = 5;
const STEP_PRESSES = 500;
const JUMP_PRESSES = 200;

/**
 * Runs in the page before the app: times each keydown handler the app puts on the document (the
 * calls that handle the key, i.e. prevent its default) together with the style and layout it
 * causes, and each key event to the end of the next frame.
 */
const KEY_TIMERS = `(() => {
  window.__handled = [];
  window.__frames = [];
  const add = Document.prototype.addEventListener;
  Document.prototype.addEventListener = function (type, listener, options) {
    if (type === 'keydown' && typeof listener === 'function') {
      const inner = listener;
      listener = function (event) {
        const start = performance.now();
        const result = inner.call(this, event);
        if (event.defaultPrevented) {
          document.querySelector('.ts-cur')?.getBoundingClientRect();
          window.__handled.push(performance.now() - start);
        }
        return result;
      };
    }
    return add.call(this, type, listener, options);
  };
  window.addEventListener('keydown', (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.__frames.push(performance.now() - start);
      channel.port2.postMessage(null);
    });
  }, { capture: true });
})();`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const fixed = (x: number, digits = 2): string => x.toFixed(digits);
const median = (values: number[]): number => percentile(values, 50);

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: { name?: string };
}

/** First-paint time as the page saw it (wall) and as CPU time of the page's main thread. */
interface Paint {
  wallMs: number;
  cpuMs: number;
}

/**
 * Puts the load message in the page, then times posting it to the end of the first frame that
 * shows it. The CPU time comes from a Chromium trace: the thread time of the renderer's main-thread
 * tasks in that window, which other processes on a busy machine do not inflate.
 */
async function firstPaint(page: StepperPage, trace: TraceDocument, label: string, objects: boolean): Promise<Paint> {
  await page.page.evaluate((json) => {
    (window as unknown as { benchMessage: unknown }).benchMessage = window.__revive(json);
  }, messageJson(loadMessage(trace, { label, objects })));
  const cdp = await page.context.newCDPSession(page.page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data: { value: TraceEvent[] }) => {
    events.push(...data.value);
  });
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing,devtools.timeline', transferMode: 'ReportEvents' });
  const wallMs = await page.page.evaluate(`new Promise((resolve) => {
    const channel = new MessageChannel();
    let start = 0;
    channel.port1.onmessage = () => {
      performance.mark('bench.painted');
      resolve(performance.now() - start);
    };
    // Registered after the app's listener, so it runs once the app has handled the message.
    window.addEventListener('message', () => requestAnimationFrame(() => channel.port2.postMessage(null)), { once: true });
    performance.mark('bench.post');
    start = performance.now();
    window.postMessage(window.benchMessage, '*');
  })`) as number;
  await page.page.waitForFunction((l) => document.querySelector('.ts-label')?.textContent === l, label);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const post = events.find((e) => e.name === 'bench.post');
  const painted = events.find((e) => e.name === 'bench.painted');
  if (!post || !painted) throw new Error('the trace has no bench marks');
  const tasks = events.filter((e) => e.pid === post.pid && e.tid === post.tid && e.name.endsWith('RunTask') && e.ph === 'X'
    && e.ts + (e.dur ?? 0) > post.ts && e.ts < painted.ts);
  const cpuMs = tasks.reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;
  return { wallMs, cpuMs };
}

async function takeTimes(page: StepperPage): Promise<{ handled: number[]; frames: number[] }> {
  await page.settle();
  return page.page.evaluate(() => {
    const w = window as unknown as { __handled: number[]; __frames: number[] };
    const out = { handled: w.__handled, frames: w.__frames };
    w.__handled = [];
    w.__frames = [];
    return out;
  });
}

async function main(): Promise<void> {
  const trace = makeLongTrace(TOKENS);
  const encodeTimes: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    encodeTokenColumns(trace.tokens);
    encodeTimes.push(performance.now() - t0);
  }
  const harness = await StepperHarness.launch();
  try {
    const paints: Paint[] = [];
    const objectPaints: Paint[] = [];
    for (let run = 0; run < FIRST_PAINT_RUNS; run++) {
      const fresh = await harness.open({ width: 1280, height: 800 });
      paints.push(await firstPaint(fresh, trace, `columns ${run}`, false));
      await fresh.close();
    }
    for (let run = 0; run < 3; run++) {
      const fresh = await harness.open({ width: 1280, height: 800 });
      objectPaints.push(await firstPaint(fresh, trace, `objects ${run}`, true));
      await fresh.close();
    }
    const wall = paints.map((p) => p.wallMs);
    console.log(`stepper_first_paint_ms: ${fixed(median(wall), 1)}`);
    console.log(`stepper_first_paint_min_ms: ${fixed(Math.min(...wall), 1)}`);
    console.log(`stepper_first_paint_cold_ms: ${fixed(wall[0], 1)}`);
    console.log(`stepper_first_paint_cpu_ms: ${fixed(median(paints.map((p) => p.cpuMs)), 1)}`);
    console.log(`stepper_first_paint_objects_ms: ${fixed(median(objectPaints.map((p) => p.wallMs)), 1)}`);
    console.log(`stepper_first_paint_objects_cpu_ms: ${fixed(median(objectPaints.map((p) => p.cpuMs)), 1)}`);
    console.log(`encode_columns_ms: ${fixed(median(encodeTimes), 1)}`);

    const page = await harness.open({ width: 1280, height: 800, initScript: KEY_TIMERS });
    await firstPaint(page, trace, 'keys', false);
    await page.page.waitForSelector('.ts-chart-cursor:not([hidden])');
    // Start inside the trace, then warm up.
    await page.press('i', 3);
    await page.press('ArrowRight', 20);
    await takeTimes(page);
    for (let i = 0; i < STEP_PRESSES; i++) await page.page.keyboard.press('ArrowRight');
    const steps = await takeTimes(page);
    if (steps.handled.length !== STEP_PRESSES) throw new Error(`timed ${steps.handled.length} of ${STEP_PRESSES} key presses`);
    console.log(`step_key_p50_ms: ${fixed(percentile(steps.handled, 50))}`);
    console.log(`step_key_p95_ms: ${fixed(percentile(steps.handled, 95))}`);
    console.log(`step_key_to_frame_p50_ms: ${fixed(percentile(steps.frames, 50))}`);
    console.log(`step_key_to_frame_p95_ms: ${fixed(percentile(steps.frames, 95))}`);

    const jumps = ['ArrowDown', 'ArrowDown', 'i', 'w', 'ArrowUp', 'I', 'W', 'a', 'Home', 'j'];
    for (let i = 0; i < JUMP_PRESSES; i++) await page.page.keyboard.press(jumps[i % jumps.length]);
    const jumpTimes = await takeTimes(page);
    console.log(`jump_key_p50_ms: ${fixed(percentile(jumpTimes.handled, 50))}`);
    console.log(`jump_key_p95_ms: ${fixed(percentile(jumpTimes.handled, 95))}`);

    const cdp = await page.context.newCDPSession(page.page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    console.log(`heap_mb: ${fixed(heap.usedSize / (1024 * 1024), 1)}`);
    const dom = await page.page.evaluate(() => ({ nodes: document.getElementsByTagName('*').length, spans: document.querySelectorAll('.t').length }));
    console.log(`dom_nodes: ${dom.nodes}`);
    console.log(`token_spans: ${dom.spans}`);
    console.log(`trace_tokens: ${trace.tokens.length}`);
    if (page.errors.length > 0) console.log(`page_errors: ${page.errors.length} (${page.errors[0]})`);
    await page.close();
  } finally {
    await harness.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
