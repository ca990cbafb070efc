import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Status } from '../api/types';

/** GET /api/status: public, read once. */
export function useServerStatus() {
  return useQuery({ queryKey: ['status'], queryFn: () => api<Status>('/api/status', { token: null }), staleTime: Infinity });
}

/** Link to one workflow's history in the Temporal UI, or undefined when its address is unknown. */
export function workflowUrl(status: Status | undefined, workflowId: string): string | undefined {
  if (!status?.temporal_ui_url) return undefined;
  return `${status.temporal_ui_url}/namespaces/${encodeURIComponent(status.temporal_namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
