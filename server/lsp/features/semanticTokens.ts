/**
 * Semantic tokens of trace documents, legend TRACE_SEMANTIC_TOKEN_TYPES: injected and forced text,
 * reflection cues, and the rest of the text by phase (thinking, answer). In a JSON file each
 * token's "text" string is highlighted; in the text view the text itself and the intervention
 * markers. Ranges never span lines (split where the text has newlines).
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import { TRACE_SEMANTIC_TOKEN_TYPES, type TraceSemanticTokenType } from '../../../protocol/analysisExtra';
import type { DocumentAnalysis, TraceDocumentModel } from '../traceDocument';

/** The legend to declare in the server's capabilities. */
export const TRACE_SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TRACE_SEMANTIC_TOKEN_TYPES], tokenModifiers: [] };

const TYPE_INDEX: Record<TraceSemanticTokenType, number> = Object.fromEntries(
  TRACE_SEMANTIC_TOKEN_TYPES.map((t, i) => [t, i]),
) as Record<TraceSemanticTokenType, number>;

/** Tokens that hold (part of) a reflection cue. */
function cueTokens(model: TraceDocumentModel, analysis: DocumentAnalysis | null): Uint8Array {
  const marks = new Uint8Array(model.tokenCount);
  if (!analysis) return marks;
  const starts = analysis.generated.starts;
  for (const cue of analysis.analysis.cues) {
    const end = cue.startChar + cue.cue.length;
    for (let i = cue.token; i < model.tokenCount && starts[i]! < end; i++) marks[i] = 1;
  }
  return marks;
}

/** The semantic tokens of a document (LSP relative encoding). */
export function traceSemanticTokens(model: TraceDocumentModel, analysis: DocumentAnalysis | null): SemanticTokens {
  const trace = model.trace;
  if (!trace) return { data: [] };
  const cues = cueTokens(model, analysis);
  // Spans [start, end, type] in document order, adjacent same-type spans merged.
  const spans: number[] = [];
  const add = (start: number, end: number, type: number) => {
    if (end <= start) return;
    const n = spans.length;
    if (n > 0 && spans[n - 2] === start && spans[n - 1] === type) spans[n - 2] = end;
    else spans.push(start, end, type);
  };
  const markers: [number, number, number][] = [];
  for (let k = 0; model.kind === 'text' && k < trace.events.length; k++) {
    const span = model.layout.eventSpan(k);
    if (!span) continue;
    const kind = trace.events[k]!.kind;
    const type = kind === 'suppressed-end' || kind === 'user-injected' ? TYPE_INDEX.injected : TYPE_INDEX.forced;
    markers.push([span[0], span[1], type]);
  }
  markers.sort((a, b) => a[0] - b[0]);
  let m = 0;
  for (let i = 0; i < model.tokenCount; i++) {
    const [start, end] = model.layout.tokenText(i);
    while (m < markers.length && markers[m]![0] <= start) {
      add(markers[m]![0], markers[m]![1], markers[m]![2]);
      m++;
    }
    const t = trace.tokens[i]!;
    const type =
      t.source === 'injected'
        ? TYPE_INDEX.injected
        : t.source === 'forced'
          ? TYPE_INDEX.forced
          : cues[i]
            ? TYPE_INDEX.cue
            : t.phase === 'thinking'
              ? TYPE_INDEX.thinking
              : TYPE_INDEX.answer;
    add(start, end, type);
  }
  for (; m < markers.length; m++) add(markers[m]![0], markers[m]![1], markers[m]![2]);
  return { data: encode(model, spans) };
}

/** LSP encoding: [deltaLine, deltaStart, length, type, modifiers] per single-line piece. */
function encode(model: TraceDocumentModel, spans: readonly number[]): number[] {
  const data: number[] = [];
  const text = model.text;
  let prevLine = 0;
  let prevChar = 0;
  const emit = (start: number, end: number, type: number) => {
    if (end <= start) return;
    const pos = model.lines.positionAt(start);
    data.push(pos.line - prevLine, pos.line === prevLine ? pos.character - prevChar : pos.character, end - start, type, 0);
    prevLine = pos.line;
    prevChar = pos.character;
  };
  for (let k = 0; k < spans.length; k += 3) {
    const start = spans[k]!;
    const end = spans[k + 1]!;
    const type = spans[k + 2]!;
    let from = start;
    for (let nl = text.indexOf('\n', from); nl >= 0 && nl < end; nl = text.indexOf('\n', from)) {
      emit(from, nl > from && text[nl - 1] === '\r' ? nl - 1 : nl, type);
      from = nl + 1;
    }
    emit(from, end, type);
  }
  return data;
}
