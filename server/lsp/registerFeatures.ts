/**
 * Connects the trace language features (lsp/features) and the analysis request to the LSP
 * connection: open trace documents are tracked, diagnostics published after each change.
 */
import { TextDocuments, type Connection, type ServerCapabilities } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Methods } from '../../protocol/rpc';
import { analyzeTrace } from '../analysis/metrics';
import { createTraceLanguageFeatures, type TraceLanguageFeatures } from './features';
import { TRACE_SEMANTIC_LEGEND } from './features/semanticTokens';
import { toResponseError } from './errors';
import { onRequest } from './rpc';

/** Diagnostics wait this long after the last keystroke. */
const DIAGNOSTICS_DELAY_MS = 150;

export function traceFeatureCapabilities(): ServerCapabilities {
  return {
    hoverProvider: true,
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    codeLensProvider: { resolveProvider: false },
    semanticTokensProvider: { legend: TRACE_SEMANTIC_LEGEND, full: true },
  };
}

export function registerTraceFeatures(connection: Connection): TraceLanguageFeatures {
  const features = createTraceLanguageFeatures();
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, NodeJS.Timeout>();

  const publish = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc || !features.isTraceDocument(doc)) return;
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: features.diagnostics(doc) });
  };
  documents.onDidChangeContent(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.set(document.uri, setTimeout(() => publish(document.uri), DIAGNOSTICS_DELAY_MS));
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    features.forget(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  const traceDoc = (uri: string) => {
    const doc = documents.get(uri);
    return doc && features.isTraceDocument(doc) ? doc : undefined;
  };
  connection.onHover((p) => {
    const doc = traceDoc(p.textDocument.uri);
    return doc ? features.hover(doc, p.position) : null;
  });
  connection.onDocumentSymbol((p) => {
    const doc = traceDoc(p.textDocument.uri);
    return doc ? features.documentSymbols(doc) : [];
  });
  connection.onFoldingRanges((p) => {
    const doc = traceDoc(p.textDocument.uri);
    return doc ? features.foldingRanges(doc) : [];
  });
  connection.onCodeLens((p) => {
    const doc = traceDoc(p.textDocument.uri);
    return doc ? features.codeLenses(doc) : [];
  });
  connection.languages.semanticTokens.on((p) => {
    const doc = traceDoc(p.textDocument.uri);
    return doc ? features.semanticTokens(doc) : { data: [] };
  });
  onRequest(connection, Methods.analyze, async (params) => {
    try {
      return analyzeTrace(params.trace, params.cues ? { cues: params.cues } : {});
    } catch (error) {
      throw toResponseError(error);
    }
  });

  documents.listen(connection);
  return features;
}
