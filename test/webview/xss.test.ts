/**
 * Model text is data. The XSS sample puts <script>, <img onerror>, javascript: links and HTML
 * entities in the question, the thinking, the injected text, a debugger injection, the answer
 * and the model name; the view must show them literally and run nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../protocol/trace';
import { ROOT, StepperHarness, type StepperPage } from './harness';

const trace = JSON.parse(readFileSync(join(ROOT, 'samples', 'traces', 'xss.trace.json'), 'utf8')) as TraceDocument;

let harness: StepperHarness;
before(async () => {
  harness = await StepperHarness.launch();
});
after(async () => {
  await harness?.close();
});

/** Elements model text could have smuggled in, inside the app. */
async function injectedElements(page: StepperPage): Promise<string[]> {
  return page.page.evaluate(() =>
    [...document.querySelectorAll('#app script, #app img, #app svg, #app a, #app b, #app iframe, #app [onerror], #app [onload], #app [href]')]
      .map((e) => e.outerHTML.slice(0, 80)));
}

describe('the XSS sample', () => {
  test('renders every payload literally and runs none of them', async () => {
    const page = await harness.open();
    try {
      await page.page.evaluate(() => {
        (window as unknown as { ran: boolean }).ran = false;
        window.alert = () => {
          (window as unknown as { ran: boolean }).ran = true;
        };
      });
      await page.load(trace, { label: 'xss <img src=x onerror=alert(9)>.trace.json' });
      const text = (await page.page.textContent('.ts-rows')) ?? '';
      for (const payload of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">click me</a>', '[a markdown link](javascript:alert(1))', '&lt;b&gt; and &amp;', 'Wait <b>bold?</b>', '<img src=x onerror=alert(2)>', '<script>alert(3)</script>']) {
        assert.ok(text.includes(payload), `shows ${payload} as text`);
      }
      assert.ok(text.includes('What is 2 + 2? <script>alert(1)</script> <img src=x onerror=alert(1)>'), 'the prompt as text');
      assert.equal((await page.page.textContent('.ts-label'))?.trim(), 'xss <img src=x onerror=alert(9)>.trace.json');
      // Visit every intervention and event marker, hover each, and walk every token.
      const markers = page.page.locator('.ts-marker');
      for (let k = 0; k < (await markers.count()); k++) await markers.nth(k).hover();
      assert.ok(((await page.page.textContent('.ts-tooltip')) ?? '').length > 0);
      await page.press('i');
      assert.ok((await page.detail()).includes('Injected: "Wait <b>bold?</b>"'));
      await page.press('i');
      assert.ok((await page.detail()).includes('Injected: "<img src=x onerror=alert(2)>"'));
      await page.press('Home');
      for (let i = 0; i < trace.tokens.length; i++) await page.press('ArrowRight');
      assert.ok((await page.detail()).includes('tiny-<svg onload=alert(1)>'), 'the model name as text');
      await page.press('?');
      await page.press('h');
      await page.page.waitForTimeout(200);
      assert.deepEqual(await injectedElements(page), []);
      assert.deepEqual(page.dialogs, []);
      assert.equal(await page.page.evaluate(() => (window as unknown as { ran: boolean }).ran), false);
      assert.deepEqual(await page.cspViolations(), []);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });

  test('a script injected into the page without the nonce is refused by the CSP', async () => {
    const page = await harness.open();
    try {
      await page.page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.body.append(s);
      });
      await page.settle();
      assert.equal(await page.page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran ?? false), false);
      assert.ok((await page.cspViolations()).some((v) => v.startsWith('script-src')));
    } finally {
      await page.close();
    }
  });
});
