/** The `busboard` command line. */
import { parseArgs, UsageError } from './args.ts';
import { EXPORT_USAGE, exportCommand } from './export.ts';
import { simulateCommand } from './simulate.ts';

const USAGE = `usage: busboard <command> [options]

commands:
  simulate FILE [--scale X] [--fail-zone ZONE]... [--json]
      load, utilization and latency of a design (FILE: YAML/JSON, - for stdin, or example:<id>)
${EXPORT_USAGE}

exit codes: 0 ok, 1 a check failed, 2 a bad document or bad usage
`;

const BOOLEANS = new Set(['json', 'help', 'des', 'websocket']);

export function run(argv: string[]): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  try {
    const args = parseArgs(rest, BOOLEANS);
    switch (command) {
      case 'simulate':
        return simulateCommand(args);
      case 'export':
        return exportCommand(args);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`busboard: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = run(process.argv.slice(2));
