import { childPointer } from '../../errors.js';
import { objectsOf } from '../model/objects.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

const TEXT_FIELDS = ['title', 'summary', 'description'] as const;

/**
 * `markdown-script-tag` (warning): descriptions are CommonMark and end up rendered in
 * documentation; a `<script` tag in them is a script injection waiting for a renderer (Spectral
 * `arazzo-no-script-tags-in-markdown`).
 */
export const markdownScriptTag = {
  codes: { 'markdown-script-tag': 'warning' },
  check(ctx) {
    const findings: Finding[] = [];
    for (const object of objectsOf(ctx)) {
      for (const field of TEXT_FIELDS) {
        const text = object.raw[field];
        if (typeof text !== 'string') continue;
        const at = text.toLowerCase().indexOf('<script');
        if (at < 0) continue;
        findings.push({
          code: 'markdown-script-tag',
          message: `${field} contains a <script> tag; rendered documentation would run it`,
          pointer: childPointer(object.pointer, field),
          offset: at,
        });
      }
    }
    return findings;
  },
} satisfies Rule;
