/**
 * The language features of trace documents as one object of pure functions over documents. The
 * server's connection code calls these from its handlers; nothing here talks to a connection.
 *
 *   const features = createTraceLanguageFeatures({ settings });
 *   connection.onHover((p) => features.hover(documents.get(p.textDocument.uri)!, p.position));
 *
 * Each document is parsed once per version (JSON scanned, text view matched to its trace) and
 * analysed once per version and settings; a hover after that is a binary search.
 */
import type { CodeLens, Diagnostic, DocumentSymbol, FoldingRange, Hover, Position, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { TraceAnalysis } from '../../../protocol/analysis';
import type { AnalysisSettings } from '../../../protocol/analysisExtra';
import type { TraceDocument } from '../../../protocol/trace';
import { resolveSettings } from '../../analysis/metrics';
import {
  TraceDocumentStore,
  traceDocumentKind,
  type DocumentAnalysis,
  type TextViewResolver,
  type TraceDocumentModel,
  type TraceTextDocument,
} from '../traceDocument';
import { traceCodeLenses } from './codeLens';
import { traceDiagnostics } from './diagnostics';
import { traceHover } from './hover';
import { traceDocumentSymbols, traceFoldingRanges } from './outline';
import { TRACE_SEMANTIC_LEGEND, traceSemanticTokens } from './semanticTokens';
import { renderTraceText, type RenderedTrace } from './textView';

/** Options of createTraceLanguageFeatures. */
export interface TraceLanguageFeaturesOptions {
  /** Analysis settings; defaults for every field not given. */
  settings?: Partial<AnalysisSettings>;
  /** Finds the trace of a text view nobody registered (by URI, or the header's Source line). */
  resolveTextView?: TextViewResolver;
}

/** The language features of trace documents; every method is pure over the document it gets. */
export interface TraceLanguageFeatures {
  /** The semantic tokens legend to declare in the server capabilities. */
  readonly semanticTokensLegend: SemanticTokensLegend;
  /** Whether the features apply to `doc` (a *.trace.json file or a trace text view). */
  isTraceDocument(doc: Pick<TraceTextDocument, 'uri' | 'languageId'>): boolean;
  diagnostics(doc: TraceTextDocument): Diagnostic[];
  documentSymbols(doc: TraceTextDocument): DocumentSymbol[];
  foldingRanges(doc: TraceTextDocument): FoldingRange[];
  hover(doc: TraceTextDocument, position: Position): Hover | null;
  codeLenses(doc: TraceTextDocument): CodeLens[];
  semanticTokens(doc: TraceTextDocument): SemanticTokens;
  /** The analysis of the trace in `doc` (for the stepper and custom requests); null if none. */
  analysis(doc: TraceTextDocument): TraceAnalysis | null;
  /** The token at `position` in `doc`, or -1 (for commands invoked at the cursor). */
  tokenAt(doc: TraceTextDocument, position: Position): number;
  /** Renders the text view of a trace; register it with setTextViewTrace under the view's URI. */
  renderTextView(trace: TraceDocument, source?: string): RenderedTrace;
  setTextViewTrace(uri: string, trace: TraceDocument): void;
  clearTextViewTrace(uri: string): void;
  /** Replaces the analysis settings; documents are re-analysed on next use. */
  updateSettings(settings: Partial<AnalysisSettings>): void;
  /** Drops the cached model of a closed document. */
  forget(uri: string): void;
}

/** Creates the trace language features with their own document cache. */
export function createTraceLanguageFeatures(options: TraceLanguageFeaturesOptions = {}): TraceLanguageFeatures {
  const store = new TraceDocumentStore(options.resolveTextView);
  let settings = resolveSettings(options.settings);
  let epoch = 0;

  const withModel = <T>(doc: TraceTextDocument, empty: T, f: (m: TraceDocumentModel, a: DocumentAnalysis | null) => T): T => {
    const model = store.get(doc);
    if (!model) return empty;
    return f(model, model.analysis(settings, epoch));
  };

  return {
    semanticTokensLegend: TRACE_SEMANTIC_LEGEND,
    isTraceDocument: (doc) => traceDocumentKind(doc) !== null,
    diagnostics: (doc) => withModel(doc, [], traceDiagnostics),
    documentSymbols: (doc) => withModel(doc, [], traceDocumentSymbols),
    foldingRanges: (doc) => withModel(doc, [], traceFoldingRanges),
    codeLenses: (doc) => withModel(doc, [], traceCodeLenses),
    semanticTokens: (doc) => withModel(doc, { data: [] }, traceSemanticTokens),
    hover: (doc, position) => withModel(doc, null, (m, a) => traceHover(m, m.lines.offsetAt(position), a)),
    analysis: (doc) => withModel(doc, null, (_m, a) => (a ? a.analysis : null)),
    tokenAt: (doc, position) => {
      const model = store.get(doc);
      return model ? model.layout.tokenAt(model.lines.offsetAt(position)) : -1;
    },
    renderTextView: (trace, source) => renderTraceText(trace, source === undefined ? {} : { source }),
    setTextViewTrace: (uri, trace) => store.setTextViewTrace(uri, trace),
    clearTextViewTrace: (uri) => store.clearTextViewTrace(uri),
    updateSettings: (next) => {
      settings = resolveSettings(next);
      epoch++;
    },
    forget: (uri) => store.forget(uri),
  };
}

export { renderTraceText, type RenderedTrace } from './textView';
export { TRACE_SEMANTIC_LEGEND } from './semanticTokens';
/** What a provider needs of a document. */
export type { TraceTextDocument } from '../traceDocument';
