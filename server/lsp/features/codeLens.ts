/**
 * Code lenses on trace documents: "Step from here" and "Fork here" at the start of every step
 * (one pair per line), invoking TRACE_LENS_COMMANDS with { uri, token }.
 */
import type { CodeLens } from 'vscode-languageserver';
import { TRACE_LENS_COMMANDS, type TracePositionArgs } from '../../../protocol/analysisExtra';
import type { DocumentAnalysis, TraceDocumentModel } from '../traceDocument';

/** The code lenses of a document: a pair at each line where a step starts. */
export function traceCodeLenses(model: TraceDocumentModel, analysis: DocumentAnalysis | null): CodeLens[] {
  if (!analysis || model.tokenCount === 0) return [];
  const lenses: CodeLens[] = [];
  let lastLine = -1;
  for (const step of analysis.analysis.steps) {
    const offset = model.layout.tokenText(step.startToken)[0];
    const position = model.lines.positionAt(offset);
    if (position.line === lastLine) continue;
    lastLine = position.line;
    const range = { start: position, end: position };
    const args: TracePositionArgs = { uri: model.uri, token: step.startToken };
    lenses.push(
      { range, command: { title: 'Step from here', command: TRACE_LENS_COMMANDS.stepFromHere, arguments: [args] } },
      { range, command: { title: 'Fork here', command: TRACE_LENS_COMMANDS.forkHere, arguments: [args] } },
    );
  }
  return lenses;
}
