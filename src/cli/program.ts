import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../version.js';
import { EXIT, useColor, type CliIo } from './io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const ALLOW_HOST =
  'only send requests to these hosts (repeatable; e.g. api.example.com, *.example.com, 127.0.0.1:8080)';
const DATABASE = 'where durable runs are stored (default: ARAZZO_DATABASE_URL)';
const NO_REMOTE_REPORT =
  'do not fetch http(s) source descriptions (their operations are shown unresolved)';
const SOURCE_HOSTS =
  'only fetch remote source descriptions from these hosts (repeatable; e.g. *.example.com)';

/**
 * The `arazzo` command line. Commands load their modules lazily so `arazzo --help` stays
 * fast. Returns the exit code; never calls `process.exit` (tests run it in-process).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = new Command('arazzo')
    .description('Run and validate Arazzo workflows: API workflows described as data.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo run workflows/resume.yml --server http://127.0.0.1:4010 --input bearerToken=… …
  $ arazzo validate workflows/*.yml
  $ arazzo test tests/ --junit junit.xml --html report.html
  $ arazzo upgrade flow-1.0.arazzo.yaml --write
  $ arazzo describe workflows/resume.yml
  $ arazzo graph workflows/resume.yml --format dot

Run 'arazzo <command> --help' for a command's options.`,
    );

  const run = program
    .command('run')
    .description('Run a workflow of an Arazzo document against the APIs its sources describe.')
    .argument('<file>', 'Arazzo document (YAML or JSON)')
    .option('-w, --workflow <id>', 'workflow to run (default: the only one)')
    .option(
      '-i, --input <name=value>',
      'a workflow input, coerced by its schema type (repeatable)',
      collect,
    )
    .option('--inputs <file>', 'inputs from a JSON or YAML file (--input values win)')
    .option(
      '--data <rows-file>',
      'run once per row of a .csv, .jsonl/.ndjson or .json file (row values over --input ones)',
    )
    .option('--concurrency <n>', 'with --data: rows run at the same time (default 1)');
  withEnvironmentOptions(run)
    .option('--json', 'print one JSON result object on stdout and nothing else')
    .option('-v, --verbose', 'print every request and response in full (secrets redacted)')
    .option(
      '--junit <file>',
      'write a JUnit XML report (a testsuite per workflow, a testcase per step)',
    )
    .option('--har <file>', 'write every exchange to an HTTP Archive (HAR 1.2), secrets redacted')
    .option(
      '--html <file>',
      'write a self-contained HTML report (timeline, graph, exchanges), secrets redacted',
    )
    .option(
      '--durable',
      'checkpoint every step in Postgres: the run survives this process (arazzo runs resume)',
    )
    .option('--database <postgres-url>', DATABASE)
    .addOption(new Option('--no-color', 'no colour (also when NO_COLOR is set)'))
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo run workflows/resume.yml --server http://127.0.0.1:4010 \\
      --input bearerToken=$TOKEN --input kickoffId=abc --input taskId=research_task \\
      --input humanFeedback='Looks good' --input isApprove=true
  $ arazzo run flow.arazzo.yaml --workflow checkout --inputs inputs.json --json
  $ arazzo run flow.arazzo.yaml --data customers.csv --concurrency 10 --junit junit.xml

Exit codes: 0 succeeded, 1 failed, 2 usage error or invalid document/inputs (nothing sent),
130/143 interrupted.`,
    )
    .action(async (file: string, options: Record<string, unknown>) => {
      if (typeof options['data'] === 'string') {
        const { runDataCommand } = await import('./commands/run-data.js');
        exitCode = await runDataCommand(file, { ...options, data: options['data'] }, io, signal);
        return;
      }
      if (options['concurrency'] !== undefined) {
        io.stderr('arazzo: --concurrency is for --data (rows run at the same time)\n');
        exitCode = EXIT.USAGE;
        return;
      }
      const { runCommand } = await import('./commands/run.js');
      exitCode = await runCommand(file, options, io, signal);
    });

  const test = program
    .command('test')
    .description(
      'Run every workflow of the Arazzo documents in these files and folders, as a CI test suite.',
    )
    .argument('<paths...>', 'Arazzo documents, or folders searched for *.arazzo.yaml/yml/json')
    .option(
      '-w, --workflow <glob>',
      'only workflows whose id matches (repeatable; * and ?)',
      collect,
    )
    .option(
      '-i, --input <name=value>',
      'an input for every workflow that declares it, coerced by its schema type (repeatable)',
      collect,
    )
    .option(
      '--inputs <file>',
      'inputs from a JSON or YAML file: an object per workflowId, or one object for all',
    )
    .option(
      '--skip-missing-inputs',
      'a workflow whose required inputs are missing is not run and does not fail the suite',
    )
    .option('--concurrency <n>', 'workflows run at the same time (1 = one after another)', '4');
  withEnvironmentOptions(test)
    .option('--json', 'print one JSON object (summary and a result per workflow) and nothing else')
    .option('--junit <file>', 'write a JUnit XML report (a testsuite per workflow)')
    .option('--html <file>', 'write a self-contained HTML report of every run, secrets redacted')
    .addOption(new Option('--no-color', 'no colour (also when NO_COLOR is set)'))
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo test tests/ --inputs inputs.yaml --junit junit.xml --html report.html
  $ arazzo test flows/ --workflow 'checkout-*' --server http://127.0.0.1:8080

Exit codes: 0 every selected workflow passed, 1 one failed (or was not run for missing inputs,
without --skip-missing-inputs), 2 usage error or no document found, 130/143 interrupted.`,
    )
    .action(async (paths: string[], options: Record<string, unknown>) => {
      const { testCommand } = await import('./commands/test.js');
      exitCode = await testCommand(paths, options, io, signal);
    });

  const runs = program
    .command('runs')
    .description('List the durable runs of a database (arazzo run --durable, arazzo submit).')
    .option('--database <postgres-url>', DATABASE)
    .option('--json', 'print the runs as JSON')
    .option('--limit <n>', 'most recent runs shown', '50')
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo runs --database postgres://arazzo@127.0.0.1/arazzo
  $ arazzo runs show 0b6f…            # its steps so far, and its outputs once it ended
  $ arazzo runs resume 0b6f… --input bearerToken=$TOKEN
  $ arazzo runs cancel 0b6f…`,
    )
    .action(async (options: Record<string, unknown>) => {
      const { listRuns } = await import('./commands/runs.js');
      exitCode = await listRuns(options, io);
    });
  runs
    .command('show')
    .description("A durable run's checkpoints so far, and its result once it ended.")
    .argument('<id>', 'run id')
    .option('--database <postgres-url>', DATABASE)
    .option('--json', 'print the run as JSON')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { showRun } = await import('./commands/runs.js');
      exitCode = await showRun(id, command.optsWithGlobals(), io);
    });
  runs
    .command('cancel')
    .description('Stop a durable run at its next checkpoint.')
    .argument('<id>', 'run id')
    .option('--database <postgres-url>', DATABASE)
    .action(async (id: string, _options: unknown, command: Command) => {
      const { cancelRun } = await import('./commands/runs.js');
      exitCode = await cancelRun(id, command.optsWithGlobals(), io);
    });
  withSecretOptions(
    runs
      .command('resume')
      .description(
        'Continue a durable run whose process died, in this process: no request whose response was stored is sent again.',
      )
      .argument('<id>', 'run id')
      .option('--database <postgres-url>', DATABASE)
      .option('--force', 'resume even when the process that ran it seems alive')
      .option('--json', 'print one JSON result object on stdout and nothing else')
      .addOption(new Option('--no-color', 'no colour (also when NO_COLOR is set)')),
  ).action(async (id: string, _options: unknown, command: Command) => {
    const { resumeRun } = await import('./commands/runs.js');
    // `runs` and its subcommands share --database/--json: commander gives them to the parent.
    exitCode = await resumeRun(id, command.optsWithGlobals(), io, signal);
  });

  const submit = program
    .command('submit')
    .description(
      'Queue a durable run of a workflow for the workers (arazzo worker); prints its id.',
    )
    .argument('<file>', 'Arazzo document (YAML or JSON)')
    .option('-w, --workflow <id>', 'workflow to run (default: the only one)')
    .option(
      '-i, --input <name=value>',
      'a workflow input, coerced by its schema type (repeatable; secret ones are never stored)',
      collect,
    )
    .option('--inputs <file>', 'inputs from a JSON or YAML file (--input values win)')
    .option('--queue <name>', 'the queue', 'arazzo')
    .option('--database <postgres-url>', DATABASE);
  withEnvironmentOptions(submit).action(async (file: string, options: Record<string, unknown>) => {
    const { submitCommand } = await import('./commands/worker.js');
    exitCode = await submitCommand(file, options, io, signal);
  });

  withSecretOptions(
    program
      .command('worker')
      .description('Execute queued durable runs until stopped (SIGINT/SIGTERM); one line per run.')
      .option('--queue <name>', 'the queue', 'arazzo')
      .option('--concurrency <n>', 'runs executed at the same time by this worker', '8')
      .option(
        '--id <name>',
        'who this worker is: a restarted worker continues the runs of its id (default: the host name)',
      )
      .option('--database <postgres-url>', DATABASE),
  )
    .addHelpText(
      'after',
      `
Secret inputs and credentials are never stored with a run: give the worker the ones its runs
need (--input, --auth, ARAZZO_AUTH_<SCHEME>).`,
    )
    .action(async (options: Record<string, unknown>) => {
      const { workerCommand } = await import('./commands/worker.js');
      exitCode = await workerCommand(options, io, signal);
    });

  program
    .command('mcp')
    .description(
      'Serve every workflow of the documents as a typed MCP tool for AI agents (stdio or Streamable HTTP).',
    )
    .argument('<files...>', 'Arazzo documents (YAML or JSON)')
    .option(
      '-i, --input <name=value>',
      'an input fixed for every workflow that declares it, left out of the tool schema (repeatable)',
      collect,
    )
    .option(
      '--http <[host:]port>',
      'serve Streamable HTTP at /mcp instead of stdio (host default 127.0.0.1)',
    )
    .option(
      '--http-token <token>',
      'with --http: require "Authorization: Bearer <token>" on every request (or ARAZZO_MCP_TOKEN)',
    )
    .option(
      '--allow-origin <origin>',
      "with --http: a browser Origin allowed besides the server's own (repeatable)",
      collect,
    )
    .option('-s, --server <[source=]url>', "replace a source's servers (repeatable)", collect)
    .option(
      '--server-var <name=value>',
      'a value for an OpenAPI server variable (repeatable)',
      collect,
    )
    .option(
      '--max-steps <n>',
      'step executions allowed per call, retries and polls included',
      '1000',
    )
    .option('--timeout <duration>', "deadline for each call's run (e.g. 5m)")
    .option('--request-timeout <duration>', 'deadline per request', '30s')
    .option(
      '--poll-interval <duration>',
      'wait before repeating an identical request re-entered by goto (0 = off)',
      '1s',
    )
    .option(
      '--auth <scheme=value>',
      'a credential for a securityScheme of the sources (repeatable); or ARAZZO_AUTH_<SCHEME>',
      collect,
    )
    .option('--auth-file <file>', 'credentials per security scheme from a JSON or YAML file')
    .option('-H, --header <"Name: value">', 'a header for every request (repeatable)', collect)
    .option('--allow-host <pattern>', ALLOW_HOST, collect)
    .option(
      '--durable',
      'run each call as a durable run in Postgres: listed by arazzo runs, resumable after a crash',
    )
    .option('--database <postgres-url>', DATABASE)
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo mcp workflows/resume.yml --server http://127.0.0.1:4010 --input bearerToken=$TOKEN
  $ arazzo mcp flows/*.arazzo.yaml --http 7010 --http-token $MCP_TOKEN

Logs go to stderr; stdout carries the protocol (stdio). Exit codes: 0 client disconnected,
2 usage error or nothing to serve, 130/143 interrupted.`,
    )
    .action(async (files: string[], options: Record<string, unknown>) => {
      const { mcpCommand } = await import('./commands/mcp.js');
      exitCode = await mcpCommand(files, options, io, signal);
    });

  program
    .command('validate')
    .description(
      'Check Arazzo documents: schema, semantics and their OpenAPI sources, with line and column.',
    )
    .argument('<files...>', 'Arazzo documents (YAML or JSON)')
    .option('--json', 'print {"valid", "diagnostics"} as JSON')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['human', 'json', 'github', 'sarif'])
        .default('human'),
    )
    .option('--strict', 'count warnings as errors')
    .option(
      '--no-remote',
      'do not fetch http(s) source descriptions (checks against them are skipped)',
    )
    .option('--allow-host <pattern>', SOURCE_HOSTS, collect)
    .addOption(new Option('--no-color', 'no colour (also when NO_COLOR is set)'))
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo validate workflows/resume.yml
  $ arazzo validate flows/*.arazzo.yaml --format github

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable file.`,
    )
    .action(
      async (
        files: string[],
        options: {
          json?: boolean;
          format?: 'human' | 'json' | 'github' | 'sarif';
          strict?: boolean;
          color?: boolean;
          remote?: boolean;
          allowHost?: string[];
        },
      ) => {
        const { validateCommand } = await import('./commands/validate.js');
        const color = useColor(io, options.color);
        exitCode = await validateCommand(files, { ...options, color }, io, signal);
      },
    );

  program
    .command('upgrade')
    .description(
      'Turn an Arazzo 1.0.x document into a 1.1.0 document that means the same (a diff by default).',
    )
    .argument('<file>', 'Arazzo 1.0 document (YAML or JSON)')
    .option('--write', 'replace the file (atomically) instead of printing a unified diff')
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo upgrade workflows/resume.yml            # a unified diff on stdout
  $ arazzo upgrade workflows/resume.yml --write

Exit codes: 0 upgraded (or already 1.1, nothing written), 2 usage error, unreadable file, or a
construct with no faithful 1.1 spelling (one file:line reason each; nothing written).`,
    )
    .action(async (file: string, options: { write?: boolean }) => {
      const { upgradeCommand } = await import('./commands/upgrade.js');
      exitCode = await upgradeCommand(file, options, io);
    });

  program
    .command('describe')
    .description(
      'Show what a workflow needs and does: inputs, steps and their operations, outputs.',
    )
    .argument('<file>', 'Arazzo document (YAML or JSON)')
    .option('-w, --workflow <id>', 'only this workflow')
    .option('--json', 'print the description as JSON')
    .option('--no-remote', NO_REMOTE_REPORT)
    .option('--allow-host <pattern>', SOURCE_HOSTS, collect)
    .addOption(new Option('--no-color', 'no colour (also when NO_COLOR is set)'))
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo describe workflows/resume.yml
  $ arazzo describe flows.arazzo.yaml --workflow checkout --json`,
    )
    .action(
      async (
        file: string,
        options: {
          workflow?: string;
          json?: boolean;
          color?: boolean;
          remote?: boolean;
          allowHost?: string[];
        },
      ) => {
        const { describeCommand } = await import('./commands/describe.js');
        exitCode = await describeCommand(file, options, io, signal);
      },
    );

  program
    .command('graph')
    .description(
      "Draw a workflow's control flow: steps, goto and retry edges, ends, nested workflows.",
    )
    .argument('<file>', 'Arazzo document (YAML or JSON)')
    .option('-w, --workflow <id>', 'only this workflow (default: all, one subgraph each)')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['mermaid', 'dot'])
        .default('mermaid'),
    )
    .option('--no-remote', NO_REMOTE_REPORT)
    .option('--allow-host <pattern>', SOURCE_HOSTS, collect)
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo graph workflows/resume.yml > resume.mmd
  $ arazzo graph workflows/resume.yml --format dot | dot -Tsvg > resume.svg`,
    )
    .action(
      async (
        file: string,
        options: { workflow?: string; format?: string; remote?: boolean; allowHost?: string[] },
      ) => {
        const { graphCommand } = await import('./commands/graph.js');
        exitCode = await graphCommand(file, options, io, signal);
      },
    );

  try {
    await program.parseAsync(['node', 'arazzo', ...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    throw error;
  }
  return exitCode;
}

/** What a process executing stored durable runs gives them: everything that is never stored. */
function withSecretOptions(command: Command): Command {
  return command
    .option(
      '-i, --input <name=value>',
      'a secret input of the runs (repeatable; the stored runs hold the others)',
      collect,
    )
    .option(
      '--auth <scheme=value>',
      'a credential for a securityScheme of the sources (repeatable); or ARAZZO_AUTH_<SCHEME> in the environment',
      collect,
    )
    .option('--auth-file <file>', 'credentials per security scheme from a JSON or YAML file')
    .option('-H, --header <"Name: value">', 'a header for every request (repeatable)', collect);
}

/** The options of `run` that configure where and how a workflow runs (run-environment.ts). */
function withEnvironmentOptions(command: Command): Command {
  return command
    .option('-s, --server <[source=]url>', "replace a source's servers (repeatable)", collect)
    .option(
      '--server-var <name=value>',
      'a value for an OpenAPI server variable, e.g. crewName=my-crew (repeatable)',
      collect,
    )
    .option('--max-steps <n>', 'step executions allowed, retries and polls included', '1000')
    .option('--timeout <duration>', 'deadline for the whole run (e.g. 5m)')
    .option('--request-timeout <duration>', 'deadline per request', '30s')
    .option(
      '--condition-timeout <duration>',
      'deadline per evaluation of a regex, JSONPath or XPath condition',
      '1s',
    )
    .option(
      '--poll-interval <duration>',
      'wait before repeating an identical request re-entered by goto (0 = off)',
      '1s',
    )
    .option(
      '--auth <scheme=value>',
      'a credential for a securityScheme of the sources (repeatable); or ARAZZO_AUTH_<SCHEME> in the environment',
      collect,
    )
    .option(
      '--auth-file <file>',
      'credentials per security scheme from a JSON or YAML file (keeps them out of argv)',
    )
    .option('-H, --header <"Name: value">', 'a header for every request (repeatable)', collect)
    .option('--allow-host <pattern>', ALLOW_HOST, collect)
    .option(
      '--max-response-size <bytes>',
      'largest response body accepted (e.g. 10MiB, 512KiB)',
      '10MiB',
    )
    .option(
      '--check-responses',
      'warn when a response breaks its OpenAPI description (status, content type, schema)',
    )
    .option('--strict', 'with --check-responses: such a response fails its step');
}
