import { ArazzoError, formatError } from '../../errors.js';
import { graphOfView, toDot, toMermaid, workflowView } from '../../report/graph/index.js';
import { EXIT, interrupted, type CliIo } from '../io.js';
import { loadForReport, selectIndexes, skippedNote, workflowModel } from './describe.js';

export type GraphFormat = 'mermaid' | 'dot';

export interface GraphCommandOptions {
  readonly workflow?: string;
  /** `mermaid` (default) or `dot`. */
  readonly format?: string;
  /** `--allow-host`: remote sources on other hosts are not fetched. */
  readonly allowHost?: readonly string[];
  /** Fetch http(s) source descriptions (default true); `--no-remote` turns it off. */
  readonly remote?: boolean;
}

const FORMATS: readonly string[] = ['mermaid', 'dot'];

/**
 * `arazzo graph <file>`: the control flow of a workflow (all of them, one subgraph each, without
 * `--workflow`) as a Mermaid flowchart or Graphviz dot on stdout. A graph needs no operations:
 * when sources do not load it is drawn from the document alone, with a note on stderr.
 * Exit 0; 2 for a usage error or a document that cannot be loaded.
 */
export async function graphCommand(
  file: string,
  options: GraphCommandOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const format = options.format ?? 'mermaid';
  if (!FORMATS.includes(format)) {
    io.stderr(`arazzo graph: unknown format "${format}" (mermaid or dot)\n`);
    return EXIT.USAGE;
  }
  let report;
  let indexes: number[];
  try {
    report = await loadForReport(file, io, options, signal);
    if (signal?.aborted === true) return interrupted(io, signal, 'arazzo graph');
    indexes = selectIndexes(report.scope, options.workflow);
  } catch (error) {
    if (error instanceof ArazzoError) {
      io.stderr(`arazzo graph: ${formatError(error).split('\n', 1)[0] ?? ''}\n`);
      return EXIT.USAGE;
    }
    throw error;
  }
  for (const { name, message } of report.sourceErrors) {
    io.stderr(
      `arazzo graph: source "${name}" not loaded (${message.split('\n', 1)[0] ?? ''}); operations shown as written\n`,
    );
  }
  for (const skipped of report.skippedWithin) io.stderr(`arazzo graph: ${skippedNote(skipped)}\n`);
  const graphs = indexes.map((index) => graphOfView(workflowView(workflowModel(report, index))));
  // No redactor: a graph shows ids, operations and conditions, never input values.
  io.stdout(format === 'dot' ? toDot(graphs) : toMermaid(graphs));
  return EXIT.OK;
}
