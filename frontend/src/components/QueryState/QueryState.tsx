import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorNotice } from '../ErrorNotice/ErrorNotice';
import styles from './QueryState.module.css';

interface Props<T> {
  query: Pick<UseQueryResult<T>, 'data' | 'error' | 'isPending' | 'isError'>;
  /** True when the loaded data has nothing to show. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * The loading, error and empty states every list and detail view needs, in one place. Data
 * already on screen stays visible while a refetch fails; the error shows above it.
 */
export function QueryState<T>({ query, isEmpty, empty = 'Nothing to show.', children }: Props<T>) {
  if (query.isPending) return <div className={styles.loading}>Loading…</div>;
  if (query.data === undefined) return <ErrorNotice error={query.error} title="Could not load" />;
  return (
    <>
      {query.isError && <ErrorNotice error={query.error} title="Refresh failed" />}
      {isEmpty?.(query.data) ? <div className={styles.empty}>{empty}</div> : children(query.data)}
    </>
  );
}
