/**
 * The access token for a server started with BUSBOARD_TOKEN. Asked once when the server
 * answers 401, kept for the browser session (sessionStorage: gone when the tab closes), and
 * sent on every tRPC call. A tiny external store so React can show the prompt.
 */
import { useSyncExternalStore } from 'react';

const TOKEN_KEY = 'busboard.token';
const AUTHOR_KEY = 'busboard.author';

export type TokenPromptState = { open: false } | { open: true; reason: 'missing' | 'rejected' };

let state: TokenPromptState = { open: false };
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  state = { open: false };
  emit();
}

/** The name recorded with each revision (X-Busboard-Author); kept across sessions. */
export function getAuthor(): string | null {
  try {
    return localStorage.getItem(AUTHOR_KEY);
  } catch {
    return null;
  }
}

export function setAuthor(name: string): void {
  if (name.trim()) localStorage.setItem(AUTHOR_KEY, name.trim());
  else localStorage.removeItem(AUTHOR_KEY);
}

/** Headers for every tRPC call. Non-ASCII names travel URI-encoded (headers are Latin-1). */
export function authHeaders(): Record<string, string> {
  // Shows the server this call comes from the app, not from a page on another site (apps/api/src/http/guard.ts).
  const headers: Record<string, string> = { 'x-busboard-request': '1' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const author = getAuthor();
  if (author) headers['x-busboard-author'] = encodeURIComponent(author);
  return headers;
}

/** True for the tRPC client's error when the server refused the token (or there was none). */
export function isUnauthorized(err: unknown): boolean {
  const data = (err as { data?: { code?: string; httpStatus?: number } } | null)?.data;
  return data?.code === 'UNAUTHORIZED' || data?.httpStatus === 401;
}

/** Called for every failed query and mutation: a 401 opens the prompt. */
export function noticeAuthError(err: unknown): void {
  if (!isUnauthorized(err) || state.open) return;
  state = { open: true, reason: getToken() ? 'rejected' : 'missing' };
  emit();
}

export function useTokenPrompt(): TokenPromptState {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => state,
  );
}
