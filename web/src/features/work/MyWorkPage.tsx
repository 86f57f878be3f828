import { Card, EmptyState, Group, Pagination, SegmentedControl, Skeleton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconChecks } from '@tabler/icons-react';
import { useState } from 'react';
import { api, type Page } from '../../app/api.ts';
import { useSession } from '../../app/session.ts';
import type { Task } from '../../app/types.ts';
import { ErrorAlert, PageHeader } from '../../app/ui.tsx';
import { TaskTable } from './TaskTable.tsx';

const PAGE_SIZE = 25;

/** "My work": the user's tasks across every scope, soonest due first. */
export function MyWorkPage() {
  const session = useSession().data!;
  const [status, setStatus] = useState('active');
  const [page, setPage] = useState(1);
  const tasks = useQuery({
    queryKey: ['my-tasks', status, page],
    queryFn: () => api.get<Page<Task>>('/api/me/tasks', { status, page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  return (
    <>
      <PageHeader
        title="My work"
        description={`Hello ${session.user.name}. These are the tasks assigned to you in every scope, soonest due first; work handed over between ISMS processes lands here.`}
      />
      <Card withBorder radius="md" p={0}>
        <Group p="md">
          <SegmentedControl
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            data={[
              { value: 'active', label: 'Open' },
              { value: 'done', label: 'Done' },
              { value: 'cancelled', label: 'Cancelled' },
            ]}
          />
        </Group>
        <ErrorAlert error={tasks.error} />
        {tasks.isLoading ? (
          <Skeleton h={200} m="md" />
        ) : tasks.data?.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconChecks size={36} />}
            withIndicatorBackground
            title={status === 'active' ? 'Nothing waiting for you' : 'No tasks here'}
            description="When a process hands work to you — a risk to re-assess, a control to implement — it appears here with its due date."
          />
        ) : (
          <TaskTable tasks={tasks.data?.items ?? []} showScope />
        )}
        {tasks.data && tasks.data.total > PAGE_SIZE && (
          <Group justify="center" p="md">
            <Pagination total={Math.ceil(tasks.data.total / PAGE_SIZE)} value={page} onChange={setPage} />
          </Group>
        )}
      </Card>
    </>
  );
}
