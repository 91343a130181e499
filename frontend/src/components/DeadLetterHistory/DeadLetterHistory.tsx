import { useDeadLetterHistory } from '../../hooks/useDeadLetters';
import { AttemptErrors } from '../AttemptErrors/AttemptErrors';
import { QueryState } from '../QueryState/QueryState';

/** The full error history of a dead-lettered task (GET /dead-letter-queue/{id}/history). */
export function DeadLetterHistory({ taskId }: { taskId: string }) {
  const history = useDeadLetterHistory(taskId);
  return <QueryState query={history}>{(errors) => <AttemptErrors errors={errors} />}</QueryState>;
}
