// npm's `prepare` script: npm runs it after `npm ci` / `npm install` in a checkout, and when the
// package is installed from git (with its devDependencies, before packing). It builds dist/, so
// that `npx arazzo` works right after `npm ci`, as README.md says. Without the devDependencies
// (`npm ci --omit=dev`) there is nothing to build with: it says so and succeeds, so that such an
// install does not fail on a missing compiler. Plain JavaScript: it runs before anything is built.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const missing = ['typescript', 'esbuild'].filter((name) => {
  try {
    require.resolve(`${name}/package.json`);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  process.stderr.write(
    `arazzo: not built (${missing.join(' and ')} not installed: devDependencies omitted); run npm ci, then npm run build\n`,
  );
  process.exit(0);
}
const npm = process.env.npm_execpath;
const build =
  npm === undefined
    ? spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
    : spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' });
process.exit(build.status ?? 1);
