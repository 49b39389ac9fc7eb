import { useSyncExternalStore } from 'react';

/**
 * Hash routes: `#/` designs, `#/design/<id>`, `#/share/<data>` (a design carried in the link),
 * `#/live`. Hash routing needs no server fallback, and a share link's data never reaches a server.
 */
export type Route = { page: 'designs' } | { page: 'design'; id: string } | { page: 'share'; data: string } | { page: 'live' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const design = /^\/design\/([^/?]+)/.exec(path);
  if (design?.[1]) return { page: 'design', id: decodeURIComponent(design[1]) };
  const share = /^\/share\/([A-Za-z0-9_-]+)/.exec(path);
  if (share?.[1]) return { page: 'share', data: share[1] };
  if (path.startsWith('/live')) return { page: 'live' };
  return { page: 'designs' };
}

function subscribe(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

export function navigate(to: string): void {
  window.location.hash = to;
}
