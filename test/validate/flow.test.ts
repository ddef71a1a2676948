/**
 * The flow analysis behind `step-not-run-before` (src/validate/model/flow.ts): it scales to documents of
 * tens of thousands of steps (issue 21, F7: the reachability set per step took a 20,000-step
 * document past 4 GB), and it answers exactly as the reachability definition it replaced — every
 * step may continue with the next, take any goto/retry target of its own or of the workflow's
 * actions (Reusable Objects resolved), and a retry with a stepId comes back — checked on random
 * workflows against that definition computed naively here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseArazzoText } from '../../src/document/load-document.js';
import { validateLoaded } from '../../src/validate/index.js';

const HEADER = {
  arazzo: '1.0.1',
  info: { title: 'flow', version: '1.0.0', description: 'flow analysis' },
  sourceDescriptions: [{ name: 'api', url: './api.openapi.yaml', type: 'openapi' }],
};

async function notRunBefore(document: unknown): Promise<string[]> {
  const loaded = parseArazzoText(JSON.stringify(document), 'flow.json', 'file:///flow.json');
  const result = await validateLoaded(loaded, { resolveSources: false });
  return result.diagnostics
    .filter((d) => d.code === 'step-not-run-before')
    .map((d) => d.pointer)
    .sort();
}

test(
  'a 20,000-step workflow with gotos and a reference to its first step validates',
  { timeout: 300_000 },
  async () => {
    const count = 20_000;
    const steps = Array.from({ length: count }, (_, index) => ({
      stepId: `s${index}`,
      description: 'd',
      operationId: 'list',
      successCriteria: [{ condition: '$statusCode == 200' }],
      outputs: { o: '$statusCode' },
      // Every 10th step but the last loops back 5 steps: cycles all along the workflow.
      ...(index % 10 === 9 && index < count - 1
        ? { onSuccess: [{ name: 'again', type: 'goto', stepId: `s${index - 5}` }] }
        : {}),
      ...(index === count - 1
        ? {
            parameters: [
              { name: 'first', in: 'query', value: '$steps.s0.outputs.o' },
              // s19999 itself: only after it ran, and no goto leads back to it.
              { name: 'self', in: 'query', value: `$steps.s${count - 1}.outputs.o` },
            ],
          }
        : {}),
      // s4 reads s7, which a goto from s9 back to s4 makes possible; s2 reads s3: impossible.
      ...(index === 4
        ? { parameters: [{ name: 'x', in: 'query', value: '$steps.s7.outputs.o' }] }
        : {}),
      ...(index === 2
        ? { parameters: [{ name: 'x', in: 'query', value: '$steps.s3.outputs.o' }] }
        : {}),
    }));
    const started = performance.now();
    const found = await notRunBefore({
      ...HEADER,
      workflows: [{ workflowId: 'long', description: 'd', steps }],
    });
    const elapsed = performance.now() - started;
    assert.deepEqual(found, [
      '/workflows/0/steps/19999/parameters/1/value',
      '/workflows/0/steps/2/parameters/0/value',
    ]);
    // Parsing and every rule included, on a loaded 2-core machine: seconds; the n² analysis took
    // minutes and gigabytes here.
    assert.ok(elapsed < 120_000, `validated in ${Math.round(elapsed)} ms`);
  },
);

// --- The reachability definition, computed naively (n² is fine for 8 steps).

interface Action {
  readonly name: string;
  readonly type: 'goto' | 'retry' | 'end';
  readonly stepId?: string;
}

interface Shape {
  readonly steps: readonly {
    readonly reads: readonly number[];
    readonly criteriaReads: readonly number[];
    readonly onSuccess: readonly (Action | { reference: string })[];
    readonly onFailure: readonly (Action | { reference: string })[];
  }[];
  readonly successActions: readonly (Action | { reference: string })[];
  readonly failureActions: readonly (Action | { reference: string })[];
}

const COMPONENTS: Record<string, Action> = {
  back: { name: 'back', type: 'goto', stepId: 's0' },
  again: { name: 'again', type: 'retry' },
  toLast: { name: 'toLast', type: 'retry', stepId: 's5' },
};

function resolve(action: Action | { reference: string }): Action | undefined {
  if (!('reference' in action)) return action;
  return COMPONENTS[action.reference.split('.').at(-1) ?? ''];
}

function expected(shape: Shape): string[] {
  const count = shape.steps.length;
  const edges = Array.from({ length: count }, () => new Set<number>());
  const indexOf = (id: string | undefined): number | undefined => {
    const index = id === undefined ? Number.NaN : Number(id.slice(1));
    return Number.isInteger(index) && index < count ? index : undefined;
  };
  for (const [from, step] of shape.steps.entries()) {
    if (from + 1 < count) edges[from]?.add(from + 1);
    const all = [
      ...step.onSuccess,
      ...step.onFailure,
      ...shape.successActions,
      ...shape.failureActions,
    ];
    for (const raw of all) {
      const action = resolve(raw);
      const target = indexOf(action?.stepId);
      if (action?.type === 'retry') {
        edges[from]?.add(from);
        if (target !== undefined) {
          edges[from]?.add(target);
          edges[target]?.add(from);
        }
      } else if (action?.type === 'goto' && target !== undefined) edges[from]?.add(target);
    }
  }
  const reach = edges.map((first) => {
    const seen = new Set<number>();
    const queue = [...first];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(edges[next] ?? []));
    }
    return seen;
  });
  const runs = new Set([0, ...(reach[0] ?? [])]);
  const before = (candidate: number, user: number): boolean =>
    runs.has(candidate) && (reach[candidate]?.has(user) ?? false);
  const pointers: string[] = [];
  for (const [user, step] of shape.steps.entries()) {
    for (const [at, read] of step.reads.entries()) {
      if (!before(read, user)) pointers.push(`/workflows/0/steps/${user}/parameters/${at}/value`);
    }
    for (const [at, read] of step.criteriaReads.entries()) {
      if (read !== user && !before(read, user))
        pointers.push(`/workflows/0/steps/${user}/onSuccess/0/criteria/${at}/condition`);
    }
  }
  return pointers.sort();
}

function documentOf(shape: Shape): unknown {
  const count = shape.steps.length;
  return {
    ...HEADER,
    workflows: [
      {
        workflowId: 'w',
        description: 'd',
        ...(shape.successActions.length > 0 ? { successActions: shape.successActions } : {}),
        ...(shape.failureActions.length > 0 ? { failureActions: shape.failureActions } : {}),
        steps: shape.steps.map((step, index) => {
          const onSuccess =
            step.criteriaReads.length === 0
              ? step.onSuccess
              : [
                  {
                    name: 'check',
                    type: 'end',
                    criteria: step.criteriaReads.map((read) => ({
                      condition: `$steps.s${read}.outputs.o == 1`,
                    })),
                  },
                  ...step.onSuccess,
                ];
          return {
            stepId: `s${index}`,
            description: 'd',
            operationId: 'list',
            successCriteria: [{ condition: '$statusCode == 200' }],
            outputs: { o: '$statusCode' },
            ...(step.reads.length > 0
              ? {
                  parameters: step.reads.map((read, at) => ({
                    name: `p${at}`,
                    in: 'query',
                    value: `$steps.s${read % count}.outputs.o`,
                  })),
                }
              : {}),
            ...(onSuccess.length > 0 ? { onSuccess } : {}),
            ...(step.onFailure.length > 0 ? { onFailure: step.onFailure } : {}),
          };
        }),
      },
    ],
    components: { successActions: COMPONENTS, failureActions: COMPONENTS },
  };
}

const shapes = fc.integer({ min: 1, max: 8 }).chain((count) => {
  const stepIndex = fc.nat({ max: count - 1 });
  const action = fc.oneof(
    fc.record({
      name: fc.constant('a'),
      type: fc.constantFrom('goto' as const, 'retry' as const, 'end' as const),
      // Up to s8: sometimes a step that does not exist.
      stepId: fc.nat({ max: count }).map((index) => `s${index}`),
    }),
    fc.record({ name: fc.constant('r'), type: fc.constant('retry' as const) }),
    fc.constantFrom(...Object.keys(COMPONENTS), 'missing').map((name) => ({
      reference: `$components.successActions.${name}`,
    })),
  );
  const actions = fc.array(action, { maxLength: 2 }).map((list) =>
    // Distinct names within one list (action-name-unique is another rule's business).
    list.map((item, at) => ('name' in item ? { ...item, name: `${item.name}${at}` } : item)),
  );
  return fc.record({
    steps: fc.array(
      fc.record({
        reads: fc.array(stepIndex, { maxLength: 2 }),
        criteriaReads: fc.array(stepIndex, { maxLength: 2 }),
        onSuccess: actions,
        onFailure: actions,
      }),
      { minLength: count, maxLength: count },
    ),
    successActions: fc.oneof(fc.constant([]), actions),
    failureActions: fc.oneof(fc.constant([]), actions),
  });
});

test('step-not-run-before matches the reachability definition on random workflows', async () => {
  await fc.assert(
    fc.asyncProperty(shapes, async (shape) => {
      assert.deepEqual(await notRunBefore(documentOf(shape)), expected(shape));
    }),
    { numRuns: 300 },
  );
});
