import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';

/**
 * Filters kept in the URL query string. `set` merges changes into the current query and goes back to page 1 unless
 * the page itself changes. A write that arrives late (a debounced search) is dropped once the user has left the page.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const set = (changes: Record<string, string | null | undefined>) => {
    if (window.location.pathname !== location.pathname) return;
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  const clear = (keep: string[] = []) => {
    const next = new URLSearchParams();
    for (const k of keep) {
      const v = params.get(k);
      if (v) next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  return { params, set, clear };
}

/**
 * A search box whose text goes to the URL (`?q=…`) once the user pauses typing; the box starts from the URL. Pages that
 * follow back/forward set `search` from the URL themselves.
 */
export function useUrlSearch({ params, set }: Pick<ReturnType<typeof useUrlFilters>, 'params' | 'set'>, key = 'q', wait = 300) {
  const [search, setSearch] = useState(params.get(key) ?? '');
  const [debounced] = useDebouncedValue(search.trim(), wait);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text writes to the URL
  useEffect(() => {
    if ((params.get(key) ?? '') !== debounced) set({ [key]: debounced || null });
  }, [debounced]);
  return { search, setSearch, debounced };
}
