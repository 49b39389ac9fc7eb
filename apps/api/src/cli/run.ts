/** The `busboard` command line: the commands, run by main.ts (inside a time budget where they compute). */
import { parseArgs, UsageError } from './args.ts';
import { calibrateCommand } from './calibrate.ts';
import { checkCommand } from './check.ts';
import { COMPARE_USAGE, compareCommand, scenariosCommand } from './compare.ts';
import { costCommand } from './cost.ts';
import { EXPORT_BOOLEANS, EXPORT_USAGE, exportCommand } from './export.ts';
import { inspectCommand } from './inspect.ts';
import { recommendCommand } from './recommend.ts';
import { rehearseCommand } from './rehearse.ts';
import { simulateCommand } from './simulate.ts';
import { timelineCommand } from './timeline.ts';

const USAGE = `usage: busboard <command> [options]

commands:
  simulate FILE [--scale X] [--fail-zone ZONE]... [--event-burst N] [--consumer-outage SECONDS] [--json]
      load, utilization and latency of a design (FILE: YAML/JSON, - for stdin, or example:<id>);
      with streams: --event-burst N events at once, or every consumer stopped SECONDS: the lag and its drain time
  simulate FILE --des [--requests N] [--seed S] [--precision P] [--time-budget SECONDS] [--scale X] [--fail-zone ZONE]...
      [--event-burst N] [--consumer-outage SECONDS] [--json]
      the discrete-event cross-check: the same figures with 99 % intervals; stops when every entry P99
      is within ±P (default 0.05), at N requests (default 1,000,000, at most 100,000,000) or after SECONDS
  simulate FILE --method auto [--requests N] [--seed S] [--precision P] [--time-budget SECONDS] [--scale X] [--fail-zone ZONE]... [--json]
      the analytic engine, and where a figure is outside its method's comfort zone a DES run
      (default budget 60 s, 20,000,000 requests): each flagged figure with both values and which to trust
  simulate FILE --sweep [--points N] [--scale X] [--fail-zone ZONE]... [--json]
      goodput, failures and P99 of successes against offered load (traffic × 0 … past the cliff),
      with the design's retries and without them
  recommend FILE [--scale X] [--max-rejection F] [--json]
      replica counts per bundle and zone: fewest that keep ρ ≤ 0.7 and every SLO, surviving a zone failure;
      --max-rejection F: every entry also rejects at most F of its requests (0.01 = 1 %) at that scale
  check FILE [--scale X] [--fail-zone ZONE]... [--zone-failures] [--json]
      exit 1 when any SLO is missed (a CI gate); --zone-failures also checks each zone down
  timeline FILE [--policy NAME | --compare] [--minutes N] [--tolerance F] [--rate-step F] [--json]
      the design over its traffic profiles' day, minute by minute: replicas as the HPAs set them, start
      delays, zone events (timeline[]), P50/P95/P99, minutes over SLO, replica-hours; --policy NAME runs
      autoscalePolicies NAME instead of the bundles' own; --compare runs them all; --rate-step 0.01 rounds
      rates to ±0.5 % so alike minutes share an engine run; minutes are interpolated between rate-grid
      runs within --tolerance (default 0.01; 0: every minute exact); exit 1 if a minute misses an SLO
  timeline FILE --des [--from MIN] [--to MIN] [--replications N] [--seed S] [--policy NAME] [--json]
      the DES with time over minutes [MIN, MIN) of the day (default 0–60): requests queueing through the
      analytic timeline's pods (start delay, warm-up, draining), cold caches, zone events; per minute
      P50/P95/P99 with 99 % intervals beside the analytic P99; exit 1 if a minute misses an SLO
  cost FILE [--preset NAME] [--scale X] [--timeline] [--json]
      cost per month from the design's price book (cost:; absent: aws-us-east-1 list prices): each bundle's
      replicas, NATS servers, priced database shards, JetStream storage, calls and stream bytes crossing
      zones and regions, each line with its formula; --preset aws-us-east-1|gcp-us-central1|azure-eastus
      prices with that preset (the design's own figures still win); --timeline also prices the timeline's replica-hours
${COMPARE_USAGE}
${EXPORT_USAGE}
  inspect (--nats URL [--user U] [--creds FILE] [--token T] [--ca FILE] | --monitor URL[,URL…]) [--design FILE] [--json]
      one poll of a live NATS cluster: servers, routes, gateways, queue groups, services, bundles,
      JetStream streams and consumers (lag, ack pending, redeliveries);
      --design FILE adds every difference from that design (drift)
      (password from --password or NATS_PASSWORD; a system-account user sees every server)
  rehearse FILE [--duration S] [--scale X] [--fail-zone ZONE]... [--dilation K] [--warmup S] [--seed S] [--json]
      runs the design on real nats-server processes (one emulated process per bundle replica)
      and compares what it measured with what the engine predicts (needs nats-server)
  calibrate --prometheus URL FILE [--window S] [--dilation K] [--plane P] [--tolerance T] [--out FILE] [--json]
      the design's figures beside what Prometheus measured (Microbus metrics) and the calibration they
      suggest; --out writes the calibrated design (never over FILE). --import drafts a design instead

options for every command that reads a design:
  --drop-unknown     drop fields the schema does not know (listed on stderr) instead of refusing the design
  --max-seconds N    simulate, recommend, check, timeline, cost, compare and export stop after N seconds (default 300) with exit code 3

exit codes: 0 ok, 1 a check failed, 2 a bad document or bad usage, 3 stopped by --max-seconds
`;

export const BOOLEANS = new Set([
  'json',
  'help',
  'des',
  'sweep',
  'zone-failures',
  'import',
  'drop-unknown',
  'compare',
  'timeline',
  'full',
  ...EXPORT_BOOLEANS,
]);

export { USAGE };

export function run(argv: string[]): number | Promise<number> {
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
      case 'timeline':
        return timelineCommand(args);
      case 'cost':
        return costCommand(args);
      case 'compare':
        return compareCommand(args);
      case 'scenarios':
        return scenariosCommand(args);
      case 'export':
        return exportCommand(args);
      case 'inspect':
        return inspectCommand(args).catch(usageOrThrow);
      case 'rehearse':
        return rehearseCommand(args).catch(usageOrThrow);
      case 'calibrate':
        return calibrateCommand(args).catch(usageOrThrow);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    return usageOrThrow(err);
  }
}

export function usageOrThrow(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`busboard: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  throw err;
}
