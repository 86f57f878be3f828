import { Button, Card, Center, EmptyState, Text } from '@mantine/core';
import { IconMapOff, IconPlugConnectedX } from '@tabler/icons-react';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { createBrowserRouter, isRouteErrorResponse, Link, Navigate, Outlet, useLocation, useParams, useRouteError } from 'react-router';
import type { Permission } from '../../../server/src/auth/roles.ts';
import { AccountPage } from '../features/account/AccountPage.tsx';
import { AdminPage } from '../features/admin/AdminPage.tsx';
import { AssetDetailPage } from '../features/assets/AssetDetailPage.tsx';
import { AssetFormPage } from '../features/assets/AssetFormPage.tsx';
import { AssetListPage } from '../features/assets/AssetListPage.tsx';
import { AuditLogPage } from '../features/audit/AuditLogPage.tsx';
import { InvitePage } from '../features/auth/InvitePage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { ScopeSettingsPage } from '../features/scopes/ScopeSettingsPage.tsx';
import { SetupPage } from '../features/setup/SetupPage.tsx';
import { MyWorkPage } from '../features/work/MyWorkPage.tsx';
import { TasksPage } from '../features/work/TasksPage.tsx';
import { ChangeDetailPage } from '../features/changes/ChangeDetailPage.tsx';
import { ChangeListPage } from '../features/changes/ChangeListPage.tsx';
import { ImprovementPage } from '../features/improvement/ImprovementPage.tsx';
import { NonconformityPage } from '../features/improvement/NonconformityPage.tsx';
import { IncidentDetailPage } from '../features/incidents/IncidentDetailPage.tsx';
import { IncidentListPage } from '../features/incidents/IncidentListPage.tsx';
// -- imports: risks, controls, catalogs, evidence, SoA
import { RiskDetailPage } from '../features/risks/RiskDetailPage.tsx';
import { RiskFormPage } from '../features/risks/RiskFormPage.tsx';
import { RiskHeatmapPage } from '../features/risks/RiskHeatmapPage.tsx';
import { RiskListPage } from '../features/risks/RiskListPage.tsx';
import { RiskMethodPage } from '../features/risks/RiskMethodPage.tsx';
import { ThreatsPage } from '../features/risks/ThreatsPage.tsx';
import { CatalogListPage } from '../features/catalogs/CatalogListPage.tsx';
import { CatalogPage } from '../features/catalogs/CatalogPage.tsx';
import { ControlDetailPage } from '../features/controls/ControlDetailPage.tsx';
import { ControlFormPage } from '../features/controls/ControlFormPage.tsx';
import { ControlListPage } from '../features/controls/ControlListPage.tsx';
import { EvidencePage } from '../features/controls/EvidencePage.tsx';
import { SoaListPage } from '../features/soa/SoaListPage.tsx';
import { SoaPage } from '../features/soa/SoaPage.tsx';
// -- imports: policies, records, competence and awareness
import { CourseDetailPage } from '../features/training/CourseDetailPage.tsx';
import { TrainingPage } from '../features/training/TrainingPage.tsx';
import { RecordsPage } from '../features/records/RecordsPage.tsx';
import { AwarenessDashboardPage } from '../features/training/AwarenessDashboardPage.tsx';
import { ReadPolicyPage } from '../features/my-isms/ReadPolicyPage.tsx';
import { TakeTrainingPage } from '../features/my-isms/TakeTrainingPage.tsx';
import { PolicyDetailPage } from '../features/policies/PolicyDetailPage.tsx';
import { PolicyFormPage } from '../features/policies/PolicyFormPage.tsx';
import { PolicyListPage } from '../features/policies/PolicyListPage.tsx';
import { errorMessage } from './api.ts';
import { canRole, rememberScope, ScopeContext, scopeHome, useCurrentScope, useScopes, useSession, useSetupStatus } from './session.ts';
import { Shell } from './Shell.tsx';
import { FullPageLoader, NoAccess, PageHeader, PageLoader } from './ui.tsx';

/** The process map brings the graph library; it loads when first opened. */
const CockpitPage = lazy(() => import('../features/cockpit/CockpitPage.tsx').then((m) => ({ default: m.CockpitPage })));
const ProcessMapPage = lazy(() => import('../features/processes/ProcessMapPage.tsx').then((m) => ({ default: m.ProcessMapPage })));

function Unreachable({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Card withBorder radius="lg" p="xl" maw={480} w="100%">
        <EmptyState
          icon={<IconPlugConnectedX size={32} />}
          withIndicatorBackground
          title="Praxis cannot be reached"
          description={errorMessage(error)}
        >
          <EmptyState.Actions>
            <Button onClick={retry}>Try again</Button>
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

/** `/s/:scopeId/…`: loads the scope, remembers it as the last one used, and provides it to the pages. */
function ScopeLayout() {
  const { scopeId } = useParams();
  const scopes = useScopes();
  const scope = scopes.data?.find((s) => s.id === scopeId);
  useEffect(() => {
    if (scope) rememberScope(scope.id);
  }, [scope]);
  if (scopes.isPending) return <PageLoader />;
  if (scopes.error) return <NotFound title="Could not load the scope" message={errorMessage(scopes.error)} />;
  if (!scope) return <NotFound title="Scope not found" message="This scope does not exist, or you are not a member of it." />;
  return (
    <ScopeContext value={scope}>
      <Outlet />
    </ScopeContext>
  );
}

function ScopeIndex() {
  return <Navigate to={scopeHome(useCurrentScope())} replace />;
}

/** A page of a scope that needs a permission the role may not have. */
function Gate({ permission, what, children }: { permission: Permission; what: string; children: ReactNode }) {
  const scope = useCurrentScope();
  if (!canRole(scope.role, permission)) {
    return (
      <>
        <PageHeader title="No access" />
        <NoAccess what={what} />
      </>
    );
  }
  return children;
}

function NotFound({
  title = 'Page not found',
  message = 'The address does not lead to a page of Praxis.',
}: {
  title?: string;
  message?: string;
}) {
  return (
    <>
      <PageHeader title={title} />
      <Card withBorder radius="md" p="xl" data-testid="not-found">
        <EmptyState icon={<IconMapOff size={32} />} withIndicatorBackground title={title} description={message}>
          <EmptyState.Actions>
            <Button component={Link} to="/">
              Go to My work
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </>
  );
}

/** Last line of defence: a rendering error shows a calm page instead of a blank screen. */
function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error);
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Card withBorder radius="lg" p="xl" maw={520} w="100%">
        <EmptyState
          title="Something went wrong"
          description="This page could not be shown. Reloading usually helps; your saved work is not affected."
        >
          <Text size="xs" c="dimmed" ta="center" mt="xs" ff="monospace">
            {message}
          </Text>
          <EmptyState.Actions>
            <Button onClick={() => window.location.reload()}>Reload</Button>
            <Button variant="default" component="a" href="/">
              My work
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </Center>
  );
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
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
              {
                path: '/s/:scopeId',
                element: <ScopeLayout />,
                children: [
                  { index: true, element: <ScopeIndex /> },
                  {
                    path: 'assets',
                    element: (
                      <Gate permission="asset:read" what="the asset register">
                        <AssetListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'assets/new',
                    element: (
                      <Gate permission="asset:write" what="editing assets">
                        <AssetFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'assets/:id',
                    element: (
                      <Gate permission="asset:read" what="the asset register">
                        <AssetDetailPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'assets/:id/edit',
                    element: (
                      <Gate permission="asset:write" what="editing assets">
                        <AssetFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'cockpit',
                    element: (
                      <Gate permission="process:read" what="the cockpit">
                        <Suspense fallback={<PageLoader />}>
                          <CockpitPage />
                        </Suspense>
                      </Gate>
                    ),
                  },
                  {
                    path: 'processes',
                    element: (
                      <Gate permission="process:read" what="the process map">
                        <Suspense fallback={<PageLoader />}>
                          <ProcessMapPage />
                        </Suspense>
                      </Gate>
                    ),
                  },
                  {
                    path: 'tasks',
                    element: (
                      <Gate permission="task:read" what="the task list of the scope">
                        <TasksPage />
                      </Gate>
                    ),
                  },
                  // -- routes: risks, controls, catalogs, evidence, SoA
                  {
                    path: 'risks',
                    element: (
                      <Gate permission="risk:read" what="the risk register">
                        <RiskListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'risks/heatmap',
                    element: (
                      <Gate permission="risk:read" what="the risk register">
                        <RiskHeatmapPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'risks/threats',
                    element: (
                      <Gate permission="risk:read" what="the threat catalog">
                        <ThreatsPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'risks/method',
                    element: (
                      <Gate permission="risk:read" what="the risk method">
                        <RiskMethodPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'risks/new',
                    element: (
                      <Gate permission="risk:write" what="editing risks">
                        <RiskFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'risks/:id',
                    element: (
                      <Gate permission="risk:read" what="the risk register">
                        <RiskDetailPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'risks/:id/edit',
                    element: (
                      <Gate permission="risk:write" what="editing risks">
                        <RiskFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'controls',
                    element: (
                      <Gate permission="control:read" what="the control library">
                        <ControlListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'controls/new',
                    element: (
                      <Gate permission="control:write" what="editing controls">
                        <ControlFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'controls/:id',
                    element: (
                      <Gate permission="control:read" what="the control library">
                        <ControlDetailPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'controls/:id/edit',
                    element: (
                      <Gate permission="control:write" what="editing controls">
                        <ControlFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'catalogs',
                    element: (
                      <Gate permission="catalog:read" what="the catalogs">
                        <CatalogListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'catalogs/:id',
                    element: (
                      <Gate permission="catalog:read" what="the catalogs">
                        <CatalogPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'evidence',
                    element: (
                      <Gate permission="evidence:read" what="the evidence register">
                        <EvidencePage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'soa',
                    element: (
                      <Gate permission="soa:read" what="the Statement of Applicability">
                        <SoaListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'soa/:id',
                    element: (
                      <Gate permission="soa:read" what="the Statement of Applicability">
                        <SoaPage />
                      </Gate>
                    ),
                  },
                  // -- routes: policies, records, competence and awareness
                  {
                    path: 'training',
                    element: (
                      <Gate permission="training:read" what="training and competence">
                        <TrainingPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'training/courses/:id',
                    element: (
                      <Gate permission="training:read" what="training and competence">
                        <CourseDetailPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'records',
                    element: (
                      <Gate permission="record:read" what="the records register">
                        <RecordsPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'awareness',
                    element: (
                      <Gate permission="awareness:report" what="the awareness dashboard">
                        <AwarenessDashboardPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'read/:docId/:versionId',
                    element: (
                      <Gate permission="document:acknowledge" what="reading policies">
                        <ReadPolicyPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'my-training/:assignmentId',
                    element: (
                      <Gate permission="training:complete" what="trainings">
                        <TakeTrainingPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'policies',
                    element: (
                      <Gate permission="document:read" what="the policies">
                        <PolicyListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'policies/new',
                    element: (
                      <Gate permission="document:write" what="writing policies">
                        <PolicyFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'policies/:id',
                    element: (
                      <Gate permission="document:read" what="the policies">
                        <PolicyDetailPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'policies/:id/edit',
                    element: (
                      <Gate permission="document:write" what="writing policies">
                        <PolicyFormPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'audit',
                    element: (
                      <Gate permission="audit:read" what="the audit log">
                        <AuditLogPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'incidents',
                    element: (
                      <Gate permission="incident:report" what="incident reports">
                        <IncidentListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'incidents/:id',
                    element: (
                      <Gate permission="incident:report" what="incident reports">
                        <IncidentDetailPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'changes',
                    element: (
                      <Gate permission="change:read" what="ISMS changes">
                        <ChangeListPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'changes/:id',
                    element: (
                      <Gate permission="change:read" what="ISMS changes">
                        <ChangeDetailPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'improvement',
                    element: (
                      <Gate permission="improvement:read" what="improvement">
                        <ImprovementPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'improvement/:id',
                    element: (
                      <Gate permission="improvement:read" what="improvement">
                        <NonconformityPage />
                      </Gate>
                    ),
                  },
                  {
                    path: 'settings',
                    element: (
                      <Gate permission="scope:manage" what="the scope settings">
                        <ScopeSettingsPage />
                      </Gate>
                    ),
                  },
                  { path: '*', element: <NotFound /> },
                ],
              },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
]);
