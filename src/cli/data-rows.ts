import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { CsvError, parse } from 'csv-parse';
import { isRecord } from '../document/guards.js';
import type { JsonSchema } from '../document/types.js';
import { ArazzoError } from '../errors.js';
import { setOwn } from '../runtime/own.js';
import { printable } from '../report/style.js';
import { coerceInput, propertySchema } from './parse-options.js';

/** One row of a `--data` file: its number (records from 1, POSITIONS §14.4) and its inputs. */
export interface DataRow {
  readonly row: number;
  /** The file line the row ends on (a quoted CSV cell may span lines). */
  readonly line: number;
  readonly values: Record<string, unknown>;
}

export type DataFormat = 'csv' | 'jsonl' | 'json';

/** The format of a `--data` file, by its extension; anything else is a usage error. */
export function dataFormat(path: string): DataFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  throw new ArazzoError(
    'USAGE',
    `--data ${printable(path)}: unknown format "${printable(ext)}" (use .csv, .jsonl, .ndjson or .json)`,
  );
}

/**
 * The rows of a `--data` file, one at a time: CSV and JSON Lines are streamed (a 100k-row file
 * is never held whole), a `.json` array is read whole. CSV cells are strings, coerced by the
 * input's schema type exactly as `--input name=value` is; an empty cell is an input not given
 * (POSITIONS §14.4). JSON values keep their JSON type. A malformed file is one USAGE error
 * naming `file:line`.
 */
export function readDataRows(
  path: string,
  shown: string,
  schema: JsonSchema | undefined,
): AsyncGenerator<DataRow> {
  const format = dataFormat(path);
  if (format === 'csv') return csvRows(path, shown, schema);
  if (format === 'jsonl') return jsonLinesRows(path, shown);
  return jsonArrayRows(path, shown);
}

async function* csvRows(
  path: string,
  shown: string,
  schema: JsonSchema | undefined,
): AsyncGenerator<DataRow> {
  // Records as arrays (not `columns: true`): the header is checked here, and a cell is set as
  // an own property, so a column named `__proto__` is an input like any other.
  const parser = createReadStream(path).pipe(
    parse({ bom: true, skip_empty_lines: true, info: true }),
  );
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const chunk of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record, info } = chunk;
      if (header === undefined) {
        header = record.map((name) => name.trim());
        const seen = new Set<string>();
        for (const name of header) {
          if (name === '') throw usage(shown, info.lines, 'a header cell is empty');
          if (seen.has(name))
            throw usage(shown, info.lines, `the column "${printable(name)}" appears twice`);
          seen.add(name);
        }
        continue;
      }
      row += 1;
      const values: Record<string, unknown> = {};
      header.forEach((name, index) => {
        const cell = record[index] ?? '';
        if (cell !== '') setOwn(values, name, coerceInput(cell, propertySchema(schema, name)));
      });
      yield { row, line: info.lines, values };
    }
  } catch (error) {
    throw asUsage(error, shown);
  } finally {
    parser.destroy();
  }
}

async function* jsonLinesRows(path: string, shown: string): AsyncGenerator<DataRow> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let row = 0;
  try {
    for await (const text of lines) {
      line += 1;
      // A byte order mark before the first line is no part of its JSON.
      const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
      if (trimmed === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(trimmed) as unknown;
      } catch (error) {
        throw usage(shown, line, `not JSON: ${(error as Error).message}`);
      }
      if (!isRecord(value))
        throw usage(shown, line, 'expected a JSON object of input names to values');
      row += 1;
      yield { row, line, values: { ...value } };
    }
  } catch (error) {
    throw asUsage(error, shown);
  } finally {
    lines.close();
    input.destroy();
  }
}

async function* jsonArrayRows(path: string, shown: string): AsyncGenerator<DataRow> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw asUsage(error, shown);
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message)?.[1];
    const line = at === undefined ? 1 : lineAt(text, Number(at));
    throw usage(shown, line, `not JSON: ${message}`);
  }
  if (!Array.isArray(data)) throw usage(shown, 1, 'expected a JSON array of objects');
  for (const [index, value] of data.entries()) {
    if (!isRecord(value))
      throw new ArazzoError(
        'USAGE',
        `--data ${printable(shown)}: item ${index + 1} is not an object of input names to values`,
      );
  }
  // Line numbers of array items are not tracked: the record number says which one it is.
  for (const [index, value] of (data as Record<string, unknown>[]).entries())
    yield { row: index + 1, line: 0, values: { ...value } };
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

function usage(shown: string, line: number, reason: string): ArazzoError {
  return new ArazzoError('USAGE', `--data ${printable(shown)}:${line}: ${reason}`);
}

/** A CSV syntax error with its line, or a file that cannot be read, as one USAGE line. */
function asUsage(error: unknown, shown: string): unknown {
  if (error instanceof ArazzoError) return error;
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    return usage(shown, line, printable(error.message.replace(/ at line \d+\b.*$/, '')));
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string')
    return new ArazzoError(
      'USAGE',
      `--data ${printable(shown)}: ${printable((error as Error).message)}`,
    );
  return error;
}
