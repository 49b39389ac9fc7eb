/**
 * Share links: the whole document in the URL (`#/share/<data>`), deflated and base64url
 * encoded with the browser's own CompressionStream, so no server keeps anything.
 */
import type { TopologyInput } from '@busboard/core';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function encodeShare(doc: TopologyInput): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream('deflate-raw')));
}

/** The decoded JSON value; throws with a plain message when the link is damaged. */
export async function decodeShare(data: string): Promise<unknown> {
  try {
    const bytes = await pipe(fromBase64Url(data), new DecompressionStream('deflate-raw'));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('this share link is damaged or incomplete (was it cut short when copied?)');
  }
}

export async function shareUrl(doc: TopologyInput): Promise<string> {
  const { origin, pathname } = window.location;
  return `${origin}${pathname}#/share/${await encodeShare(doc)}`;
}
