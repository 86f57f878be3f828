import { Button, Card, Center, EmptyState, Text } from '@mantine/core';
import { IconPlugConnectedX, IconRefreshAlert } from '@tabler/icons-react';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, isRouteErrorResponse, Navigate, Outlet, useLocation, useRouteError } from 'react-router';
import { errorMessage } from './api.ts';
import { useSession, useSetupStatus } from './session.ts';
import { FullPageLoader, pageInShell, pageOutsideShell } from './Loaders.tsx';

// Every page loads when first opened (its own chunk), as the feature areas' pages do (features/*/routes.tsx); the first
// page loads the shell and that page only (server/src/shared/web-bundle.test.ts).
const SetupPage = lazy(() => import('../features/setup/SetupPage.tsx').then((m) => ({ default: m.SetupPage })));
const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const InvitePage = lazy(() => import('../features/auth/InvitePage.tsx').then((m) => ({ default: m.InvitePage })));
const MyWorkPage = lazy(() => import('../features/work/MyWorkPage.tsx').then((m) => ({ default: m.MyWorkPage })));
const AccountPage = lazy(() => import('../features/account/AccountPage.tsx').then((m) => ({ default: m.AccountPage })));
const AdminPage = lazy(() => import('../features/admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
// The scope's pages and the not-found page come with the shell, fetched beside it (not after it): the feature areas'
// routes and navigation (features/registry.tsx) are needed inside the shell only.
const shellRoutes = () => import('./ScopePages.tsx');
const Shell = lazy(() => Promise.all([import('./Shell.tsx'), shellRoutes()]).then(([m]) => ({ default: m.Shell })));
const ScopePages = lazy(() => shellRoutes().then((m) => ({ default: m.ScopePages })));
const NotFound = lazy(() => shellRoutes().then((m) => ({ default: m.NotFound })));

/**
 * A chunk that cannot be fetched: the app was updated since this tab loaded it (the old chunk's name is gone) or the
 * network failed. The messages differ by browser; Vite's preloader adds its own.
 */
export function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|importing a module script failed|unable to preload|error loading dynamically imported/i.test(error.message)
  );
}

/** What went wrong, and a way back: a reload (which fetches the current version after an update) and My work. */
function ErrorCard({ error }: { error: unknown }) {
  const { t } = useTranslation('nav');
  const chunk = isChunkLoadError(error);
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error);
  return (
    <Card withBorder radius="lg" p="xl" maw={520} w="100%" data-testid={chunk ? 'page-not-loaded' : 'page-crashed'}>
      <EmptyState
        icon={chunk ? <IconRefreshAlert size={32} /> : undefined}
        withIndicatorBackground={chunk}
        title={chunk ? t('page.notLoaded') : t('page.crashed')}
        description={chunk ? t('page.notLoadedHint') : t('page.crashedHint')}
      >
        {!chunk && (
          <Text size="xs" c="dimmed" ta="center" mt="xs" ff="monospace">
            {message}
          </Text>
        )}
        <EmptyState.Actions>
          <Button onClick={() => window.location.reload()} data-testid="reload">
            {t('page.reload')}
          </Button>
          <Button variant="default" component="a" href="/">
            {t('shell.myWork')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

/** A page that failed inside the shell: the navigation stays. */
function PageError() {
  return (
    <Center py="xl">
      <ErrorCard error={useRouteError()} />
    </Center>
  );
}

function Unreachable({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation('nav');
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Card withBorder radius="lg" p="xl" maw={480} w="100%">
        <EmptyState
          icon={<IconPlugConnectedX size={32} />}
          withIndicatorBackground
          title={t('page.unreachable')}
          description={errorMessage(error)}
        >
          <EmptyState.Actions>
            <Button onClick={retry}>{t('page.retry')}</Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </Center>
  );
}

/** Sends a first visit to setup, and anyone without a session to the login page (remembering where they wanted to go). */
function RequireSession() {
  const location = useLocation();
  const setup = useSetupStatus();
  const session = useSession();
  if (setup.isPending || session.isPending) return <FullPageLoader />;
  if (setup.error || session.error)
    return (
      <Unreachable
        error={setup.error ?? session.error}
        retry={() => {
          void setup.refetch();
          void session.refetch();
        }}
      />
    );
  if (setup.data.needed) return <Navigate to="/setup" replace />;
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** Last line of defence: a rendering error shows a calm page instead of a blank screen. */
function RouteError() {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <ErrorCard error={useRouteError()} />
    </Center>
  );
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: pageOutsideShell(SetupPage) },
      { path: '/login', element: pageOutsideShell(LoginPage) },
      { path: '/invite/:token', element: pageOutsideShell(InvitePage) },
      {
        element: <RequireSession />,
        children: [
          {
            element: pageOutsideShell(Shell),
            children: [
              {
                errorElement: <PageError />,
                children: [
                  { path: '/', element: pageInShell(MyWorkPage) },
                  { path: '/account', element: pageInShell(AccountPage) },
                  { path: '/admin', element: pageInShell(AdminPage) },
                  // every feature area's pages, from the web module registry (app/ScopePages.tsx)
                  { path: '/s/:scopeId/*', element: pageInShell(ScopePages) },
                  { path: '*', element: pageInShell(NotFound) },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
]);
