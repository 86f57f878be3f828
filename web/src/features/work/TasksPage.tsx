import { Button, Card, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconChecklist, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { ListEmpty, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import { api, type Page } from '../../app/api.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { CreateTaskInput, ProcessMap, Task } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageHeader, TableSkeleton } from '../../app/ui.tsx';
import { TaskDrawer } from './TaskDrawer.tsx';
import { invalidateTasks, TaskTable } from './TaskTable.tsx';

const PAGE_SIZE = 25;
const statusData = [
  { value: 'active', label: 'Open and in progress' },
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'done', label: 'Done' },
  { value: 'cancelled', label: 'Cancelled' },
];

export function TasksPage() {
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const qc = useQueryClient();
  const { params, set, clear } = useUrlFilters();
  const status = statusData.some((s) => s.value === params.get('status')) ? params.get('status')! : 'active';
  const processKey = params.get('processKey');
  const assigneeId = params.get('assigneeId');
  const page = Math.max(1, Number(params.get('page')) || 1);
  const { search, setSearch } = useUrlSearch({ params, set });
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [selected, setSelected] = useState<Task | null>(null);

  const query = { status, processKey, assigneeId, q: params.get('q'), page, pageSize: PAGE_SIZE };
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
  const members = useMembers(scopeId, can('member:read'));
  const processData = (processes.data?.processes ?? []).map((p) => ({ value: p.key, label: p.name }));
  const memberData = (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));
  const filtered = !!(processKey || assigneeId || params.get('q') || status !== 'active');

  const form = useForm({
    initialValues: {
      title: '',
      description: '',
      processKey: processKey ?? '',
      assigneeId: null as string | null,
      dueOn: null as string | null,
    },
    validate: {
      title: (v) => (v.trim() ? null : 'A task needs a title'),
      processKey: (v) => (v ? null : 'Choose the process this task belongs to'),
    },
  });
  const create = form.onSubmit(async (v) => {
    try {
      const body: CreateTaskInput = { ...v, title: v.title.trim() };
      const t = await api.post<Task>(`/api/scopes/${scopeId}/tasks`, body);
      notifySuccess(`${t.reference} created`);
      form.reset();
      closeCreate();
      invalidateTasks(qc);
    } catch (e) {
      if (!applyFieldError(form, e)) form.setFieldError('title', e instanceof Error ? e.message : 'Not saved');
    }
  });

  return (
    <>
      <PageHeader
        title="Tasks"
        description="Work items of this scope: created by people, or handed over from one ISMS process to another."
        actions={
          can('task:write') && (
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate} data-testid="new-task">
              New task
            </Button>
          )
        }
      />
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm" wrap="wrap">
          <SearchInput
            placeholder="Search tasks"
            aria-label="Search tasks"
            value={search}
            onChange={setSearch}
            w={{ base: '100%', sm: 240 }}
            data-testid="task-search"
          />
          <Select
            w={{ base: '100%', xs: 200 }}
            value={status}
            allowDeselect={false}
            onChange={(v) => set({ status: v === 'active' ? null : v })}
            data={statusData}
            aria-label="Status"
            data-testid="task-status-filter"
          />
          {can('process:read') && (
            <Select
              w={{ base: '100%', xs: 260 }}
              placeholder="All processes"
              clearable
              searchable
              value={processKey}
              onChange={(v) => set({ processKey: v })}
              data={processData}
              aria-label="Process"
              data-testid="task-process-filter"
            />
          )}
          {can('member:read') && (
            <Select
              w={{ base: '100%', xs: 200 }}
              placeholder="Anyone"
              clearable
              searchable
              value={assigneeId}
              onChange={(v) => set({ assigneeId: v })}
              data={memberData}
              aria-label="Assignee"
              data-testid="task-assignee-filter"
            />
          )}
          {tasks.data && (
            <Text size="sm" c="dimmed" ml="auto">
              {tasks.data.total} task{tasks.data.total === 1 ? '' : 's'}
            </Text>
          )}
        </Group>
        {tasks.error ? (
          <div style={{ padding: 16 }}>
            <ErrorAlert error={tasks.error} />
          </div>
        ) : tasks.isPending ? (
          <TableSkeleton />
        ) : tasks.data.total === 0 ? (
          <ListEmpty
            py={56}
            px="md"
            icon={<IconChecklist size={32} />}
            withIndicatorBackground
            title={filtered ? 'No task matches these filters' : 'No open tasks'}
            description={
              filtered
                ? 'Change the filters to see more.'
                : 'Tasks appear here when someone creates one or an ISMS process hands work over.'
            }
            filtered={filtered}
            onClear={() => {
              setSearch('');
              clear();
            }}
            actions={
              can('task:write') && (
                <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
                  New task
                </Button>
              )
            }
          />
        ) : (
          <TaskTable tasks={tasks.data.items} onOpen={setSelected} />
        )}
        {tasks.data && (
          <ListPager total={tasks.data.total} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} size="md" />
        )}
      </Card>
      <Modal opened={creating} onClose={closeCreate} title={<Text fw={600}>New task</Text>} size="lg" data-testid="new-task-modal">
        <form onSubmit={create} noValidate>
          <Stack>
            <TextInput label="Title" name="title" withAsterisk data-autofocus {...form.getInputProps('title')} />
            <Textarea label="Description" name="description" autosize minRows={3} {...form.getInputProps('description')} />
            <Select
              label="Process"
              withAsterisk
              searchable
              data={processData}
              placeholder="The ISMS process this work belongs to"
              {...form.getInputProps('processKey')}
            />
            <Group grow align="flex-start">
              <Select
                label="Assignee"
                placeholder="Unassigned"
                clearable
                searchable
                data={memberData}
                {...form.getInputProps('assigneeId')}
              />
              <DateInput
                label="Due date"
                placeholder="No due date"
                clearable
                valueFormat="D MMM YYYY"
                value={form.values.dueOn}
                onChange={(d) => form.setFieldValue('dueOn', d ? d.slice(0, 10) : null)}
                error={form.errors.dueOn}
              />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={closeCreate}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Create task
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <TaskDrawer task={selected} onClose={() => setSelected(null)} canWrite={can('task:write')} memberData={memberData} />
    </>
  );
}
