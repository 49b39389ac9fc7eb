/**
 * Pre-serialised JSON inside a tRPC answer. A design's document is stored as JSON text; sending
 * it back through tRPC would parse it and serialise it again (≈ 0.2 ms each for a 200-service
 * design, the bulk of a load). Instead a procedure hands tRPC a stand-in whose `toJSON()` is a
 * token, and the HTTP adapter (trpc-adapter.ts) replaces the token in tRPC's answer with the
 * stored text. The client receives exactly the JSON it would otherwise get.
 *
 * The token carries a random per-process nonce and a control character (which JSON always
 * escapes), so no value a client sends can forge one; only tokens issued for this request are
 * replaced.
 */
import { randomBytes } from 'node:crypto';

const NONCE = randomBytes(16).toString('base64url');
let issued = 0;

export class RawJsonSplicer {
  /** Each token as serialised (quoted), with its text. */
  #parts: [string, string][] = [];

  /**
   * A value that serialises as `json` (which must be valid JSON text, e.g. read from the
   * store). Typed as what the text decodes to, which is what tRPC clients infer and receive.
   */
  embed<T>(json: string): T {
    const token = `\u0001raw:${NONCE}:${issued++}`;
    this.#parts.push([JSON.stringify(token), json]);
    return { toJSON: () => token } as unknown as T;
  }

  /** `body` (tRPC's answer) with each token issued here replaced by its JSON text. */
  splice(body: string): string {
    let out = body;
    for (const [quoted, json] of this.#parts) {
      const at = out.indexOf(quoted);
      if (at >= 0) out = out.slice(0, at) + json + out.slice(at + quoted.length);
    }
    return out;
  }
}
