/**
 * Step segmentation: thinking (and the answer) split into steps at paragraph breaks and at
 * reflection cues ("Wait", "Hmm", "Alternatively", …) that start a sentence or a line, and at
 * every injected extension. Steps tile each phase run exactly: in tokens [startToken, endToken)
 * and in characters of the generated text [startChar, endChar), both aligned to token starts.
 *
 * A boundary is found in the text; the step begins at the first token that starts within the
 * whitespace before the boundary's first character (so " Wait" with its leading space opens the
 * step). A token that straddles the boundary belongs to the step where it starts; a boundary that
 * falls inside such a token is dropped.
 */
import type { CueOccurrence, StepCue, TraceStep } from '../../protocol/analysis';
import type { TraceDocument } from '../../protocol/trace';
import { DEFAULT_REFLECTION_CUES } from '../../protocol/analysisExtra';
import { buildGeneratedText, firstTokenFrom, tokenAtChar, type GeneratedText, type PhaseRun } from './generatedText';

/** How steps are found. */
export interface StepOptions {
  /** Reflection cues that open a step; DEFAULT_REFLECTION_CUES when omitted. */
  cues?: readonly string[];
  /**
   * Delimiter texts (`</think>`, `<think>`): a step holding nothing but one of them joins the step
   * after it, so the answer's first step is not the bare delimiter.
   */
  delimiters?: readonly string[];
}

/** Steps and cue occurrences of one trace. */
export interface Segmentation {
  steps: TraceStep[];
  cues: CueOccurrence[];
}

const PREVIEW_CHARS = 80;

/** Splits a trace's thinking and answer into steps. */
export function segmentSteps(trace: TraceDocument, options: StepOptions = {}): TraceStep[] {
  return segmentGenerated(buildGeneratedText(trace.tokens), withDelimiters(trace, options)).steps;
}

/** Every reflection cue in a trace (injected extensions included), in text order. */
export function findCues(trace: TraceDocument, options: StepOptions = {}): CueOccurrence[] {
  return segmentGenerated(buildGeneratedText(trace.tokens), withDelimiters(trace, options)).cues;
}

/** The options with the trace's delimiters added when none are given. */
export function withDelimiters(trace: TraceDocument, options: StepOptions): StepOptions {
  if (options.delimiters || !trace.delimiters) return options;
  return { ...options, delimiters: [trace.delimiters.thinkEnd, trace.delimiters.thinkStart].filter((d) => d !== '') };
}

/** A compiled cue list: one regular expression with one capture group per cue. */
export interface CueMatcher {
  cues: readonly string[];
  /** Matches a cue at a sentence or line start, with the whitespace and emphasis before it. */
  regex: RegExp;
  /** Matches a cue at the very start of a string (after whitespace and emphasis). */
  leading: RegExp;
}

const matcherCache = new Map<string, CueMatcher>();

/**
 * Compiles a cue list. Cues match case-sensitively as whole words; a cue that ends in a doubled
 * letter also matches longer runs of it ("Hmm" matches "Hmmm").
 */
export function compileCues(cues: readonly string[]): CueMatcher {
  const key = cues.join('\u0000');
  const cached = matcherCache.get(key);
  if (cached) return cached;
  const usable = cues.filter((c) => c.trim().length > 0);
  // Longest first, so "But wait" wins over a shorter cue at the same place.
  const ordered = [...usable].sort((a, b) => b.length - a.length);
  const alternatives = ordered.map((c) => `(${cuePattern(c.trim())})`).join('|');
  const body = `[ \\t]*(?:\\*\\*|__|\\*|_)?(?:${alternatives || '(?!)'})(?![\\p{L}\\p{N}])`;
  const matcher: CueMatcher = {
    cues: ordered.map((c) => c.trim()),
    regex: new RegExp(`(?:^|(?<=[.!?…]["'”’)\\]*]*))${body}`, 'gmu'),
    leading: new RegExp(`^\\s*(?:\\*\\*|__|\\*|_)?(?:${alternatives || '(?!)'})(?![\\p{L}\\p{N}])`, 'u'),
  };
  if (matcherCache.size > 32) matcherCache.clear();
  matcherCache.set(key, matcher);
  return matcher;
}

function cuePattern(cue: string): string {
  const escaped = cue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const n = cue.length;
  if (n >= 2 && cue[n - 1] === cue[n - 2] && /\p{L}/u.test(cue[n - 1]!)) return `${escaped}+`;
  return escaped;
}

/** Which cue of the matcher a match found (the first non-empty capture group). */
function matchedCue(matcher: CueMatcher, m: RegExpExecArray): { cue: string; length: number } {
  for (let k = 1; k < m.length; k++) {
    const g = m[k];
    if (g !== undefined) return { cue: matcher.cues[k - 1]!, length: g.length };
  }
  return { cue: '', length: 0 };
}

interface Boundary {
  /** Token where the step begins. */
  token: number;
  cue: StepCue;
}

/** Segments an already joined trace text. */
export function segmentGenerated(g: GeneratedText, options: StepOptions = {}): Segmentation {
  const matcher = compileCues(options.cues ?? DEFAULT_REFLECTION_CUES);
  const steps: TraceStep[] = [];
  const cues: CueOccurrence[] = [];
  for (const run of g.runs) {
    const boundaries = runBoundaries(g, run, matcher, cues);
    const merged = joinDelimiterSteps(g, dropBlankSteps(g, boundaries, run), run, options.delimiters ?? []);
    for (let k = 0; k < merged.length; k++) {
      const startToken = merged[k]!.token;
      const endToken = k + 1 < merged.length ? merged[k + 1]!.token : run.endToken;
      const startChar = g.starts[startToken]!;
      const endChar = g.starts[endToken]!;
      steps.push({
        index: steps.length,
        startToken,
        endToken,
        startChar,
        endChar,
        phase: run.phase,
        cue: merged[k]!.cue,
        preview: preview(g.text, startChar, endChar),
      });
    }
  }
  cues.sort((a, b) => a.startChar - b.startChar);
  return { steps, cues };
}

/** Boundaries of one phase run, sorted and unique by token; the first is the run's start. */
function runBoundaries(g: GeneratedText, run: PhaseRun, matcher: CueMatcher, cues: CueOccurrence[]): Boundary[] {
  const found = new Map<number, StepCue>();
  const cueChars = new Set<number>();
  const add = (token: number, cue: StepCue) => {
    if (token < run.startToken || token >= run.endToken) return;
    const existing = found.get(token);
    if (existing === undefined || (existing === null && cue !== null)) found.set(token, cue);
  };
  add(run.startToken, null);

  // Injected extensions always open a step.
  for (let i = run.startToken; i < run.endToken; i++) {
    if (g.tokens[i]!.source !== 'injected' || (i > run.startToken && g.tokens[i - 1]!.source === 'injected')) continue;
    let end = i;
    while (end < run.endToken && g.tokens[end]!.source === 'injected') end++;
    const text = g.text.slice(g.starts[i]!, g.starts[end]!);
    const lead = matcher.leading.exec(text);
    const cue = lead ? matchedCue(matcher, lead).cue : text.trim().slice(0, 40) || null;
    const startChar = g.starts[i]! + (text.length - text.trimStart().length);
    add(i, cue);
    if (cue !== null) {
      cues.push({ cue, token: i, startChar });
      cueChars.add(startChar);
    }
  }

  const text = g.text.slice(run.startChar, run.endChar);
  // Paragraph breaks: the step begins after the break's last newline.
  const para = /\n[ \t]*\n\s*/g;
  for (let m = para.exec(text); m !== null; m = para.exec(text)) {
    const end = m.index + m[0].length;
    if (end >= text.length) break;
    const lowest = run.startChar + m.index + m[0].lastIndexOf('\n') + 1;
    const token = firstTokenFrom(g, lowest);
    if (g.starts[token]! <= run.startChar + end) add(token, null);
  }
  // Reflection cues at sentence and line starts.
  matcher.regex.lastIndex = 0;
  for (let m = matcher.regex.exec(text); m !== null; m = matcher.regex.exec(text)) {
    const { cue, length } = matchedCue(matcher, m);
    const cueStart = run.startChar + m.index + m[0].length - length;
    if (!cueChars.has(cueStart)) {
      cues.push({ cue, token: tokenAtChar(g, cueStart), startChar: cueStart });
      cueChars.add(cueStart);
    }
    const token = firstTokenFrom(g, run.startChar + m.index);
    if (g.starts[token]! <= cueStart) add(token, cue);
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([token, cue]) => ({ token, cue }));
}

/** Folds whitespace-only steps into their neighbour (the previous one, or the next for the first). */
function dropBlankSteps(g: GeneratedText, boundaries: Boundary[], run: PhaseRun): Boundary[] {
  const out: Boundary[] = [];
  for (let k = 0; k < boundaries.length; k++) {
    const b = boundaries[k]!;
    const end = k + 1 < boundaries.length ? boundaries[k + 1]!.token : run.endToken;
    if (!isBlank(g.text, g.starts[b.token]!, g.starts[end]!)) {
      out.push({ ...b });
      continue;
    }
    if (out.length > 0) continue; // the previous step absorbs it
    // A blank first step: the next step starts at the run's start instead.
    const next = boundaries[k + 1];
    if (next) {
      boundaries[k + 1] = { token: b.token, cue: next.cue };
    } else {
      out.push({ ...b });
    }
  }
  return out;
}

/** Joins a step that holds only a delimiter to the step after it. */
function joinDelimiterSteps(g: GeneratedText, boundaries: Boundary[], run: PhaseRun, delimiters: readonly string[]): Boundary[] {
  if (delimiters.length === 0) return boundaries;
  const out: Boundary[] = [];
  for (let k = 0; k < boundaries.length; k++) {
    const b = boundaries[k]!;
    out.push(b);
    const end = k + 1 < boundaries.length ? boundaries[k + 1]!.token : run.endToken;
    const text = g.text.slice(g.starts[b.token]!, g.starts[end]!).trim();
    if (k + 1 < boundaries.length && delimiters.includes(text)) k++; // the next step joins this one
  }
  return out;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

function preview(text: string, start: number, end: number): string {
  const slice = text.slice(start, Math.min(end, start + PREVIEW_CHARS * 2)).replace(/\s+/g, ' ').trim();
  return slice.length > PREVIEW_CHARS ? `${slice.slice(0, PREVIEW_CHARS - 1)}…` : slice;
}
