/**
 * The readable text view of a trace (language id "thinkscope-trace"): a short header, then the
 * generated text under section rules ("──── Thinking ────", "──── Answer ────"), with every
 * intervention shown by an inline marker ⟦…⟧ where it happened. Token text is copied verbatim, so
 * the rendering knows exactly where each token lies in it.
 *
 *   ThinkScope trace 1b2c… · model qwen-0.5b · temperature 0, seed 7 · thinking budget 0–512 · stopped: eos
 *   Question: What is 2 + 3?
 *   Ground truth: 5
 *   Source: file:///work/traces/a.trace.json
 *   ──── Thinking ────
 *   2 + 3 = 5.
 *   ⟦end of thinking suppressed → injected "Wait"⟧Wait, let me check…
 *   ──── Answer ────
 *   </think>
 *   Final Answer: 5
 */
import type { TraceDocument, TraceEvent, TraceEventKind } from '../../../protocol/trace';

/** Options of renderTraceText. */
export interface RenderOptions {
  /** The trace file the view shows (written on the header's Source line). */
  source?: string;
}

/** Where an intervention marker lies in the rendering. */
export interface RenderedMarker {
  /** Index into the trace's events. */
  event: number;
  start: number;
  end: number;
}

/** A rendered text view and where each token and marker lies in it. */
export interface RenderedTrace {
  text: string;
  /** tokenOffsets[i]: offset in `text` where token i's text begins (it runs for tokens[i].text.length). */
  tokenOffsets: Int32Array;
  markers: RenderedMarker[];
  /** Offset where the body (the first section rule) begins. */
  bodyStart: number;
}

/** Section rules and marker brackets of the text view. */
export const SECTION_THINKING = '──── Thinking ────';
export const SECTION_ANSWER = '──── Answer ────';
export const SECTION_THINKING_AGAIN = '──── Thinking (reopened) ────';
export const MARKER_OPEN = '⟦';
export const MARKER_CLOSE = '⟧';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Renders a trace as readable text, with the offset of every token and marker. */
export function renderTraceText(trace: TraceDocument, options: RenderOptions = {}): RenderedTrace {
  const parts: string[] = [];
  let length = 0;
  const put = (s: string) => {
    parts.push(s);
    length += s.length;
  };
  for (const line of headerLines(trace, options)) put(`${line}\n`);
  const bodyStart = length;

  const eventsAt = new Map<number, number[]>();
  trace.events.forEach((ev, k) => {
    const at = Math.max(0, Math.min(ev.at, trace.tokens.length));
    const list = eventsAt.get(at);
    if (list) list.push(k);
    else eventsAt.set(at, [k]);
  });
  const markers: RenderedMarker[] = [];
  const putMarkers = (at: number) => {
    for (const k of eventsAt.get(at) ?? []) {
      const label = `${MARKER_OPEN}${eventLabel(trace.events[k]!)}${MARKER_CLOSE}`;
      markers.push({ event: k, start: length, end: length + label.length });
      put(label);
    }
  };

  const tokenOffsets = new Int32Array(trace.tokens.length);
  let phase: string | null = null;
  let seenAnswer = false;
  let lastChar = '\n';
  for (let i = 0; i < trace.tokens.length; i++) {
    const token = trace.tokens[i]!;
    putMarkers(i);
    if (token.phase !== phase) {
      if (parts.length > 0 && !(parts[parts.length - 1] ?? '').endsWith('\n')) put('\n');
      const rule = token.phase === 'answer' ? SECTION_ANSWER : seenAnswer ? SECTION_THINKING_AGAIN : SECTION_THINKING;
      put(`${rule}\n`);
      if (token.phase === 'answer') seenAnswer = true;
      phase = token.phase;
    }
    tokenOffsets[i] = length;
    if (token.text !== '') {
      put(token.text);
      lastChar = token.text[token.text.length - 1]!;
    }
  }
  putMarkers(trace.tokens.length);
  if (trace.tokens.length === 0) put(`${SECTION_THINKING}\n`);
  if (lastChar !== '\n' || markers.length > 0) put('\n');
  return { text: parts.join(''), tokenOffsets, markers, bodyStart };
}

function headerLines(trace: TraceDocument, options: RenderOptions): string[] {
  const facts = [`ThinkScope trace ${trace.id}`];
  if (trace.model?.name) facts.push(`model ${trace.model.name}`);
  if (trace.sampling) {
    facts.push(trace.sampling.temperature === 0 ? `greedy, seed ${trace.sampling.seed}` : `temperature ${trace.sampling.temperature}, seed ${trace.sampling.seed}`);
  }
  if (trace.budget) {
    const max = trace.budget.maxThinkingTokens === null ? '∞' : fmt(trace.budget.maxThinkingTokens);
    facts.push(`thinking budget ${fmt(trace.budget.minThinkingTokens)}–${max}`);
  }
  if (trace.stopReason) facts.push(`stopped: ${trace.stopReason}`);
  const lines = [oneLine(facts.join(' · '))];
  const question = (trace.question ?? '').split(/\r?\n/);
  lines.push(`Question: ${question[0] ?? ''}`);
  for (const q of question.slice(1)) lines.push(`  ${q}`);
  if (trace.groundTruth !== null && trace.groundTruth !== undefined) lines.push(`Ground truth: ${oneLine(trace.groundTruth)}`);
  if (options.source) lines.push(`Source: ${oneLine(options.source)}`);
  return lines;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ');
}

/** The Source line of a rendered view's header, or null. */
export function viewSource(text: string): string | null {
  const end = text.indexOf('\n──── ');
  const header = end < 0 ? text.slice(0, 4096) : text.slice(0, end);
  const m = /^Source: (.*)$/m.exec(header);
  return m ? m[1]!.trim() : null;
}

const KIND_LABEL: Record<TraceEventKind, string> = {
  'suppressed-end': 'end of thinking suppressed',
  'forced-end': 'thinking budget reached',
  'natural-end': 'model ended thinking',
  'thinking-reopened': 'thinking reopened',
  'eos-in-thinking': 'end of sequence while thinking',
  'answer-cap': 'answer cap reached',
  'context-full': 'context window full',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  'user-injected': 'user injected text',
  'user-chose-token': 'user chose the token',
  'user-forced-end': 'user ended thinking',
  rewind: 'rewind',
  paused: 'paused',
};

/** A short, one-line description of an event for the inline marker. */
export function eventLabel(ev: TraceEvent): string {
  let label = KIND_LABEL[ev.kind] ?? ev.kind;
  if (ev.kind === 'forced-end' && ev.thinkingTokens !== undefined) label += ` at ${fmt(ev.thinkingTokens)} tokens`;
  if (ev.injected !== undefined && ev.injected !== '') {
    const verb = ev.kind === 'suppressed-end' || ev.kind === 'user-injected' ? 'injected' : 'forced';
    label += ` → ${verb} ${JSON.stringify(ev.injected)}`;
  }
  return label.replace(/[⟦⟧]/g, '');
}

/** The description of an event kind, for hovers. */
export function eventKindLabel(kind: TraceEventKind): string {
  return KIND_LABEL[kind] ?? kind;
}
