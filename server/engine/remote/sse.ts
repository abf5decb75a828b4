/**
 * Server-sent events, as OpenAI-compatible servers stream completions: `data: {...}` lines, events
 * separated by a blank line, `: comments` ignored, the stream closed by `data: [DONE]`.
 *
 * The decoder follows the WHATWG event-stream rules (LF, CRLF or CR line ends; one optional space
 * after the colon; several `data:` lines joined with "\n"); an event cut off by the end of the
 * stream (no blank line after it) is dropped, as the rules say, so a truncated chunk is never parsed.
 */

/** One dispatched event. */
export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  event: string;
  /** The `data:` lines, joined with "\n". */
  data: string;
  /** The `id:` field, when present. */
  id?: string;
}

/** Incremental decoder: push text as it arrives, take the events it completes. */
export class SseDecoder {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  /** A CR ended the last push: a LF that starts the next one belongs to it. */
  private pendingCr = false;

  /** Decodes `text` (the next piece of the stream) and returns the events it completed. */
  push(text: string): SseEvent[] {
    let input = text;
    if (this.pendingCr && input.startsWith('\n')) input = input.slice(1);
    this.pendingCr = false;
    this.buffer += input;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.buffer.slice(start, i);
      if (c === 13) {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** Whether text of an unfinished line or event is waiting (the stream ended in the middle of one). */
  get hasPartial(): boolean {
    return this.buffer.length > 0 || this.data.length > 0;
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      default:
        // `retry` and unknown fields are ignored.
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    if (this.data.length === 0) {
      this.event = '';
      return null;
    }
    const event: SseEvent = {
      event: this.event || 'message',
      data: this.data.join('\n'),
      ...(this.id !== undefined ? { id: this.id } : {}),
    };
    this.data = [];
    this.event = '';
    return event;
  }
}

/** The data sentinel that ends an OpenAI stream. */
export const SSE_DONE = '[DONE]';

/**
 * Reads a byte stream as server-sent events, decoding UTF-8 across chunk boundaries. The iterator
 * ends when the stream does; reading errors (a dropped connection) are thrown as they come.
 */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent, { partial: boolean }> {
  const decoder = new SseDecoder();
  const utf8 = new TextDecoder('utf-8');
  for await (const bytes of body) {
    for (const event of decoder.push(utf8.decode(bytes, { stream: true }))) yield event;
  }
  for (const event of decoder.push(utf8.decode())) yield event;
  return { partial: decoder.hasPartial };
}
