import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArazzoError, fileLocation } from '../errors.js';
import { specVersionOf, SUPPORTED_VERSIONS_TEXT, type SpecVersion } from './constants.js';
import { readTextFile } from './read-text.js';
import { parseSourceText, type SourceText } from './source-text.js';
import type { ArazzoDocument } from './types.js';

/** An Arazzo document as loaded: its data, where it came from, and its positions. */
export interface LoadedDocument {
  /** The path as given (used in messages). */
  readonly file: string;
  /** Absolute URL (file: or http(s):) that relative source URLs resolve against (§Relative References in URLs). */
  readonly url: string;
  readonly document: ArazzoDocument;
  readonly source: SourceText;
  /** The feature set its `arazzo` field designates (constants.ts). */
  readonly version: SpecVersion;
}

/** Reads and parses an Arazzo document from disk. Throws a one-line `ArazzoError`. */
export async function loadDocument(path: string): Promise<LoadedDocument> {
  const text = await readTextFile(path);
  return parseArazzoText(text, path, pathToFileURL(resolvePath(path)).href);
}

/**
 * Parses Arazzo text. Only the shape the engine cannot work without is checked here; `validate`
 * reports everything else with positions.
 */
export function parseArazzoText(text: string, file: string, url: string): LoadedDocument {
  const { source, data } = parseSourceText(text, file);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ArazzoError(
      'DOCUMENT_INVALID',
      'an Arazzo document must be a mapping at the top level',
      {
        location: fileLocation(file),
      },
    );
  }
  const version = (data as { arazzo?: unknown }).arazzo;
  if (version === undefined) {
    throw new ArazzoError(
      'DOCUMENT_INVALID',
      'not an Arazzo document (no "arazzo" version field)',
      {
        location: fileLocation(file),
      },
    );
  }
  const specVersion = specVersionOf(version);
  if (specVersion === undefined) {
    throw new ArazzoError(
      'UNSUPPORTED_VERSION',
      `arazzo version ${JSON.stringify(version)} is not supported (this runner implements ${SUPPORTED_VERSIONS_TEXT})`,
      { location: { file, pointer: '/arazzo' } },
    );
  }
  return { file, url, document: data as ArazzoDocument, source, version: specVersion };
}
