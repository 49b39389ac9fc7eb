import { useEffect, useState } from 'react';
import { useDebounced } from './useDebounced.ts';

/**
 * The state of a table filtered, sorted and paged on the server: any change of filter or sort
 * goes back to the first page; the filter reaches the query debounced.
 */
export function usePagedTable<S extends string>(initialSort: S) {
  const [filter, setFilterText] = useState('');
  const [sort, setSort] = useState<S>(initialSort);
  const [dir, setDir] = useState<'asc' | 'desc'>('asc');
  const [offset, setOffset] = useState(0);
  const debounced = useDebounced(filter);
  return {
    filter,
    /** The filter as the query should see it (debounced; undefined when empty). */
    queryFilter: debounced || undefined,
    sort,
    dir,
    offset,
    setOffset,
    setFilter(text: string) {
      setFilterText(text);
      setOffset(0);
    },
    onSort(s: S, d: 'asc' | 'desc') {
      setSort(s);
      setDir(d);
      setOffset(0);
    },
  };
}

/** A new snapshot arrived (its version changed): ask for the page again. */
export function useRefetchOnVersion(version: number, refetch: () => unknown): void {
  useEffect(() => {
    if (version) void refetch();
  }, [version, refetch]);
}
