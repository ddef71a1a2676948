import { childPointer } from '../../errors.js';
import type { Rule } from './rule.js';

/**
 * `source-type-missing` (warning): a source description without `type` is sniffed from its
 * content when loaded; saying `openapi` or `arazzo` documents it (Spectral
 * `arazzo-source-descriptions-type`).
 */
export const sourceTypeMissing = {
  codes: { 'source-type-missing': 'warning' },
  check(ctx) {
    return ctx.model.sources
      .filter((source) => source.type === undefined && source.name !== undefined)
      .map((source) => ({
        code: 'source-type-missing',
        message: `source description "${source.name ?? ''}" has no type (openapi or arazzo); it is guessed from the loaded document`,
        pointer: childPointer(source.pointer, 'name'),
      }));
  },
} satisfies Rule;
