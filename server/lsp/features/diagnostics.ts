/**
 * Diagnostics of a trace document: the findings of its analysis (loops, thinking long after the
 * first correct answer, an answer flip after an injected "Wait", a forced cut mid-sentence), or
 * the reason the document holds no usable trace. Source 'thinkscope', codes from
 * TRACE_DIAGNOSTIC_CODES.
 */
import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { DocumentAnalysis, TraceDocumentModel } from '../traceDocument';

const ERROR: DiagnosticSeverity = 1;
const WARNING: DiagnosticSeverity = 2;
const INFORMATION: DiagnosticSeverity = 3;

/** The `source` of every trace diagnostic. */
export const DIAGNOSTIC_SOURCE = 'thinkscope';

/** The diagnostics of a document model, given its analysis (null when it has no trace). */
export function traceDiagnostics(model: TraceDocumentModel, analysis: DocumentAnalysis | null): Diagnostic[] {
  if (model.problem) {
    return [
      {
        range: model.lines.range(model.problem.start, model.problem.end),
        severity: model.problem.code === 'stale-view' ? WARNING : ERROR,
        source: DIAGNOSTIC_SOURCE,
        code: model.problem.code,
        message: model.problem.message,
      },
    ];
  }
  if (!analysis || model.tokenCount === 0) return [];
  return analysis.findings.map((f) => {
    const [start, end] = model.tokenRangeOffsets(f.startToken, Math.min(f.endToken, model.tokenCount));
    const diagnostic: Diagnostic = {
      range: model.lines.range(start, end),
      severity: f.severity === 'warning' ? WARNING : INFORMATION,
      source: DIAGNOSTIC_SOURCE,
      code: f.code,
      message: f.message,
    };
    if (f.related.length > 0) {
      diagnostic.relatedInformation = f.related
        .filter((r) => r.startToken < model.tokenCount)
        .map((r) => {
          const [rs, re] = model.tokenRangeOffsets(r.startToken, Math.min(Math.max(r.endToken, r.startToken + 1), model.tokenCount));
          return { location: { uri: model.uri, range: model.lines.range(rs, re) }, message: r.message };
        });
    }
    return diagnostic;
  });
}
