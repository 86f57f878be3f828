import { Badge, Button, Card, EmptyState, Group, SegmentedControl, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { IconBox, IconChecks, IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { canRole, lastScope, useCurrentSession, useScopes } from '../../app/session.ts';
import type { Task } from '../../app/types.ts';
import { ErrorAlert, PageHeader, TableSkeleton } from '../../app/ui.tsx';
import { MyIsmsPanel } from '../my-isms/MyIsmsPanel.tsx';
import { TaskDrawer } from './TaskDrawer.tsx';
import { TaskTable } from './TaskTable.tsx';

const PAGE_SIZE = 25;
const statusValues = ['active', 'done', 'cancelled'] as const;

function greeting(t: TFunction<'work'>) {
  const h = new Date().getHours();
  return h < 12 ? t('my.greeting.morning') : h < 18 ? t('my.greeting.afternoon') : t('my.greeting.evening');
}

/** "My work": the user's tasks across every scope, soonest due first. */
export function MyWorkPage() {
  const { t } = useTranslation('work');
  const session = useCurrentSession();
  const statuses = statusValues.map((value) => ({ value, label: t(`my.status.${value}`) }));
  const scopes = useScopes();
  const [params, setParams] = useSearchParams();
  const status = statuses.some((s) => s.value === params.get('status')) ? params.get('status')! : 'active';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [open, setOpen] = useState<Task | null>(null);
  const tasks = useQuery({
    queryKey: ['my-tasks', status, page],
    queryFn: () => api.get<Page<Task>>('/api/me/tasks', { status, page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  const set = (next: { status?: string; page?: number }) => {
    const p = new URLSearchParams(params);
    if (next.status !== undefined) {
      if (next.status === 'active') p.delete('status');
      else p.set('status', next.status);
      p.delete('page');
    }
    if (next.page !== undefined) {
      if (next.page > 1) p.set('page', String(next.page));
      else p.delete('page');
    }
    setParams(p, { replace: true });
  };
  const overdue = tasks.data?.items.filter((t) => t.overdue).length ?? 0;
  const employeeOnly = (scopes.data ?? []).length > 0 && (scopes.data ?? []).every((s) => s.role === 'employee');
  const remembered = scopes.data?.find((s) => s.id === lastScope()) ?? scopes.data?.[0];

  return (
    <>
      <PageHeader
        title={t('my.title')}
        description={
          employeeOnly
            ? t('my.descriptionEmployee', { greeting: greeting(t), name: session.user.name })
            : t('my.description', { greeting: greeting(t), name: session.user.name })
        }
      />
      <MyIsmsPanel />
      <Title order={4} mb="sm">
        {t('my.tasks')}
      </Title>
      <Card withBorder radius="md" p={0}>
        <Group p="md" justify="space-between" wrap="wrap" gap="sm">
          <SegmentedControl value={status} onChange={(v) => set({ status: v })} data={statuses} data-testid="my-work-status" />
          <Group gap="xs">
            {status === 'active' && overdue > 0 && (
              <Badge color="red" variant="light" size="lg" data-testid="overdue-count">
                {t('my.overdue', { count: overdue })}
              </Badge>
            )}
            {tasks.data && (
              <Text size="sm" c="dimmed">
                {t('count', { count: tasks.data.total })}
              </Text>
            )}
          </Group>
        </Group>
        {tasks.error ? (
          <div style={{ padding: 16 }}>
            <ErrorAlert error={tasks.error} />
          </div>
        ) : tasks.isPending ? (
          <TableSkeleton rows={4} />
        ) : tasks.data.total === 0 ? (
          <EmptyState
            py={56}
            px="md"
            icon={status === 'active' ? <IconCircleCheck size={32} /> : <IconChecks size={32} />}
            withIndicatorBackground
            title={
              status === 'active'
                ? employeeOnly
                  ? t('my.empty.noOpen')
                  : t('my.empty.nothingWaiting')
                : status === 'done'
                  ? t('my.empty.noDone')
                  : t('my.empty.noCancelled')
            }
            description={employeeOnly ? t('my.empty.employee') : t('my.empty.description')}
            data-testid="my-work-empty"
          >
            {status === 'active' && remembered && canRole(remembered.role, 'asset:read') && (
              <EmptyState.Actions>
                <Button component={Link} to={`/s/${remembered.id}/assets`} variant="light" leftSection={<IconBox size={16} />}>
                  {t('my.empty.openAssets', { scope: remembered.name })}
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        ) : (
          <TaskTable tasks={tasks.data.items} showScope showAssignee={false} onOpen={setOpen} />
        )}
        {tasks.data && (
          <ListPager total={tasks.data.total} of={tasks.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: p })} size="md" />
        )}
      </Card>
      <TaskDrawer task={open} onClose={() => setOpen(null)} canWrite={false} memberData={[]} />
    </>
  );
}
