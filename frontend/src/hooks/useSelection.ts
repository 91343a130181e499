import { useCallback, useMemo, useState } from 'react';

/** Checkbox selection over a list of ids; ids that leave the list drop out of the selection. */
export function useSelection(visibleIds: readonly string[]) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const selected = useMemo(() => visibleIds.filter((id) => picked.has(id)), [visibleIds, picked]);
  const toggle = useCallback(
    (id: string) =>
      setPicked((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const toggleAll = useCallback(
    () => setPicked(selected.length === visibleIds.length ? new Set() : new Set(visibleIds)),
    [selected.length, visibleIds],
  );
  const clear = useCallback(() => setPicked(new Set()), []);
  return { selected, isSelected: (id: string) => picked.has(id), toggle, toggleAll, clear };
}
