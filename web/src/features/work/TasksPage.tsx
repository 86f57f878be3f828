import { Button, Card, EmptyState, Group, Modal, Pagination, Select, Skeleton, Stack, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconChecklist, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, api, type Page } from '../../app/api.ts';
import { useCan, useScope } from '../../app/session.ts';
import type { Member, ProcessMap, Task } from '../../app/types.ts';
import { ErrorAlert, notifySuccess, PageHeader } from '../../app/ui.tsx';
import { TaskTable } from './TaskTable.tsx';

const PAGE_SIZE = 25;

export function TasksPage() {
  const { scopeId } = useParams();
  const qc = useQueryClient();
  const can = useCan(useScope(scopeId).data);
  const [status, setStatus] = useState<string>('active');
  const [processKey, setProcessKey] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 250);
  const [page, setPage] = useState(1);
  const [opened, { open, close }] = useDisclosure(false);
  const query = { status, processKey, assigneeId, q: debouncedQ, page, pageSize: PAGE_SIZE };
  const tasks = useQuery({
    queryKey: ['tasks', scopeId, query],
    queryFn: () => api.get<Page<Task>>(`/api/scopes/${scopeId}/tasks`, query),
    placeholderData: (p) => p,
  });
  const processes = useQuery({
    queryKey: ['processes', scopeId],
    queryFn: () => api.get<ProcessMap>(`/api/scopes/${scopeId}/processes`),
    enabled: can('process:read'),
  });
  const members = useQuery({
    queryKey: ['members', scopeId],
    queryFn: () => api.get<Member[]>(`/api/scopes/${scopeId}/members`),
    enabled: can('member:read'),
  });
  const processData = (processes.data?.processes ?? []).map((p) => ({ value: p.key, label: p.name }));
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));

  const form = useForm({
    initialValues: { title: '', description: '', processKey: '', assigneeId: null as string | null, dueOn: null as string | null },
    validate: {
      title: (v) => (v.trim() ? null : 'title is required'),
      processKey: (v) => (v ? null : 'Choose the process this task belongs to'),
    },
  });
  const create = form.onSubmit(async (v) => {
    try {
      const t = await api.post<Task>(`/api/scopes/${scopeId}/tasks`, v);
      notifySuccess(`${t.reference} created`);
      form.reset();
      close();
      void qc.invalidateQueries({ queryKey: ['tasks'] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
    } catch (e) {
      if (e instanceof ApiError && e.formField) form.setFieldError(e.formField, e.message.replace(/^[\w.]+: /, ''));
      else form.setFieldError('title', e instanceof Error ? e.message : 'Not saved');
    }
  });

  return (
    <>
      <PageHeader
        title="Tasks"
        description="Work items of this scope: created by people or handed over between ISMS processes."
        actions={
          can('task:write') && (
            <Button leftSection={<IconPlus size={16} />} onClick={open}>
              New task
            </Button>
          )
        }
      />
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm">
          <TextInput
            placeholder="Search tasks"
            leftSection={<IconSearch size={16} />}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={220}
          />
          <Select
            w={150}
            value={status}
            allowDeselect={false}
            onChange={(v) => {
              setStatus(v ?? 'active');
              setPage(1);
            }}
            data={[
              { value: 'active', label: 'Open' },
              { value: 'in_progress', label: 'In progress' },
              { value: 'done', label: 'Done' },
              { value: 'cancelled', label: 'Cancelled' },
            ]}
            aria-label="Status"
          />
          {can('process:read') && (
            <Select
              w={240}
              placeholder="Any process"
              clearable
              value={processKey}
              onChange={(v) => {
                setProcessKey(v);
                setPage(1);
              }}
              data={processData}
              aria-label="Process"
            />
          )}
          {can('task:read') && (
            <Select
              w={200}
              placeholder="Anyone"
              clearable
              searchable
              value={assigneeId}
              onChange={(v) => {
                setAssigneeId(v);
                setPage(1);
              }}
              data={memberData}
              aria-label="Assignee"
            />
          )}
        </Group>
        <ErrorAlert error={tasks.error} />
        {tasks.isLoading ? (
          <Skeleton h={200} m="md" />
        ) : tasks.data?.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconChecklist size={36} />}
            withIndicatorBackground
            title="No tasks"
            description="No task matches these filters."
          />
        ) : (
          <TaskTable tasks={tasks.data?.items ?? []} />
        )}
        {tasks.data && tasks.data.total > PAGE_SIZE && (
          <Group justify="center" p="md">
            <Pagination total={Math.ceil(tasks.data.total / PAGE_SIZE)} value={page} onChange={setPage} />
          </Group>
        )}
      </Card>
      <Modal opened={opened} onClose={close} title="New task" size="lg">
        <form onSubmit={create} noValidate>
          <Stack>
            <TextInput label="Title" withAsterisk {...form.getInputProps('title')} />
            <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
            <Select label="Process" withAsterisk searchable data={processData} {...form.getInputProps('processKey')} />
            <Select label="Assignee" clearable searchable data={memberData} {...form.getInputProps('assigneeId')} />
            <DateInput label="Due date" clearable valueFormat="YYYY-MM-DD" {...form.getInputProps('dueOn')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Create task
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
