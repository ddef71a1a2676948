/** Small readers for data that has not been checked yet: rules run on schema-invalid documents too. */

export { arrayAt, dictAt, has, isDict, stringAt, type Dict } from '../model/guards.js';

/** `a`, `b` and `c` — for lists of names in messages. */
export function listWords(words: readonly string[], conjunction = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1] ?? ''}`;
}

/** Identifiers a step, workflow or source name SHOULD match (Arazzo 1.0.1; enforced by 1.1). */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Output, input and component names (Arazzo 1.0.1 §Workflow Object, §Components Object). */
export const NAME_PATTERN = /^[a-zA-Z0-9.\-_]+$/;
