import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';
import { AccountPage } from '../features/account/AccountPage.tsx';
import { AdminPage } from '../features/admin/AdminPage.tsx';
import { AssetDetailPage } from '../features/assets/AssetDetailPage.tsx';
import { AssetFormPage } from '../features/assets/AssetFormPage.tsx';
import { AssetListPage } from '../features/assets/AssetListPage.tsx';
import { AuditLogPage } from '../features/audit/AuditLogPage.tsx';
import { InvitePage } from '../features/auth/InvitePage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { ProcessMapPage } from '../features/processes/ProcessMapPage.tsx';
import { ScopeSettingsPage } from '../features/scopes/ScopeSettingsPage.tsx';
import { SetupPage } from '../features/setup/SetupPage.tsx';
import { MyWorkPage } from '../features/work/MyWorkPage.tsx';
import { TasksPage } from '../features/work/TasksPage.tsx';
import { api } from './api.ts';
import { useSession } from './session.ts';
import { Shell } from './Shell.tsx';

const FullPageLoader = () => (
  <Center h="100vh">
    <Loader />
  </Center>
);

/** Sends a first visit to setup, and anyone without a session to the login page (remembering where they wanted to go). */
function RequireSession() {
  const location = useLocation();
  const setup = useQuery({ queryKey: ['setup'], queryFn: () => api.get<{ needed: boolean }>('/api/setup') });
  const session = useSession();
  if (setup.isLoading || session.isLoading) return <FullPageLoader />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  if (!session.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Outlet />;
}

export const router = createBrowserRouter([
  { path: '/setup', element: <SetupPage /> },
  { path: '/login', element: <LoginPage /> },
  { path: '/invite/:token', element: <InvitePage /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Shell />,
        children: [
          { path: '/', element: <MyWorkPage /> },
          { path: '/account', element: <AccountPage /> },
          { path: '/admin', element: <AdminPage /> },
          { path: '/s/:scopeId/assets', element: <AssetListPage /> },
          { path: '/s/:scopeId/assets/new', element: <AssetFormPage /> },
          { path: '/s/:scopeId/assets/:id', element: <AssetDetailPage /> },
          { path: '/s/:scopeId/assets/:id/edit', element: <AssetFormPage /> },
          { path: '/s/:scopeId/processes', element: <ProcessMapPage /> },
          { path: '/s/:scopeId/tasks', element: <TasksPage /> },
          { path: '/s/:scopeId/audit', element: <AuditLogPage /> },
          { path: '/s/:scopeId/settings', element: <ScopeSettingsPage /> },
          { path: '*', element: <Navigate to="/" replace /> },
        ],
      },
    ],
  },
]);
