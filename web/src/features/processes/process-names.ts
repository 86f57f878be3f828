import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { ProcessMap } from '../../app/types.ts';

/**
 * The scope's processes named in the reader's language, as the server words them (`processes:name.<key>` of its
 * catalog) for the process map: the map's own query and key, so a page opened after the map (or the task list, or the
 * measure form) asks nothing more. For pages that name a process by its key (a record's process, an audit's criteria)
 * and for process pickers; never the English model (server/src/isms/process-model.ts).
 */
export function useProcessNames(scopeId: string, enabled = true) {
  const query = useQuery({
    queryKey: ['processes', scopeId],
    queryFn: () => api.get<ProcessMap>(`/api/scopes/${scopeId}/processes`),
    enabled,
  });
  const processes = query.data?.processes ?? [];
  const names = new Map(processes.map((p) => [p.key, p.name]));
  return {
    query,
    /** A process's name; nothing while the names load (never its key, which is English). */
    name: (key: string) => names.get(key) ?? '',
    /** The processes as options of a picker, in the model's order. */
    options: processes.map((p) => ({ value: p.key, label: p.name })),
  };
}
