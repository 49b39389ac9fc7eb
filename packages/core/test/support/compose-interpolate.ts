/**
 * Docker Compose's interpolation, written from the Compose Specification ("Interpolation"),
 * so tests read an exported compose file as `docker compose` will:
 *
 * - `$VAR` and `${VAR}`: the variable's value, empty when unset (compose warns);
 * - `${VAR:-default}`: default when unset or empty; `${VAR-default}`: when unset;
 * - `${VAR:?err}`: an error when unset or empty; `${VAR?err}`: when unset;
 * - `${VAR:+repl}`: repl when set and not empty; `${VAR+repl}`: when set;
 * - `$$`: a literal `$`; any other `$` (not a name, not `{`) is an invalid template.
 *
 * Names are `[_A-Za-z][_A-Za-z0-9]*`. Defaults and replacements are themselves interpolated
 * (nesting). Every string value of the file is interpolated; keys are not.
 */

export class InvalidTemplate extends Error {}

const NAME = /^[_A-Za-z][_A-Za-z0-9]*/;

export function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i + 2);
      out += braced(text.slice(i + 2, end), env);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (!name) throw new InvalidTemplate(`invalid interpolation format for ${JSON.stringify(text)}: a lone "$" (write "$$")`);
    out += env[name] ?? '';
    i += 1 + name.length;
  }
  return out;
}

/** The index of the `}` closing a `${` whose body starts at `from` (bodies may nest `${…}`). */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '$' && text[j + 1] === '$') {
      j++;
      continue;
    }
    if (text[j] === '$' && text[j + 1] === '{') {
      depth++;
      j++;
    } else if (text[j] === '}' && --depth === 0) return j;
  }
  throw new InvalidTemplate(`invalid interpolation format for ${JSON.stringify(text)}: "\${" is never closed`);
}

function braced(body: string, env: Readonly<Record<string, string>>): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InvalidTemplate(`invalid interpolation format: "\${${body}}" names no variable`);
  const rest = body.slice(name.length);
  const value = env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  if (rest === '') return value ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) throw new InvalidTemplate(`invalid interpolation format: "\${${body}}"`);
  const arg = rest.slice(op.length);
  switch (op) {
    case ':-':
      return nonEmpty ? (value as string) : interpolate(arg, env);
    case '-':
      return set ? (value as string) : interpolate(arg, env);
    case ':?':
      if (!nonEmpty) throw new InvalidTemplate(`required variable ${name} is missing a value: ${arg}`);
      return value as string;
    case '?':
      if (!set) throw new InvalidTemplate(`required variable ${name} is missing a value: ${arg}`);
      return value as string;
    case ':+':
      return nonEmpty ? interpolate(arg, env) : '';
    default:
      return set ? interpolate(arg, env) : '';
  }
}

/** Every string value of a parsed compose file, interpolated (keys kept as they are). */
export function interpolateValues<T>(value: T, env: Readonly<Record<string, string>>): T {
  if (typeof value === 'string') return interpolate(value, env) as T;
  if (Array.isArray(value)) return value.map((v) => interpolateValues(v, env)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateValues(v, env)])) as T;
  return value;
}
