/**
 * Screenshots of the stepper in the light, dark and high-contrast themes, saved to
 * test-results/webview/*.png for review. Each shows a sample trace with a suppressed end selected
 * and its marker's tooltip open; the checks make sure the theme really changed the colours.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../protocol/trace';
import { ROOT, StepperHarness, type ThemeName } from './harness';

const OUT = join(ROOT, 'test-results', 'webview');
const sample = (name: string): TraceDocument => JSON.parse(readFileSync(join(ROOT, 'samples', 'traces', name), 'utf8')) as TraceDocument;

let harness: StepperHarness;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  harness = await StepperHarness.launch();
});
after(async () => {
  await harness?.close();
});

describe('screenshots', () => {
  const backgrounds = new Map<ThemeName, string>();
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    test(`${theme} theme`, async () => {
      const page = await harness.open({ theme, width: 1200, height: 760 });
      try {
        await page.load(sample('s1-budget.trace.json'), { label: 's1-budget.trace.json' });
        await page.press('i');
        await page.page.locator('.ts-marker.m-suppressed-end').first().hover();
        await page.page.waitForSelector('.ts-chart-cursor:not([hidden])');
        await page.settle();
        const path = join(OUT, `stepper-${theme}.png`);
        await page.page.screenshot({ path });
        assert.ok(statSync(path).size > 10_000, `${path} is a real picture`);
        backgrounds.set(theme, await page.page.evaluate(() => getComputedStyle(document.body).backgroundColor));
        assert.deepEqual(page.errors, []);
      } finally {
        await page.close();
      }
    });
  }

  test('heat colouring, the forced cut and the help overlay (dark)', async () => {
    const page = await harness.open({ theme: 'dark', width: 1200, height: 760 });
    try {
      await page.load(sample('overthinking.trace.json'), { label: 'overthinking.trace.json' });
      await page.press('h');
      await page.press('w', 2);
      await page.settle();
      await page.page.screenshot({ path: join(OUT, 'stepper-heat-dark.png') });
      await page.load(sample('forced-cut.trace.json'), { label: 'forced-cut.trace.json' });
      await page.press('a');
      await page.settle();
      await page.page.screenshot({ path: join(OUT, 'stepper-forced-cut-dark.png') });
      await page.press('?');
      await page.page.screenshot({ path: join(OUT, 'stepper-help-dark.png') });
    } finally {
      await page.close();
    }
  });

  test('narrow editor (light)', async () => {
    const page = await harness.open({ theme: 'light', width: 640, height: 760 });
    try {
      await page.load(sample('xss.trace.json'), { label: 'xss.trace.json' });
      await page.press('i');
      await page.settle();
      await page.page.screenshot({ path: join(OUT, 'stepper-narrow-light.png') });
      const detail = await page.page.locator('.ts-detail').boundingBox();
      const text = await page.page.locator('.ts-text').boundingBox();
      assert.ok(detail && text && detail.y >= text.y + text.height - 1, 'the detail pane goes under the text');
    } finally {
      await page.close();
    }
  });

  test('each theme has its own colours', () => {
    assert.equal(backgrounds.get('light'), 'rgb(255, 255, 255)');
    assert.equal(backgrounds.get('dark'), 'rgb(31, 31, 31)');
    assert.equal(backgrounds.get('high-contrast'), 'rgb(0, 0, 0)');
  });
});
