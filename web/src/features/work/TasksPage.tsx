import { Button, Card, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconChecklist, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListEmpty, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import { api, type Page } from '../../app/api.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { CreateTaskInput, ProcessMap, Task } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageHeader, TableSkeleton } from '../../app/ui.tsx';
import { TaskDrawer } from './TaskDrawer.tsx';
import { invalidateTasks, TaskTable } from './TaskTable.tsx';
import { createTaskBody } from '../../../../server/src/work/task.schemas.ts';
import { textLimits, todayDay } from '../../app/FormParts.tsx';

const limits = textLimits(createTaskBody.shape);

const PAGE_SIZE = 25;
const statusValues = ['active', 'open', 'in_progress', 'done', 'cancelled'] as const;

export function TasksPage() {
  const { t } = useTranslation('work');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const statusData = statusValues.map((value) => ({ value, label: t(`list.status.${value}`) }));
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
      title: (v) => (v.trim() ? null : t('form.titleRequired')),
      processKey: (v) => (v ? null : t('form.processRequired')),
    },
  });
  const create = form.onSubmit(async (v) => {
    try {
      const body: CreateTaskInput = { ...v, title: v.title.trim() };
      const created = await api.post<Task, CreateTaskInput>(`/api/scopes/${scopeId}/tasks`, body);
      notifySuccess(t('list.created', { reference: created.reference }));
      form.reset();
      closeCreate();
      invalidateTasks(qc);
    } catch (e) {
      if (!applyFieldError(form, e)) form.setFieldError('title', e instanceof Error ? e.message : t('common:errors.notSaved'));
    }
  });

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={
          can('task:write') && (
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate} data-testid="new-task">
              {t('list.new')}
            </Button>
          )
        }
      />
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm" wrap="wrap">
          <SearchInput
            placeholder={t('list.search')}
            aria-label={t('list.search')}
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
            aria-label={t('table.status')}
            data-testid="task-status-filter"
          />
          {can('process:read') && (
            <Select
              w={{ base: '100%', xs: 260 }}
              placeholder={t('list.allProcesses')}
              clearable
              searchable
              value={processKey}
              onChange={(v) => set({ processKey: v })}
              data={processData}
              aria-label={t('table.process')}
              data-testid="task-process-filter"
            />
          )}
          {can('member:read') && (
            <Select
              w={{ base: '100%', xs: 200 }}
              placeholder={t('list.anyone')}
              clearable
              searchable
              value={assigneeId}
              onChange={(v) => set({ assigneeId: v })}
              data={memberData}
              aria-label={t('table.assignee')}
              data-testid="task-assignee-filter"
            />
          )}
          {tasks.data && (
            <Text size="sm" c="dimmed" ml="auto">
              {t('count', { count: tasks.data.total })}
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
            title={filtered ? t('list.empty.filtered') : t('my.empty.noOpen')}
            description={filtered ? t('list.empty.filteredHint') : t('list.empty.hint')}
            filtered={filtered}
            onClear={() => {
              setSearch('');
              clear();
            }}
            actions={
              can('task:write') && (
                <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
                  {t('list.new')}
                </Button>
              )
            }
          />
        ) : (
          <TaskTable tasks={tasks.data.items} onOpen={setSelected} />
        )}
        {tasks.data && (
          <ListPager
            total={tasks.data.total}
            of={tasks.data}
            page={page}
            pageSize={PAGE_SIZE}
            onPage={(p) => set({ page: String(p) })}
            size="md"
          />
        )}
      </Card>
      <Modal opened={creating} onClose={closeCreate} title={<Text fw={600}>{t('list.new')}</Text>} size="lg" data-testid="new-task-modal">
        <form onSubmit={create} noValidate>
          <Stack>
            <TextInput
              label={t('form.title')}
              name="title"
              withAsterisk
              data-autofocus
              maxLength={limits.title}
              {...form.getInputProps('title')}
            />
            <Textarea
              label={t('form.description')}
              name="description"
              autosize
              minRows={3}
              maxLength={limits.description}
              {...form.getInputProps('description')}
            />
            <Select
              label={t('table.process')}
              withAsterisk
              searchable
              data={processData}
              placeholder={t('form.processPlaceholder')}
              {...form.getInputProps('processKey')}
            />
            <Group grow align="flex-start">
              <Select
                label={t('table.assignee')}
                placeholder={t('unassigned')}
                clearable
                searchable
                data={memberData}
                {...form.getInputProps('assigneeId')}
              />
              <DateInput
                label={t('form.dueDate')}
                placeholder={t('due.none')}
                clearable
                valueFormat="D MMM YYYY"
                // a task made by hand is due today or later, as the server checks it
                minDate={todayDay()}
                value={form.values.dueOn}
                onChange={(d) => form.setFieldValue('dueOn', d ? d.slice(0, 10) : null)}
                error={form.errors.dueOn}
              />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={closeCreate}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={form.submitting}>
                {t('form.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <TaskDrawer task={selected} onClose={() => setSelected(null)} canWrite={can('task:write')} memberData={memberData} />
    </>
  );
}
