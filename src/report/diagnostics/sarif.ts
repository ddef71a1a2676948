import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODES } from '../../validate/rules/index.js';
import type { ValidationResult } from '../../validate/diagnostic.js';
import type { FormatOptions } from './types.js';

/**
 * SARIF 2.1.0 for code scanning (GitHub `upload-sarif`): one run, one reporting descriptor per
 * code that occurs, one result per diagnostic with its region and JSON pointer.
 */
export function formatSarif(
  results: readonly ValidationResult[],
  _options: FormatOptions = {},
): string {
  const diagnostics = results.flatMap((r) => r.diagnostics);
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'arazzo validate',
            informationUri: 'https://spec.openapis.org/arazzo/v1.0.1.html',
            rules: codes.map((code) => ({
              id: code,
              name: code,
              shortDescription: { text: code },
              defaultConfiguration: { level: CODES[code] ?? 'error' },
            })),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: d.severity,
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uri(d.file) },
                ...(d.line === undefined
                  ? {}
                  : { region: { startLine: d.line, startColumn: d.column ?? 1 } }),
              },
              logicalLocations: [{ fullyQualifiedName: d.pointer || '/', kind: 'member' }],
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Relative paths stay relative (to the repository root in code scanning), with forward slashes. */
function uri(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  if (isAbsolute(file)) return pathToFileURL(file).href;
  const slashed = file.replaceAll('\\', '/');
  return encodeURI(slashed.startsWith('./') ? slashed.slice(2) : slashed);
}
