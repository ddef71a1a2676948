import { resolve } from 'node:path';
import { validateFile, type ValidationResult } from '../../validate/index.js';
import { formatResults, type OutputFormat } from '../../report/diagnostics/index.js';
import { passes } from '../../report/diagnostics/summary.js';
import { EXIT, interrupted, type CliIo } from '../io.js';

export interface ValidateCommandOptions {
  readonly json?: boolean;
  readonly format?: OutputFormat;
  readonly strict?: boolean;
  readonly color?: boolean;
  /** Fetch http(s) source descriptions (default true); `--no-remote` turns it off. */
  readonly remote?: boolean;
  /** `--allow-host`: remote sources on other hosts are refused (a finding, not a fetch). */
  readonly allowHost?: readonly string[];
}

const FORMATS: readonly string[] = ['human', 'json', 'github', 'sarif'];

/** Files validated at the same time (each may load and dereference its OpenAPI sources). */
const CONCURRENCY = 8;

/** Diagnostics that mean the file could not be validated at all. */
const UNREADABLE = new Set(['file-unreadable', 'yaml-syntax']);

/**
 * `arazzo validate <files...>`: validates every file and prints one report for all of them.
 * Exit codes: 0 no errors (warnings allowed; with `--strict` none either), 1 errors found,
 * 2 usage error or a file that cannot be read or parsed.
 */
export async function validateCommand(
  files: string[],
  options: ValidateCommandOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const format = options.json === true ? 'json' : (options.format ?? 'human');
  if (!FORMATS.includes(format)) {
    io.stderr(
      `arazzo validate: unknown format "${String(format)}" (human, json, github or sarif)\n`,
    );
    return EXIT.USAGE;
  }
  if (files.length === 0) {
    io.stderr('arazzo validate: no files given\n');
    return EXIT.USAGE;
  }
  const results: ValidationResult[] = new Array<ValidationResult>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && signal?.aborted !== true) {
      const index = next++;
      const file = files[index] ?? '';
      const absolute = resolve(io.cwd, file);
      const result = await validateFile(absolute, {
        resolveRemote: options.remote !== false,
        offlineHint: true,
        ...(options.allowHost === undefined ? {} : { allowHosts: options.allowHost }),
        ...(signal === undefined ? {} : { signal }),
      });
      // Report the file as the user wrote it.
      const diagnostics = result.diagnostics.map((d) => ({
        ...d,
        file,
        message: d.message.replaceAll(absolute, file),
      }));
      results[index] = { ...result, diagnostics };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  // Interrupted: sources that were being fetched would show up as failures; report nothing.
  if (signal?.aborted === true) return interrupted(io, signal, 'arazzo validate');
  io.stdout(
    formatResults(results, format, {
      strict: options.strict === true,
      color: options.color === true,
    }),
  );
  if (results.some((r) => r.diagnostics.some((d) => UNREADABLE.has(d.code)))) return EXIT.USAGE;
  return passes(results, options.strict === true) ? EXIT.OK : EXIT.FAILED;
}
