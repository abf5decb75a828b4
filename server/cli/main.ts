/** The `thinkscope` command line: the server's core, for scripted and batch use. */
import { ModelFileError } from '../engine/modelCheck';
import { SettingsError } from '../core/validate';
import { UsageError } from './args';
import { generate, generateUsage } from './commands/generate';
import { makeModel, makeModelUsage } from './commands/makeModel';
import { sweep, sweepUsage } from './commands/sweep';
import { datasetCommands } from './commands/dataset';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  'make-model': { run: makeModel, usage: makeModelUsage },
  generate: { run: generate, usage: generateUsage.split('\n')[0]! },
  sweep: { run: sweep, usage: sweepUsage.split('\n')[0]! },
  ...Object.fromEntries(
    Object.entries(datasetCommands).map(([name, run]) => [name, { run, usage: `thinkscope ${name} … (--help for its options)` }]),
  ),
};

function usage(): string {
  return `Usage:\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}\n\nthinkscope <command> --help for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n${usage()}\n`);
    return 2;
  }
  const full: Record<string, string> = { generate: generateUsage, sweep: sweepUsage, 'make-model': makeModelUsage };
  // Commands without a usage text here answer --help themselves.
  if (rest.includes('--help') && full[name]) {
    process.stdout.write(`${full[name]}\n`);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const parseError = String((error as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS');
    const known =
      parseError || error instanceof UsageError || error instanceof SettingsError || error instanceof ModelFileError;
    process.stderr.write(`thinkscope: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
