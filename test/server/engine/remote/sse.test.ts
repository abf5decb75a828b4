import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSseEvents, SseDecoder, type SseEvent } from '../../../../server/engine/remote/sse';

function decodeAll(pieces: string[]): SseEvent[] {
  const decoder = new SseDecoder();
  return pieces.flatMap((p) => decoder.push(p));
}

async function* bytes(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}

describe('SseDecoder', () => {
  test('reads data lines separated by blank lines, with or without the space after the colon', () => {
    const events = decodeAll(['data: {"a":1}\n\ndata:{"b":2}\n\ndata: [DONE]\n\n']);
    assert.deepEqual(events.map((e) => e.data), ['{"a":1}', '{"b":2}', '[DONE]']);
    assert.equal(events[0]!.event, 'message');
  });

  test('joins several data lines with a newline and keeps event and id fields', () => {
    const events = decodeAll(['event: update\nid: 7\ndata: one\ndata: two\n\n']);
    assert.deepEqual(events, [{ event: 'update', id: '7', data: 'one\ntwo' }]);
  });

  test('accepts CRLF and CR line ends, also when CR and LF arrive in different pieces', () => {
    assert.deepEqual(decodeAll(['data: x\r\n\r\ndata: y\r\r']).map((e) => e.data), ['x', 'y']);
    assert.deepEqual(decodeAll(['data: x\r', '\n\r', '\ndata: z\n\n']).map((e) => e.data), ['x', 'z']);
  });

  test('an event split anywhere across pieces comes out once, whole', () => {
    const text = 'data: {"text":"hello"}\n\n: keep-alive comment\n\ndata: {"text":"world"}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const events = decodeAll([text.slice(0, cut), text.slice(cut)]);
      assert.deepEqual(events.map((e) => e.data), ['{"text":"hello"}', '{"text":"world"}'], `cut at ${cut}`);
    }
  });

  test('ignores comments, unknown fields and blank lines without data', () => {
    assert.deepEqual(decodeAll([': ping\nretry: 100\nfoo: bar\n\n\n\ndata: ok\n\n']).map((e) => e.data), ['ok']);
  });

  test('an event not closed by a blank line is not dispatched, and is reported as partial', () => {
    const decoder = new SseDecoder();
    assert.deepEqual(decoder.push('data: {"choices": [{"te'), []);
    assert.equal(decoder.hasPartial, true);
    assert.deepEqual(decoder.push('xt": "a"}]}\n'), []);
    assert.equal(decoder.hasPartial, true);
    assert.deepEqual(decoder.push('\n').map((e) => e.data), ['{"choices": [{"text": "a"}]}']);
    assert.equal(decoder.hasPartial, false);
  });
});

describe('readSseEvents', () => {
  test('decodes UTF-8 characters split between network chunks', async () => {
    const whole = new TextEncoder().encode('data: {"text":"é漢🙂"}\n\n');
    const events: SseEvent[] = [];
    // Split inside the multi-byte characters.
    for await (const e of readSseEvents(bytes(whole.slice(0, 17), whole.slice(17, 20), whole.slice(20)))) events.push(e);
    assert.deepEqual(events.map((e) => e.data), ['{"text":"é漢🙂"}']);
  });

  test('returns whether the stream ended inside an event', async () => {
    const it = readSseEvents(bytes(new TextEncoder().encode('data: a\n\ndata: b')));
    const first = await it.next();
    assert.equal(first.done, false);
    const end = await it.next();
    assert.deepEqual(end, { done: true, value: { partial: true } });
  });
});
