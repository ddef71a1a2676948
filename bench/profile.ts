/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time
 * and the self time per area (our `src/`, each dependency, Node internals, GC, idle).
 * `node dist/bench/profile.js <file.cpuprofile> [top]`; `npm run bench -- --profile` makes one
 * of the runner at K = 10,000 and prints this summary.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: readonly SelfTime[];
  readonly areas: readonly SelfTime[];
  /** Our own functions (dist/src, dist/bench) by total time, callees included. */
  readonly ours: readonly SelfTime[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

/** `src/runtime`, `undici`, `node:internal`, `(garbage collector)`, … */
function areaOf(frame: CallFrame): string {
  const url = shortUrl(frame.url);
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency?.[1] !== undefined) return dependency[1];
  const ours = /^dist\/(src\/[^/]+|bench)\//.exec(url);
  if (ours?.[1] !== undefined) return ours[1];
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

function top(map: Map<string, number>, totalMs: number, count: number): SelfTime[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, share: ms / totalMs }));
}

function nameOf(frame: CallFrame): string {
  const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
  return `${frame.functionName || '(anonymous)'}${where}`;
}

export function summariseProfile(path: string, count = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  const totalByOurs = new Map<string, number>();
  let totalMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] ?? -1;
    const frame = byId.get(id)?.callFrame;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (frame === undefined) continue;
    totalMs += ms;
    const name = nameOf(frame);
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + ms);
    const area = areaOf(frame);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + ms);
    // Total time: each of our functions on the sample's stack counts once (recursion too).
    const seen = new Set<string>();
    for (let at: number | undefined = id, depth = 0; at !== undefined && depth < 10_000; depth++) {
      const caller = byId.get(at)?.callFrame;
      if (caller !== undefined && /^(src|bench)\b/.test(areaOf(caller))) {
        const own = nameOf(caller);
        if (!seen.has(own)) {
          seen.add(own);
          totalByOurs.set(own, (totalByOurs.get(own) ?? 0) + ms);
        }
      }
      at = parent.get(at);
    }
  }
  return {
    totalMs,
    functions: top(selfByFunction, totalMs, count),
    areas: top(selfByArea, totalMs, count),
    ours: top(totalByOurs, totalMs, count),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const row = (entry: SelfTime): string =>
    `  ${entry.ms.toFixed(0).padStart(7)} ms ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`;
  return [
    `total sampled: ${summary.totalMs.toFixed(0)} ms`,
    'self time by area:',
    ...summary.areas.map(row),
    'top functions by self time:',
    ...summary.functions.map(row),
    'our functions by total time (callees included):',
    ...summary.ours.map(row),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node dist/bench/profile.js <file.cpuprofile> [top]\n');
    process.exitCode = 2;
  } else {
    console.log(formatSummary(summariseProfile(file, Number(process.argv[3] ?? 15))));
  }
}
