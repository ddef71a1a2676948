/** Shared by the validate tests: where things are, and a CliIo that records what a command prints. */
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/io.js';
import type { Diagnostic } from '../../src/validate/index.js';

/** The repository root (tests run from dist/test/validate). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = `${ROOT}test/fixtures/validate`;

export interface RecordingIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

export function recordingIo(cwd = FIXTURES): RecordingIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    cwd,
    stdoutIsTTY: false,
    stdinIsTTY: false,
  };
}

/** What fixture expectations compare: code, pointer and line (not the prose). */
export function brief(d: Diagnostic): { code: string; pointer: string; line: number | undefined } {
  return { code: d.code, pointer: d.pointer, line: d.line };
}

export function errors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}
