/**
 * The stepper in headless Chromium with the real bundle: keys, buttons and relayed commands land
 * where they should on a known trace; markers say what the model wanted and what was injected;
 * live runs stream in; the view keeps its place; long traces stay virtualized.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../protocol/trace';
import { KEY_BINDINGS } from '../../webview/apps/trace/keyboard';
import { makeLongTrace } from '../../scripts/make-samples';
import { KNOWN, knownTrace } from './fixtures';
import { ROOT, StepperHarness, type StepperPage } from './harness';

function sample(name: string): TraceDocument {
  return JSON.parse(readFileSync(join(ROOT, 'samples', 'traces', name), 'utf8')) as TraceDocument;
}

/** The text of the highlighted token on the page. */
async function currentText(page: StepperPage): Promise<string | null> {
  return page.page.evaluate(() => document.querySelector('.t.ts-cur')?.textContent ?? null);
}

let harness: StepperHarness;
before(async () => {
  harness = await StepperHarness.launch();
});
after(async () => {
  await harness?.close();
});

describe('stepping on the known trace', () => {
  test('each key lands where it should, and the highlighted token follows', async () => {
    const page = await harness.open();
    try {
      const trace = knownTrace();
      await page.load(trace);
      assert.equal(await page.position(), `token 1 / ${KNOWN.length} · step 1 / 6 · thinking`);
      const expectations: [key: string, token: number][] = [
        ['ArrowRight', 1], ['ArrowRight', 2], ['ArrowLeft', 1],
        ['ArrowDown', 8], ['ArrowDown', 14], ['ArrowDown', 17], ['ArrowDown', 21], ['ArrowDown', 25], ['ArrowDown', 25],
        ['ArrowUp', 21], ['k', 17], ['j', 21], ['Home', 0],
        ['i', 17], ['i', 25], ['i', 25], ['Shift+I', 17],
        ['Home', 0], ['w', 8], ['w', 17], ['w', 21], ['w', 21], ['Shift+W', 17], ['Shift+W', 8],
        ['a', KNOWN.answerStart], ['ArrowRight', 26], ['ArrowUp', 25], ['ArrowUp', 21],
      ];
      for (const [key, expected] of expectations) {
        await page.press(key);
        assert.equal(await page.token(), expected, `after ${key}`);
        assert.equal(await currentText(page), trace.tokens[expected].text, `highlight after ${key}`);
      }
      assert.equal(await page.position(), `token 22 / ${KNOWN.length} · step 5 / 6 · thinking`);
      await page.press('ArrowDown', 2);
      assert.equal((await page.page.textContent('.ts-position-note'))?.trim(), 'no next step');
      assert.deepEqual(page.errors, []);
      assert.deepEqual(await page.cspViolations(), []);
    } finally {
      await page.close();
    }
  });

  test('a trace sent as objects (the plain load message) shows the same', async () => {
    const page = await harness.open();
    try {
      const trace = knownTrace();
      await page.load(trace, { objects: true });
      await page.press('i');
      assert.equal(await page.token(), 17);
      assert.deepEqual(await page.page.$$eval('.ts-alt-text', (els) => els.length), 0, 'an injected token has no alternatives');
      await page.press('ArrowLeft');
      assert.deepEqual(await page.page.$$eval('.ts-alt-text', (els) => els.map((e) => e.textContent)), ['"\\n"', '" so"', '"<b>x</b>"']);
    } finally {
      await page.close();
    }
  });

  test('the view reports the position to the host, debounced', async () => {
    const page = await harness.open();
    try {
      await page.load(knownTrace());
      await page.press('ArrowRight', 5);
      await page.page.waitForFunction(() => window.__posted.some((m) => (m as { type: string; token?: number }).type === 'position' && (m as { token: number }).token === 5));
      const positions = (await page.posted()).filter((m) => m.type === 'position');
      assert.ok(positions.length < 5, `one report per burst, got ${positions.length}`);
      assert.equal((await page.posted())[0].type, 'ready');
    } finally {
      await page.close();
    }
  });

  test('commands relayed from VS Code keybindings, and the toolbar buttons, step the same way', async () => {
    const page = await harness.open();
    try {
      await page.load(knownTrace());
      await page.send({ type: 'command', command: 'nextIntervention' });
      assert.equal(await page.token(), 17);
      await page.send({ type: 'command', command: 'jumpToAnswer' });
      assert.equal(await page.token(), 25);
      await page.send({ type: 'command', command: 'prevCue' });
      assert.equal(await page.token(), 21);
      await page.page.click('vscode-button[title^="First token"]');
      assert.equal(await page.token(), 0);
      await page.page.click('vscode-button[title^="Next step"]');
      assert.equal(await page.token(), 8);
      await page.page.click('vscode-button[title^="Next intervention"]');
      assert.equal(await page.token(), 17);
    } finally {
      await page.close();
    }
  });

  test('keys the view handles do not reach VS Code; other keys do', async () => {
    const page = await harness.open();
    try {
      await page.load(knownTrace());
      await page.page.evaluate(() => {
        (window as unknown as { seen: string[] }).seen = [];
        window.addEventListener('keydown', (e) => (window as unknown as { seen: string[] }).seen.push(e.key));
      });
      await page.press('ArrowRight');
      await page.press('x');
      await page.press('Control+p');
      assert.deepEqual(await page.page.evaluate(() => (window as unknown as { seen: string[] }).seen), ['x', 'Control', 'p']);
      assert.equal(await page.token(), 1);
    } finally {
      await page.close();
    }
  });

  test('clicking a token, the timeline or the chart selects there', async () => {
    const page = await harness.open();
    try {
      const trace = knownTrace();
      await page.load(trace);
      await page.page.locator('.t', { hasText: 'check' }).click();
      assert.equal(await page.token(), 10);
      const box = await page.page.locator('.ts-timeline').boundingBox();
      assert.ok(box);
      await page.page.mouse.click(box.x + box.width * ((17 + 0.5) / KNOWN.length), box.y + 2);
      assert.equal(await page.token(), 17);
      await page.page.waitForSelector('.ts-chart-cursor:not([hidden])');
      const chart = await page.page.locator('.ts-chart canvas').boundingBox();
      assert.ok(chart);
      await page.page.mouse.click(chart.x + chart.width * 0.97, chart.y + chart.height / 2);
      await page.settle(); // chart.js handles pointer events on the next frame
      assert.ok((await page.token()) >= 27, `near the end, got ${await page.token()}`);
    } finally {
      await page.close();
    }
  });
});

describe('interventions', () => {
  test('markers sit before the intervention; hovering one says what the model wanted and what was injected', async () => {
    const page = await harness.open();
    try {
      await page.load(sample('wait-extension.trace.json'));
      assert.equal(await page.page.locator('.ts-marker').count(), 3);
      assert.deepEqual(
        await page.page.$$eval('.ts-marker', (ms) => ms.map((m) => (m.nextElementSibling as HTMLElement | null)?.textContent)),
        ['Wait', 'Wait', '</think>'],
      );
      await page.page.locator('.ts-marker.m-suppressed-end').first().hover();
      const tooltip = (await page.page.textContent('.ts-tooltip')) ?? '';
      assert.match(tooltip, /^Suppressed end of thinking/);
      assert.ok(tooltip.includes('Model wanted: "</think>" (p = 0.931, logprob -0.071)'), tooltip);
      assert.ok(tooltip.includes('Injected: "Wait"'), tooltip);
      assert.ok(tooltip.includes('Minimum thinking: 300 tokens'), tooltip);
      await page.page.mouse.move(0, 0);
      assert.equal(await page.page.isHidden('.ts-tooltip'), true);
    } finally {
      await page.close();
    }
  });

  test('selecting a forced cut shows what the model wanted, what was forced, and the budget', async () => {
    const page = await harness.open();
    try {
      await page.load(sample('forced-cut.trace.json'));
      await page.press('i');
      const detail = await page.detail();
      assert.ok(detail.includes('Forced end of thinking (budget reached)'), detail);
      assert.ok(detail.includes('Model wanted: " 6" (p = 0.751, logprob -0.287)'), detail);
      assert.ok(detail.includes('Forced: "</think>\\n\\nFinal Answer:"'), detail);
      assert.ok(detail.includes('Maximum thinking: 259 tokens'), detail);
      assert.equal(await currentText(page), '</think>');
      // The forced tokens after it still belong to the intervention.
      await page.press('ArrowRight', 2);
      assert.equal(await currentText(page), 'Final');
      assert.ok((await page.detail()).includes('Forced end of thinking'));
    } finally {
      await page.close();
    }
  });

  test('the token detail shows log-probability, probability, entropy and the top alternatives', async () => {
    const page = await harness.open();
    try {
      const trace = knownTrace();
      await page.load(trace);
      await page.press('ArrowRight', 3);
      const detail = await page.detail();
      const t = trace.tokens[3];
      assert.ok(detail.includes(`Logprob${(t.logprob as number).toFixed(3)}`), detail);
      assert.ok(detail.includes(`Probability${Math.exp(t.logprob as number).toFixed(3)}`), detail);
      assert.ok(detail.includes(`Entropy${(t.entropy as number).toFixed(3)} nats`), detail);
      assert.deepEqual(await page.page.$$eval('.ts-alt-text', (els) => els.map((e) => e.textContent)), ['" +"', '" so"', '"<b>x</b>"']);
    } finally {
      await page.close();
    }
  });
});

describe('view modes', () => {
  test('heat colouring, help overlay and replay', async () => {
    const page = await harness.open();
    try {
      await page.load(knownTrace());
      const heat = () => page.page.evaluate(() => document.querySelector('.ts-text')?.className);
      await page.press('h');
      assert.match((await heat()) ?? '', /heat-probability/);
      await page.press('h');
      assert.match((await heat()) ?? '', /heat-entropy/);
      await page.press('h');
      assert.doesNotMatch((await heat()) ?? '', /heat-/);
      await page.page.click('vscode-dropdown[title^="Heat colouring"]');
      await page.page.click('vscode-option:has-text("Heat: entropy")');
      assert.match((await heat()) ?? '', /heat-entropy/, 'picked from the dropdown');
      await page.text(); // keys typed into the dropdown belong to it
      await page.press('h');
      assert.doesNotMatch((await heat()) ?? '', /heat-/);
      await page.page.click('vscode-dropdown[title="Replay speed"]');
      await page.page.click('vscode-option:has-text("200 tok/s")');
      await page.page.waitForFunction(() => (window.__state as { speed?: number } | null)?.speed === 200);
      await page.text();
      await page.press('?');
      assert.equal(await page.page.isVisible('.ts-help'), true);
      assert.equal(await page.page.locator('.ts-help-keys tr').count(), KEY_BINDINGS.length);
      await page.press('Escape');
      assert.equal(await page.page.isHidden('.ts-help'), true);
      await page.press(' ');
      await page.page.waitForFunction(() => /token (\d+)/.exec(document.querySelector('.ts-position-text')?.textContent ?? '')?.[1] !== '1');
      assert.ok((await page.page.locator('.t.ts-future').count()) > 0, 'tokens after the replay position are dimmed');
      await page.press(' ');
      const stopped = await page.token();
      await page.page.waitForTimeout(300);
      assert.equal(await page.token(), stopped, 'replay stopped');
      assert.equal(await page.page.locator('.t.ts-future').count(), 0);
    } finally {
      await page.close();
    }
  });
});

describe('state', () => {
  test('the view keeps its place, heat and help across a reload, for the same trace only', async () => {
    const first = await harness.open();
    let state: unknown;
    try {
      await first.load(knownTrace('kept'), { uri: 'file:///w/kept.trace.json' });
      await first.press('w', 3);
      await first.press('h');
      await first.page.waitForFunction(() => {
        const saved = window.__state as { position?: number; heat?: string } | null;
        return saved?.position === 21 && saved.heat === 'probability';
      });
      state = await first.savedState();
      assert.deepEqual(state, { v: 1, traceId: 'kept', position: 21, heat: 'probability', speed: 20, help: false, source: { label: 'kept', uri: 'file:///w/kept.trace.json' } });
    } finally {
      await first.close();
    }
    const second = await harness.open({ state });
    try {
      await second.load(knownTrace('kept'));
      assert.equal(await second.token(), 21);
      assert.equal(await currentText(second), 'But');
      assert.match((await second.page.getAttribute('.ts-text', 'class')) ?? '', /heat-probability/);
      await second.load(knownTrace('another'));
      assert.equal(await second.token(), 0, 'another trace starts at its first token');
    } finally {
      await second.close();
    }
    const third = await harness.open({ state: { garbage: true } });
    try {
      await third.load(knownTrace('kept'));
      assert.equal(await third.token(), 0, 'an invalid saved state is ignored');
    } finally {
      await third.close();
    }
  });
});

describe('live runs', () => {
  test('tokens stream in, the selection follows the end, a rewind truncates, the final trace replaces it', async () => {
    const page = await harness.open();
    try {
      const full = knownTrace('live-1');
      const header = { ...knownTrace('live-1'), tokens: [], events: [] };
      await page.load(header, { live: true, label: 'live: 2 + 2' });
      assert.equal((await page.page.textContent('.ts-status'))?.trim(), 'live');
      for (let at = 0; at < 20; at += 5) {
        await page.send({ type: 'progress', progress: { runId: 'r', offset: at, tokens: full.tokens.slice(at, at + 5), events: at === 15 ? [full.events[0]] : [], thinkingTokens: at + 5, answerTokens: 0, tokensPerSecond: 9 } });
        assert.equal(await page.token(), at + 4, `follows the end after ${at + 5} tokens`);
      }
      assert.equal(await page.position(), 'token 20 / 20 · step 4 / 4 · thinking');
      assert.equal(await page.page.locator('.ts-marker').count(), 1);
      // The user steps back: new tokens no longer move the selection.
      await page.press('Home');
      await page.send({ type: 'progress', progress: { runId: 'r', offset: 20, tokens: full.tokens.slice(20, 26), events: [full.events[1]], thinkingTokens: 25, answerTokens: 1, tokensPerSecond: 9 } });
      assert.equal(await page.token(), 0);
      assert.match(await page.position(), /^token 1 \/ 26 /);
      assert.equal(await page.page.locator('.ts-marker').count(), 2);
      // A rewind to token 22.
      await page.send({ type: 'progress', progress: { runId: 'r', offset: 22, tokens: [{ ...full.tokens[22], text: ' hmm' }], events: [], thinkingTokens: 23, answerTokens: 0, tokensPerSecond: 9 } });
      assert.match(await page.position(), /^token 1 \/ 23 /);
      assert.equal(await page.page.locator('.ts-marker').count(), 1);
      assert.ok(((await page.page.textContent('.ts-rows')) ?? '').endsWith('But hmm'));
      // A gap is reported, not applied.
      await page.send({ type: 'progress', progress: { runId: 'r', offset: 40, tokens: [], events: [], thinkingTokens: 0, answerTokens: 0, tokensPerSecond: 0 } });
      assert.ok((await page.posted()).some((m) => m.type === 'error' && /starts at token 40 but only 23/.test(String(m.message))));
      await page.send({ type: 'finished', trace: full });
      assert.equal((await page.page.textContent('.ts-status'))?.trim(), 'stop: eos');
      assert.match(await page.position(), new RegExp(`^token 1 / ${KNOWN.length} `));
      await page.send({ type: 'failed', message: 'the server stopped: out of memory' });
      assert.equal((await page.page.textContent('.ts-banner'))?.trim(), 'the server stopped: out of memory');
      assert.deepEqual(await page.cspViolations(), [], 'the live spinner and badge keep to the CSP');
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });

  test('the analysis from the host replaces the local steps', async () => {
    const page = await harness.open();
    try {
      await page.load(knownTrace());
      assert.match(await page.detail(), /Steps6 \(paragraphs, local\)/);
      await page.send({
        type: 'analysis',
        analysis: {
          steps: [
            { index: 0, startToken: 0, endToken: 14, startChar: 0, endChar: 1, phase: 'thinking', cue: null, preview: 'a' },
            { index: 1, startToken: 14, endToken: 31, startChar: 1, endChar: 2, phase: 'thinking', cue: null, preview: 'b' },
          ],
          candidates: [{ text: '4', normalized: '4', kind: 'last-number', startChar: 0, endChar: 100, token: 6, phase: 'thinking', correct: true }],
          cues: [],
          metrics: { thinkingTokens: 25, answerTokens: 6, finalAnswer: '4', reference: 'ground-truth', correct: true, firstCorrectToken: 6, tokensAfterFirstCorrect: 19, outcomeEfficiency: 0.28, processEfficiency: 0.5, reflectionCues: 0, loops: [], steps: 2 },
        },
      });
      assert.equal(await page.position(), `token 1 / ${KNOWN.length} · step 1 / 2 · thinking`);
      const detail = await page.detail();
      assert.ok(detail.includes('Final answer4 ✓'), detail);
      assert.ok(detail.includes('First correcttoken 7 (19 thinking tokens after)'), detail);
      assert.equal(await page.page.locator('.ts-tick-candidate.ts-candidate-correct').count(), 1);
      await page.press('ArrowDown');
      assert.equal(await page.token(), 14);
    } finally {
      await page.close();
    }
  });

  test('malformed messages are reported to the host and change nothing', async () => {
    const page = await harness.open();
    try {
      await page.send({ type: 'progress', progress: { runId: 'r', offset: 0, tokens: [], events: [], thinkingTokens: 0, answerTokens: 0, tokensPerSecond: 0 } });
      await page.page.evaluate(() => window.postMessage({ type: 'load', trace: 'nope' }, '*'));
      await page.page.evaluate(() => window.postMessage({ type: 'command', command: 'rm -rf' }, '*'));
      await page.settle();
      const errors = (await page.posted()).filter((m) => m.type === 'error').map((m) => String(m.message));
      assert.equal(errors.length, 3, errors.join('\n'));
      assert.match(errors[0], /arrived before the trace header/);
      assert.match(errors[1], /malformed message \(type load\)/);
      assert.equal((await page.page.textContent('.ts-placeholder'))?.trim(), 'Waiting for a trace…');
    } finally {
      await page.close();
    }
  });
});

describe('long traces', () => {
  test('a 32,000-token trace keeps a small DOM and every jump lands in view', async () => {
    const page = await harness.open();
    try {
      const trace = makeLongTrace(32000);
      await page.load(trace);
      const visible = async (): Promise<boolean> => page.page.evaluate(() => {
        const cur = document.querySelector('.t.ts-cur');
        const box = document.querySelector('.ts-text')?.getBoundingClientRect();
        if (!cur || !box) return false;
        const r = cur.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
      });
      const spans = () => page.page.locator('.t').count();
      assert.ok((await spans()) < 3000, `${await spans()} token spans in the DOM`);
      await page.press('a');
      assert.equal(await page.token(), trace.tokens.findIndex((t) => t.phase === 'answer'));
      assert.equal(await visible(), true, 'the answer is in view');
      assert.ok((await spans()) < 3000);
      await page.press('I');
      assert.equal(await currentText(page), 'Wait');
      assert.equal(await visible(), true, 'the last Wait is in view');
      await page.press('Home');
      for (let k = 0; k < 5; k++) await page.press('i');
      assert.equal(await visible(), true);
      await page.page.locator('.ts-text').evaluate((el) => {
        el.scrollTop = el.scrollHeight / 2;
      });
      await page.settle();
      await page.settle();
      assert.ok((await spans()) > 0 && (await spans()) < 3000, 'rows follow the scroll');
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });
});
