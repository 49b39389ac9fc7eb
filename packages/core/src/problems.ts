/**
 * The one shape of an expected failure: `{ ok: false, problems }`, each problem saying what is
 * wrong and where. A document's problems carry their document path
 * (`services[3].calls[0].to`); a failure that no document path names carries the input field
 * it is about (`monitorUrls[0]`, `connectionId`) or `''` for the request as a whole. Built
 * here, by every layer: core's validators, the API's routers and stores, the CLI, and read by
 * the web client. The API turns them into its HTTP answer in one place (apps/api/src/failures.ts).
 */

export interface Problem {
  /** Where, e.g. `services[3].calls[0].to`; empty for the document (or the request) itself. */
  path: string;
  /** What is wrong and, where it helps, how to fix it. */
  message: string;
}

/** An expected failure, returned as a value (throw only for bugs). */
export interface Failure {
  ok: false;
  problems: Problem[];
}

/** One problem at `path` (`''`: the whole document or request). */
export function problem(path: string, message: string): Problem {
  return { path, message };
}

/** A failure of one problem, or of several. */
export function failure(message: string, path?: string): Failure;
export function failure(problems: Problem[]): Failure;
export function failure(what: string | Problem[], path = ''): Failure {
  return { ok: false, problems: typeof what === 'string' ? [{ path, message: what }] : what };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats a zod-style path as `services[3].calls[0].to` (odd keys as `replicas["us-east-1a"]`). */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENT.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** Validation issues (zod's, or any `{path, message}` with a key path) as problems; an issue about the whole input is at `whole`. */
export function issueProblems(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, whole = ''): Problem[] {
  return issues.map((i) => ({ path: formatPath(i.path) || whole, message: i.message }));
}

/** `path: message`, or the message alone where there is no path. */
export function formatProblem(p: Problem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** A failure's problems in one line, for logs, toasts and error messages. */
export function formatProblems(problems: readonly Problem[]): string {
  const [first] = problems;
  if (!first) return 'failed';
  return `${formatProblem(first)}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
}
