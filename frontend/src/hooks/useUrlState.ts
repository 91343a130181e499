import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters kept in the query string, so a filtered view can be bookmarked, shared and restored
 * with Back. Values equal to their default are left out of the URL.
 */
export function useUrlState<K extends string>(defaults: Readonly<Record<K, string>>) {
  const [params, setParams] = useSearchParams();
  const values = useMemo(
    () =>
      Object.fromEntries((Object.keys(defaults) as K[]).map((k) => [k, params.get(k) ?? defaults[k]])) as Record<
        K,
        string
      >,
    [params, defaults],
  );
  const update = useCallback(
    (patch: Partial<Record<K, string>>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch) as Array<[K, string | undefined]>) {
            if (v === undefined || v === '' || v === defaults[k]) next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams, defaults],
  );
  return [values, update] as const;
}
