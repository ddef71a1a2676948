/**
 * How README.md says to call `arazzo` from a checkout (issue 20): `npm ci` builds (the `prepare`
 * script) but puts no `arazzo` on the PATH; `npx arazzo …` runs the project's own `bin` (package.json) —
 * from the repository root or any directory under it, with no registry access (`--offline`,
 * and an empty npm cache of its own so nothing cached elsewhere can stand in for the checkout).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from '../_helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

/**
 * The environment of a user's shell: without the `npm_config_*` an enclosing npm (`npm test`,
 * `npm exec -c`) passes down, which would configure the inner npx (e.g. `call`).
 */
function cleanEnv(cache: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_config_')),
  );
  return { ...env, NO_COLOR: '1', npm_config_cache: cache, npm_config_update_notifier: 'false' };
}

function npx(
  args: string[],
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  const cache = mkdtempSync(join(tmpdir(), 'arazzo-npx-cache-'));
  try {
    const run = spawnSync('npx', ['--offline', ...args], {
      cwd,
      env: cleanEnv(cache),
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

test('package.json bin names arazzo, the bundle the CLI tests run', () => {
  assert.equal(join(ROOT, pkg.bin['arazzo'] ?? ''), BIN);
});

test('npx arazzo --help runs the checkout’s own arazzo, offline', () => {
  const run = npx(['arazzo', '--help'], ROOT);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^Usage: arazzo /);
  for (const command of ['run', 'validate', 'describe', 'graph'])
    assert.match(run.stdout, new RegExp(`\\n {2}${command} `));
});

test('npx arazzo works from a directory under the checkout', () => {
  const run = npx(['arazzo', '--version'], join(ROOT, 'test', 'fixtures'));
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), pkg.version);
});

test('README.md says how to call arazzo, right after the fresh-machine commands', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const fresh = readme.indexOf('npm ci && npm run demo');
  const calling = readme.indexOf('npx arazzo');
  assert.ok(fresh > 0 && calling > fresh, 'README.md names npx arazzo after npm ci');
  assert.ok(calling < readme.indexOf('## '), 'before the first section');
  assert.match(readme, /`npm link`/);
});

test('npm ci builds: the prepare script runs the build', () => {
  assert.equal(pkg.scripts['prepare'], 'node scripts/prepare.mjs');
  assert.match(readFileSync(join(ROOT, 'scripts/prepare.mjs'), 'utf8'), /'run', 'build'/);
});

test('without the devDependencies (npm ci --omit=dev) prepare builds nothing, says so, and succeeds', () => {
  // The script where typescript and esbuild do not resolve: a directory without node_modules.
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-prepare-'));
  try {
    copyFileSync(join(ROOT, 'scripts/prepare.mjs'), join(dir, 'prepare.mjs'));
    const run = spawnSync(process.execPath, [join(dir, 'prepare.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stderr,
      'arazzo: not built (typescript and esbuild not installed: devDependencies omitted); run npm ci, then npm run build\n',
    );
    assert.ok(!existsSync(join(dir, 'dist')), 'nothing built');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A reader that stops early closes the pipe (`| head -1`): no EPIPE stack trace, the exit code of
// the command (validate's warnings exit 0).
test('output piped into a reader that stops early ends quietly', () => {
  const result = spawnSync(
    'bash',
    [
      '-c',
      `node ${BIN} validate workflows/resume.yml 2>&1 >/dev/stdout | head -c 1 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  assert.equal(result.stdout.trim(), 'rc=0', result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /EPIPE|at .*\.js:\d+/);
});
