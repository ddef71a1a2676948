import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, type CliIo } from './io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

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
    .version(version(), '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
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
    .option('-s, --server <[source=]url>', "replace a source's servers (repeatable)", collect)
    .option('--max-steps <n>', 'step executions allowed, retries and polls included', '1000')
    .option('--timeout <duration>', 'deadline for the whole run (e.g. 5m)')
    .option('--request-timeout <duration>', 'deadline per request', '30s')
    .option(
      '--poll-interval <duration>',
      'wait before repeating an identical request re-entered by goto (0 = off)',
      '1s',
    )
    .option('--json', 'print one JSON result object on stdout and nothing else')
    .option('-v, --verbose', 'print every request and response in full (secrets redacted)')
    .addOption(new Option('--no-color', 'no colour (also when NO_COLOR is set)'))
    .addHelpText(
      'after',
      `
Examples:
  $ arazzo run workflows/resume.yml --server http://127.0.0.1:4010 \\
      --input bearerToken=$TOKEN --input kickoffId=abc --input taskId=research_task \\
      --input humanFeedback='Looks good' --input isApprove=true
  $ arazzo run flow.arazzo.yaml --workflow checkout --inputs inputs.json --json

Exit codes: 0 succeeded, 1 failed, 2 usage error or invalid document/inputs (nothing sent),
130/143 interrupted.`,
    )
    .action(async (file: string, options: Record<string, unknown>) => {
      const { runCommand } = await import('./commands/run.js');
      exitCode = await runCommand(file, options, io, signal);
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
        },
      ) => {
        const { validateCommand } = await import('./commands/validate.js');
        const color = options.color !== false && io.stdoutIsTTY && !io.env['NO_COLOR'];
        exitCode = await validateCommand(files, { ...options, color }, io);
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

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../../package.json') as { version: string }).version;
}
