/** `--header 'Name: value'`: a header for every request (below authentication and step parameters). */
import { ArazzoError } from '../errors.js';

/** RFC 9110 §5.1 field name (token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Splits at the first `:`; surrounding whitespace is trimmed (RFC 9110 §5.5 "OWS"). A malformed
 * option may be a pasted credential (`Bearer …`, `Authorization Bearer …`): the error echoes
 * none of it.
 */
export function parseHeaderOption(option: string): readonly [name: string, value: string] {
  const index = option.indexOf(':');
  const name = index < 0 ? '' : option.slice(0, index).trim();
  if (!TOKEN.test(name)) {
    throw new ArazzoError(
      'USAGE',
      index < 0
        ? `--header expects 'Name: value'`
        : `--header: the text before ':' is not a valid header name (RFC 9110 token: letters, digits, !#$%&'*+-.^_\`|~)`,
    );
  }
  const value = option.slice(index + 1).trim();
  if (/[\r\n\0]/.test(value)) {
    throw new ArazzoError('USAGE', `--header ${name}: the value contains a line break or NUL`);
  }
  return [name, value];
}

/** Several `--header` options; a later one replaces an earlier one of the same name (any case). */
export function parseHeaderOptions(options: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const option of options) {
    const [name, value] = parseHeaderOption(option);
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = value;
  }
  return headers;
}
