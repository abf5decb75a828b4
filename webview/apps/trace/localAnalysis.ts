/**
 * A small fallback for the server's analysis: steps are paragraphs and reflection-cue segments,
 * found from the text alone, so the stepper works before (or without) the server's answer. It
 * recomputes only from the start of the last step when tokens are appended.
 */
import type { CueOccurrence, TraceStep } from '../../../protocol/analysis';
import { preview } from '../../shared/format';
import { lastAtOrBefore } from './blocks';
import type { TextSource } from './textSource';

/** Reflection cues that open a step when they start a sentence. */
export const CUE_PATTERN =
  /^(?:But wait|Wait|Hmm+|Alternatively|Hold on|Let me (?:re-?check|double-check|verify|check again))(?![A-Za-z])/;

/** Characters that end a sentence before a cue. */
const SENTENCE_END = new Set(['.', '!', '?', ':', ')', ']', '*', '"']);
/** The first letters of the cues, to skip the pattern for most tokens. */
const CUE_INITIALS = new Set(['B', 'W', 'H', 'A', 'L']);
const PREVIEW_CHARS = 80;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/** The preview of a step: its first characters, whitespace collapsed. */
export function stepPreview(step: TraceStep, text: string): string {
  return preview(text.slice(step.startChar, Math.min(step.endChar, step.startChar + PREVIEW_CHARS * 2)), PREVIEW_CHARS);
}

/** Steps and cue occurrences computed locally from a trace's text (previews left empty). */
export class LocalSegmenter {
  steps: TraceStep[] = [];
  cues: CueOccurrence[] = [];

  /** Recomputes after tokens from `from` on changed; earlier complete steps are kept. */
  update(source: TextSource, from: number): void {
    const { tokens, charStart, text } = source;
    const n = tokens.length;
    // Restart at the start of the step holding `from`, and never after the last step's start
    // (its end, and a cue cut between two tokens, may change as tokens arrive).
    const starts = this.steps.map((s) => s.startToken);
    let restart = Math.min(from, n);
    const holding = lastAtOrBefore(starts, restart);
    if (holding >= 0) restart = starts[holding];
    if (this.steps.length > 0) restart = Math.min(restart, this.steps[this.steps.length - 1].startToken);
    this.steps = this.steps.filter((s) => s.startToken < restart);
    this.cues = this.cues.filter((c) => c.token < restart);
    if (this.steps.length > 0) this.closeStep(this.steps[this.steps.length - 1], restart, source);

    const boundaries: { token: number; cue: string | null }[] = [];
    for (let i = restart; i < n; i++) {
      const token = tokens[i];
      const textStart = charStart[i];
      let first = textStart;
      const tokenEnd = textStart + token.text.length;
      while (first < tokenEnd && isSpace(text.charCodeAt(first))) first++;
      if (i === restart) {
        boundaries.push({ token: i, cue: first < tokenEnd ? this.cueAt(text, first, i) : null });
        continue;
      }
      if (token.phase !== tokens[i - 1].phase) {
        boundaries.push({ token: i, cue: null });
        continue;
      }
      if (first === tokenEnd) continue; // whitespace only: stays with the step before
      let before = textStart - 1;
      while (before >= 0 && isSpace(text.charCodeAt(before))) before--;
      let newlines = 0;
      for (let c = before + 1; c < first; c++) if (text.charCodeAt(c) === 10) newlines++;
      const initial = text[first];
      const cue = CUE_INITIALS.has(initial) && (newlines > 0 || before < 0 || SENTENCE_END.has(text[before]) || token.source === 'injected')
        ? this.cueAt(text, first, i)
        : null;
      // A blank line opens a step, but not inside text the budget forced ("</think>\n\nFinal Answer:").
      if (cue !== null || (newlines >= 2 && token.source === 'model')) boundaries.push({ token: i, cue });
    }
    for (let b = 0; b < boundaries.length; b++) {
      const start = boundaries[b].token;
      const end = b + 1 < boundaries.length ? boundaries[b + 1].token : n;
      const step: TraceStep = {
        index: this.steps.length,
        startToken: start,
        endToken: end,
        startChar: charStart[start],
        endChar: 0,
        phase: tokens[start].phase,
        cue: boundaries[b].cue,
        preview: '',
      };
      this.closeStep(step, end, source);
      this.steps.push(step);
    }
  }

  /** Sets a step's end once its end token is known; its preview is made when first asked for (stepPreview). */
  private closeStep(step: TraceStep, end: number, source: TextSource): void {
    step.endToken = end;
    step.endChar = end < source.charStart.length ? source.charStart[end] : source.text.length;
    step.preview = '';
  }

  /** The cue starting at character `at` (recorded as an occurrence at token `token`), or null. */
  private cueAt(text: string, at: number, token: number): string | null {
    const match = CUE_PATTERN.exec(text.slice(at, at + 32));
    if (!match) return null;
    this.cues.push({ cue: match[0], token, startChar: at });
    return match[0];
  }
}
