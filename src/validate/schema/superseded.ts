/**
 * Schema findings that a semantic rule reports better, dropped so that one mistake is one
 * diagnostic. Two cases:
 *   - an AsyncAPI step (1.1, `action` given) that names its operation with `operationPath`. The
 *     1.1 schema's asyncapi-step-object has no such field and wants exactly one of operationId
 *     or channelPath, so it reports "unknown field operationPath" and, when neither is there,
 *     "needs exactly one of …"; `async-step-operation-path` (rules/async-step.ts) says what the
 *     step is and what to write instead (POSITIONS §11.9).
 *   - a step that names its target only with Respect's `x-operation` (POSITIONS §12.2): the
 *     runner calls it, so "needs exactly one of operationId, …" is not the news;
 *     `extension-x-operation` (rules/extensions.ts) says it is an extension and not portable.
 */
import { childPointer } from '../../errors.js';
import type { SpecVersion } from '../../document/constants.js';
import type { Finding } from '../types.js';
import { isDict } from '../util.js';

const TARGET_FIELDS = ['operationId', 'operationPath', 'workflowId', 'channelPath'];

export function dropSuperseded(
  findings: readonly Finding[],
  data: unknown,
  version: SpecVersion,
): Finding[] {
  if (!isDict(data) || !Array.isArray(data['workflows'])) return [...findings];
  const dropped = new Set<string>();
  for (const [w, workflow] of data['workflows'].entries()) {
    const steps = isDict(workflow) ? workflow['steps'] : undefined;
    if (!Array.isArray(steps)) continue;
    for (const [s, step] of steps.entries()) {
      if (!isDict(step)) continue;
      const pointer = childPointer(childPointer(childPointer('/workflows', w), 'steps'), s);
      if (
        step['x-operation'] !== undefined &&
        step['action'] === undefined &&
        TARGET_FIELDS.every((field) => step[field] === undefined)
      )
        dropped.add(`${pointer}\nthe step needs exactly one of "operationId"`);
      if (version !== '1.1' || step['workflowId'] !== undefined) continue;
      if (step['action'] === undefined || step['operationPath'] === undefined) continue;
      dropped.add(`${childPointer(pointer, 'operationPath')}\nunknown field "operationPath"`);
      if (step['operationId'] === undefined && step['channelPath'] === undefined)
        dropped.add(`${pointer}\nthe step needs exactly one of "operationId" or "channelPath"`);
    }
  }
  if (dropped.size === 0) return [...findings];
  return findings.filter(
    (finding) =>
      finding.code !== 'schema' ||
      ![...dropped].some((key) => {
        const [pointer, start] = key.split('\n');
        return finding.pointer === pointer && finding.message.startsWith(start ?? '');
      }),
  );
}
