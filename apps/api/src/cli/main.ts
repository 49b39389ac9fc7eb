/** The `busboard` command line. */
import { parseArgs, UsageError } from './args.ts';
import { checkCommand } from './check.ts';
import { recommendCommand } from './recommend.ts';
import { simulateCommand } from './simulate.ts';

const USAGE = `usage: busboard <command> [options]

commands:
  simulate FILE [--scale X] [--fail-zone ZONE]... [--json]
      load, utilization and latency of a design (FILE: YAML/JSON, - for stdin, or example:<id>)
  recommend FILE [--scale X] [--json]
      replica counts per bundle and zone: fewest that keep ρ ≤ 0.7 and every SLO, surviving a zone failure
  check FILE [--scale X] [--fail-zone ZONE]... [--zone-failures] [--json]
      exit 1 when any SLO is missed (a CI gate); --zone-failures also checks each zone down

exit codes: 0 ok, 1 a check failed, 2 a bad document or bad usage
`;

const BOOLEANS = new Set(['json', 'help', 'des', 'zone-failures']);

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
      case 'recommend':
        return recommendCommand(args);
      case 'check':
        return checkCommand(args);
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
