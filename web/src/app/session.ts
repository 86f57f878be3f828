import { useQuery, useQueryClient } from '@tanstack/react-query';
import { rolePermissions, type Permission } from '../../../server/src/auth/roles.ts';
import { ApiError, api, setCsrfToken } from './api.ts';
import type { Scope, SessionResponse } from './types.ts';

export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const s = await api.get<SessionResponse>('/api/auth/session');
        setCsrfToken(s.csrfToken);
        return s;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetSession() {
  const qc = useQueryClient();
  return (s: SessionResponse | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    qc.setQueryData(['session'], s);
    void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'setup' });
  };
}

export function useScopes() {
  const session = useSession();
  return useQuery({ queryKey: ['scopes'], queryFn: () => api.get<Scope[]>('/api/scopes'), enabled: !!session.data });
}

export function useScope(scopeId: string | undefined) {
  return useQuery({ queryKey: ['scope', scopeId], queryFn: () => api.get<Scope>(`/api/scopes/${scopeId}`), enabled: !!scopeId });
}

/** What the current user may do in a scope (mirrors the server's permission map; the server still decides). */
export function useCan(scope: Scope | undefined) {
  return (permission: Permission) => !!scope && rolePermissions[scope.role].has(permission);
}

const LAST_SCOPE = 'praxis.lastScope';
export const rememberScope = (id: string) => localStorage.setItem(LAST_SCOPE, id);
export const lastScope = () => localStorage.getItem(LAST_SCOPE);
