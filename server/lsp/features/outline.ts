/**
 * The outline of a trace document: its steps as document symbols nested under "Thinking" and
 * "Answer" (one container per phase run, so a reopened thinking block gets its own), and a folding
 * range per step and per run.
 */
import type { DocumentSymbol, FoldingRange, SymbolKind } from 'vscode-languageserver';
import type { TraceStep } from '../../../protocol/analysis';
import type { DocumentAnalysis, TraceDocumentModel } from '../traceDocument';

const NAMESPACE: SymbolKind = 3;
const STRING: SymbolKind = 15;
const EVENT: SymbolKind = 24;

const fmt = (n: number) => n.toLocaleString('en-US');

/** Consecutive steps of one phase run. */
interface StepGroup {
  phase: TraceStep['phase'];
  steps: TraceStep[];
}

function groupSteps(steps: readonly TraceStep[]): StepGroup[] {
  const groups: StepGroup[] = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (last && last.phase === step.phase) last.steps.push(step);
    else groups.push({ phase: step.phase, steps: [step] });
  }
  return groups;
}

/** Offsets [start, end) a step covers in the document, trailing whitespace left out. */
function stepOffsets(model: TraceDocumentModel, startToken: number, endToken: number): [number, number] {
  const start = model.layout.tokenSpan(startToken)[0];
  let end = model.layout.tokenSpan(endToken - 1)[1];
  while (end > start + 1 && /\s/.test(model.text[end - 1]!)) end--;
  return [start, Math.max(start, end)];
}

/** Document symbols: containers per phase run, one child per step. */
export function traceDocumentSymbols(model: TraceDocumentModel, analysis: DocumentAnalysis | null): DocumentSymbol[] {
  if (!analysis || model.tokenCount === 0) return [];
  let thinkingGroups = 0;
  return groupSteps(analysis.analysis.steps).map((group) => {
    const first = group.steps[0]!;
    const last = group.steps[group.steps.length - 1]!;
    const children = group.steps.map((step): DocumentSymbol => {
      const [s, e] = stepOffsets(model, step.startToken, step.endToken);
      const [textStart, textEnd] = model.layout.tokenText(step.startToken);
      const selStart = Math.min(Math.max(textStart, s), e);
      const selEnd = Math.min(Math.max(textEnd, selStart), e);
      return {
        name: `Step ${step.index + 1}${step.cue ? ` · ${step.cue}` : ''}`,
        detail: step.preview || `${fmt(step.endToken - step.startToken)} tokens`,
        kind: step.cue ? EVENT : STRING,
        range: model.lines.range(s, e),
        selectionRange: model.lines.range(selStart, selEnd),
      };
    });
    const [s, e] = stepOffsets(model, first.startToken, last.endToken);
    const isThinking = group.phase === 'thinking';
    const name = isThinking ? (thinkingGroups++ === 0 ? 'Thinking' : 'Thinking (reopened)') : 'Answer';
    const tokens = last.endToken - first.startToken;
    return {
      name,
      detail: `${fmt(tokens)} tokens · ${group.steps.length} step${group.steps.length === 1 ? '' : 's'}`,
      kind: NAMESPACE,
      range: model.lines.range(s, e),
      selectionRange: children[0]!.selectionRange,
      children,
    };
  });
}

/** Folding ranges: each phase run, and each step that spans more than one line. */
export function traceFoldingRanges(model: TraceDocumentModel, analysis: DocumentAnalysis | null): FoldingRange[] {
  if (!analysis || model.tokenCount === 0) return [];
  const out: FoldingRange[] = [];
  const push = (startToken: number, endToken: number) => {
    const [s, e] = stepOffsets(model, startToken, endToken);
    const startLine = model.lines.positionAt(s).line;
    const endLine = model.lines.positionAt(e).line;
    if (endLine > startLine) out.push({ startLine, endLine, kind: 'region' });
  };
  for (const group of groupSteps(analysis.analysis.steps)) {
    push(group.steps[0]!.startToken, group.steps[group.steps.length - 1]!.endToken);
    for (const step of group.steps) push(step.startToken, step.endToken);
  }
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  // A run of one step folds the same lines as that step: keep one.
  return out.filter((r, k) => k === 0 || r.startLine !== out[k - 1]!.startLine || r.endLine !== out[k - 1]!.endLine);
}
