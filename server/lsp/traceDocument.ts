/**
 * Trace documents as the editor has them: a `*.trace.json` file's text, or the readable text view
 * of a trace (language id "thinkscope-trace"). A model maps token and event indices to offsets in
 * the document and back, and holds the trace's analysis and findings, computed once per document
 * version and analysis settings. Everything here is pure: documents come in as text, traces for
 * text views are handed in by the caller.
 */
import type { TraceDocument } from '../../protocol/trace';
import { ValidationError } from '../../protocol/validation';
import { TRACE_DIAGNOSTIC_CODES, TRACE_TEXT_LANGUAGE_ID, type AnalysisSettings, type TraceDiagnosticCode } from '../../protocol/analysisExtra';
import { analyzeTraceDetailed, type DetailedAnalysis } from '../analysis/metrics';
import { detectFindings, type Finding } from '../analysis/findings';
import { findJsonPathOffset } from '../trace/jsonScan';
import { TraceReadError } from '../trace/errors';
import { parseTraceJson } from '../trace/parse';
import { JsonTraceLayout } from './features/jsonLayout';
import { TextViewLayout, type Span, type TraceLayout } from './features/layout';
import { LineIndex } from './features/lineIndex';
import { renderTraceText, viewSource } from './features/textView';

/** What a provider needs of a document (vscode-languageserver-textdocument's TextDocument fits). */
export interface TraceTextDocument {
  readonly uri: string;
  readonly version: number;
  readonly languageId?: string;
  getText(): string;
}

/** A `.trace.json` file, or the readable text view. */
export type TraceDocumentKind = 'json' | 'text';

/** Why a document shows no trace: offsets [start, end) in its text. */
export interface DocumentProblem {
  code: TraceDiagnosticCode;
  message: string;
  start: number;
  end: number;
}

/** Analysis results of one document version under one settings epoch. */
export interface DocumentAnalysis extends DetailedAnalysis {
  findings: Finding[];
}

/** Which kind of trace document `doc` is, or null when it is not one. */
export function traceDocumentKind(doc: Pick<TraceTextDocument, 'uri' | 'languageId'>): TraceDocumentKind | null {
  const path = doc.uri.replace(/[?#].*$/, '').toLowerCase();
  if (doc.languageId === TRACE_TEXT_LANGUAGE_ID || doc.uri.startsWith(`${TRACE_TEXT_LANGUAGE_ID}:`) || path.endsWith('.thinkscope-trace')) {
    return 'text';
  }
  if (path.endsWith('.trace.json')) return 'json';
  return null;
}

/** Token and event positions inside one document, plus the trace they belong to. */
export class TraceDocumentModel {
  private cached: { epoch: number; value: DocumentAnalysis } | null = null;
  private eventsByToken: Map<number, number[]> | null = null;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly kind: TraceDocumentKind,
    readonly text: string,
    readonly lines: LineIndex,
    /** null when the document does not hold a usable trace (see `problem`). */
    readonly trace: TraceDocument | null,
    readonly problem: DocumentProblem | null,
    readonly layout: TraceLayout,
  ) {}

  get tokenCount(): number {
    return this.layout.tokenCount;
  }

  /** Indices of the events recorded at token `token` (event.at === token). */
  eventsAtToken(token: number): number[] {
    if (!this.trace) return [];
    if (!this.eventsByToken) {
      const map = new Map<number, number[]>();
      this.trace.events.forEach((ev, k) => {
        const list = map.get(ev.at);
        if (list) list.push(k);
        else map.set(ev.at, [k]);
      });
      this.eventsByToken = map;
    }
    return this.eventsByToken.get(token) ?? [];
  }

  /** Document offsets of tokens [start, end): from the first one's text to the last one's. */
  tokenRangeOffsets(start: number, end: number): Span {
    const first = this.layout.tokenText(start);
    const last = this.layout.tokenText(Math.max(start, end - 1));
    return [first[0], Math.max(first[0], last[1])];
  }

  /** The analysis of this version under `settings`; recomputed only when `epoch` changes. */
  analysis(settings: AnalysisSettings, epoch: number): DocumentAnalysis | null {
    if (!this.trace) return null;
    if (this.cached && this.cached.epoch === epoch) return this.cached.value;
    const detailed = analyzeTraceDetailed(this.trace, settings);
    const findings = detectFindings(this.trace, detailed.analysis, detailed.generated, settings);
    const value = { ...detailed, findings };
    this.cached = { epoch, value };
    return value;
  }
}

const NO_LAYOUT = new TextViewLayout(new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0));

/** A model of a document that holds no usable trace, with the reason. */
function problemModel(
  uri: string,
  version: number,
  kind: TraceDocumentKind,
  text: string,
  lines: LineIndex,
  problem: DocumentProblem,
): TraceDocumentModel {
  return new TraceDocumentModel(uri, version, kind, text, lines, null, problem, NO_LAYOUT);
}

// ---------------------------------------------------------------------------------------------
// JSON files

/**
 * Builds the model of a `*.trace.json` document from its text, checked by the trace reader's own
 * rules. Token positions are found on first use (see JsonTraceLayout).
 */
export function parseTraceJsonDocument(uri: string, version: number, text: string): TraceDocumentModel {
  const lines = new LineIndex(text);
  const fail = (message: string, start: number) =>
    problemModel(uri, version, 'json', text, lines, {
      code: TRACE_DIAGNOSTIC_CODES.invalidTrace,
      message,
      start,
      end: Math.min(text.length, start + 1),
    });
  let trace: TraceDocument;
  try {
    trace = parseTraceJson(text, uri);
  } catch (err) {
    if (err instanceof TraceReadError) {
      const at = err.line === undefined ? 0 : lines.offsetAt({ line: err.line - 1, character: (err.column ?? 1) - 1 });
      return fail(`${err.reason.charAt(0).toUpperCase()}${err.reason.slice(1)}.`, at);
    }
    if (err instanceof ValidationError) {
      return fail(`Not a valid ThinkScope trace: ${err.subject} ${err.detail}.`, findJsonPathOffset(text, err.path));
    }
    throw err;
  }
  return new TraceDocumentModel(uri, version, 'json', text, lines, trace, null, new JsonTraceLayout(text, lines, trace));
}

// ---------------------------------------------------------------------------------------------
// Text views

/** Builds the model of a text view; the trace is the one the view was rendered from. */
export function textViewDocument(uri: string, version: number, text: string, trace: TraceDocument | null): TraceDocumentModel {
  const lines = new LineIndex(text);
  const stale = (message: string) =>
    problemModel(uri, version, 'text', text, lines, {
      code: TRACE_DIAGNOSTIC_CODES.staleView,
      message,
      start: 0,
      end: Math.min(text.length, 1),
    });
  if (!trace) return stale('No trace is known for this view: reopen it from its trace file.');
  const source = viewSource(text);
  const rendered = renderTraceText(trace, source === null ? {} : { source });
  if (rendered.text !== text) {
    return stale('This view no longer matches its trace (the view was edited or the trace changed): reopen it from the trace file.');
  }
  const lengths = Int32Array.from(trace.tokens, (t) => t.text.length);
  const eventStart = new Int32Array(trace.events.length).fill(-1);
  const eventEnd = new Int32Array(trace.events.length).fill(-1);
  for (const m of rendered.markers) {
    eventStart[m.event] = m.start;
    eventEnd[m.event] = m.end;
  }
  const layout = new TextViewLayout(rendered.tokenOffsets, lengths, eventStart, eventEnd);
  return new TraceDocumentModel(uri, version, 'text', text, lines, trace, null, layout);
}

// ---------------------------------------------------------------------------------------------
// Store

/** Finds the trace behind a text view that was not registered: by its URI and its header's Source line. */
export type TextViewResolver = (uri: string, source: string | null) => TraceDocument | undefined;

/** Models of open trace documents, one per URI, rebuilt when the version changes. */
export class TraceDocumentStore {
  private readonly models = new Map<string, TraceDocumentModel>();
  private readonly views = new Map<string, TraceDocument>();

  constructor(private readonly resolveView?: TextViewResolver) {}

  /** The model of `doc`, or null when it is not a trace document. */
  get(doc: TraceTextDocument): TraceDocumentModel | null {
    const kind = traceDocumentKind(doc);
    if (kind === null) return null;
    const cached = this.models.get(doc.uri);
    if (cached && cached.version === doc.version && cached.kind === kind) return cached;
    const text = doc.getText();
    let model: TraceDocumentModel;
    if (kind === 'json') model = parseTraceJsonDocument(doc.uri, doc.version, text);
    else {
      const trace = this.views.get(doc.uri) ?? this.resolveView?.(doc.uri, viewSource(text)) ?? null;
      model = textViewDocument(doc.uri, doc.version, text, trace);
    }
    this.models.set(doc.uri, model);
    return model;
  }

  /** Records the trace a text view at `uri` was rendered from. */
  setTextViewTrace(uri: string, trace: TraceDocument): void {
    this.views.set(uri, trace);
    this.models.delete(uri);
  }

  /** Forgets the trace registered for the text view at `uri`. */
  clearTextViewTrace(uri: string): void {
    this.views.delete(uri);
    this.models.delete(uri);
  }

  /** Drops the model of `uri` (the document was closed); a registered view trace stays. */
  forget(uri: string): void {
    this.models.delete(uri);
  }
}
