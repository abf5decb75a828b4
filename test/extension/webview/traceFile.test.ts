import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isJsonlPath, listJsonlTraces, parseTraceFragment, parseTraceJson, readJsonlTrace, traceFragment, TraceFileError,
} from '../../../extension/webview/traceFile';

const samples = fileURLToPath(new URL('../../../samples/traces/', import.meta.url));
const sample = (name: string): string => readFileSync(join(samples, name), 'utf8');

describe('parseTraceJson', () => {
  test('reads a sample trace', () => {
    const trace = parseTraceJson(sample('forced-cut.trace.json'), 'forced-cut.trace.json');
    assert.equal(trace.id, 'sample-forced-cut');
    assert.ok(trace.tokens.length > 100);
  });

  test('refuses text that is not JSON, naming the file', () => {
    assert.throws(() => parseTraceJson('{"format":', 'broken.trace.json'), (e: unknown) => e instanceof TraceFileError && /^broken\.trace\.json: not valid JSON/.test(e.message));
  });

  test('refuses JSON that is not a trace, naming the file and the field', () => {
    const bad = JSON.parse(sample('forced-cut.trace.json'));
    bad.tokens[3].text = 42;
    assert.throws(() => parseTraceJson(JSON.stringify(bad), 'bad.trace.json'), (e: unknown) => e instanceof TraceFileError && /bad\.trace\.json/.test(e.message) && /tokens\[3\]\.text/.test(e.message));
    assert.throws(() => parseTraceJson('{"hello": 1}', 'other.json'), /other\.json.*format/);
  });
});

describe('JSONL traces', () => {
  const a = JSON.parse(sample('wait-extension.trace.json'));
  const b = JSON.parse(sample('xss.trace.json'));
  const text = `${JSON.stringify(a)}\n\n${JSON.stringify(b)}\nnot json\n`;

  test('lists every non-blank line with its question', () => {
    const entries = listJsonlTraces(text);
    assert.deepEqual(entries.map((e) => [e.index, e.line, e.id]), [[0, 1, a.id], [1, 3, b.id], [2, 4, null]]);
    assert.equal(entries[0].label, a.question);
    assert.match(entries[2].label, /line 4: not valid JSON/);
    assert.ok(entries[2].error);
  });

  test('reads trace N and names the line in errors', () => {
    assert.equal(readJsonlTrace(text, 1, 'runs.jsonl').id, b.id);
    assert.throws(() => readJsonlTrace(text, 2, 'runs.jsonl'), /runs\.jsonl:4 \(trace 3\): not valid JSON/);
    assert.throws(() => readJsonlTrace(text, 7, 'runs.jsonl'), /runs\.jsonl: has 3 traces; there is no trace 8/);
  });

  test('fragments select a trace', () => {
    assert.equal(traceFragment(3), 'trace=3');
    assert.equal(parseTraceFragment('trace=3'), 3);
    assert.equal(parseTraceFragment(''), null);
    assert.equal(parseTraceFragment('trace=-1'), null);
    assert.equal(parseTraceFragment('L12'), null);
    assert.equal(isJsonlPath('/x/runs.JSONL'), true);
    assert.equal(isJsonlPath('/x/a.trace.json'), false);
  });
});
