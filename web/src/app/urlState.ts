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
