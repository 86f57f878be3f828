import { Alert, Button, DataList, Drawer, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { earliestDueDay, textLimits } from '../../app/FormParts.tsx';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api.ts';
import { formatDateTime, options, taskStatusLabels } from '../../app/labels.ts';
import type { Task, TaskStatus, UpdateTaskInput } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifySuccess, Ref } from '../../app/ui.tsx';
import { DueDate, invalidateTasks, OriginLink, TaskStatusBadge } from './TaskTable.tsx';
import { createTaskBody } from '../../../../server/src/work/task.schemas.ts';

const limits = textLimits(createTaskBody.shape);

type Values = { title: string; description: string; assigneeId: string | null; dueOn: string | null; status: TaskStatus };
const toValues = (t: Task): Values => ({
  title: t.title,
  description: t.description,
  assigneeId: t.assignee?.id ?? null,
  dueOn: t.dueOn,
  status: t.status,
});

/** A task's details; people with task:write edit it here. A stale edit shows the current state and lets the user start over. */
export function TaskDrawer({
  task,
  onClose,
  canWrite,
  memberData,
}: {
  task: Task | null;
  onClose: () => void;
  canWrite: boolean;
  memberData: { value: string; label: string }[];
}) {
  const { t: tr } = useTranslation('work');
  const qc = useQueryClient();
  const [base, setBase] = useState<Task | null>(task);
  const [conflict, setConflict] = useState<Task | null>(null);
  const [error, setError] = useState<unknown>(null);
  const form = useForm<Values>({
    initialValues: { title: '', description: '', assigneeId: null, dueOn: null, status: 'open' },
    validate: { title: (v) => (v.trim() ? null : tr('form.titleRequired')) },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when another task is opened
  useEffect(() => {
    setBase(task);
    setConflict(null);
    setError(null);
    if (task) {
      form.setValues(toValues(task));
      form.resetDirty(toValues(task));
    }
  }, [task?.id]);

  const save = form.onSubmit(async (v) => {
    if (!base) return;
    setError(null);
    const changed = Object.fromEntries(Object.entries(v).filter(([k]) => form.isDirty(k))) as Partial<Values>;
    if (Object.keys(changed).length === 0) return onClose();
    const body: UpdateTaskInput = {
      version: base.version,
      ...changed,
      ...(changed.title !== undefined && { title: changed.title.trim() }),
    };
    try {
      const saved = await api.patch<Task, UpdateTaskInput>(`/api/scopes/${base.scopeId}/tasks/${base.id}`, body);
      notifySuccess(tr('drawer.saved', { reference: saved.reference }));
      invalidateTasks(qc);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current) setConflict(e.details.current as Task);
      else if (!applyFieldError(form, e)) setError(e);
    }
  });

  const reload = () => {
    if (!conflict) return;
    setBase(conflict);
    form.setValues(toValues(conflict));
    form.resetDirty(toValues(conflict));
    setConflict(null);
    invalidateTasks(qc);
  };

  const t = base;
  return (
    <Drawer
      opened={!!task}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        t && (
          <Group gap="xs" wrap="nowrap">
            <Ref>{t.reference}</Ref>
            <Title order={4} lineClamp={2}>
              {t.title}
            </Title>
          </Group>
        )
      }
      data-testid="task-drawer"
    >
      {t && (
        <Stack>
          <DataList size="sm" labelWidth={110} withDivider>
            <DataList.Item>
              <DataList.ItemLabel>{tr('table.status')}</DataList.ItemLabel>
              <DataList.ItemValue>
                <TaskStatusBadge status={t.status} />
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{tr('table.scope')}</DataList.ItemLabel>
              <DataList.ItemValue>{t.scopeName}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{tr('table.process')}</DataList.ItemLabel>
              <DataList.ItemValue>{t.processName}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{tr('table.origin')}</DataList.ItemLabel>
              <DataList.ItemValue>
                <OriginLink task={t} />
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{tr('table.due')}</DataList.ItemLabel>
              <DataList.ItemValue>
                <DueDate task={t} />
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{tr('drawer.created')}</DataList.ItemLabel>
              <DataList.ItemValue>{formatDateTime(t.createdAt)}</DataList.ItemValue>
            </DataList.Item>
            {t.completedAt && (
              <DataList.Item>
                <DataList.ItemLabel>{tr('drawer.completed')}</DataList.ItemLabel>
                <DataList.ItemValue>{formatDateTime(t.completedAt)}</DataList.ItemValue>
              </DataList.Item>
            )}
          </DataList>
          {!canWrite ? (
            <>
              <Text size="sm" fw={600}>
                {tr('form.description')}
              </Text>
              <Text size="sm" c={t.description ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
                {t.description || tr('drawer.noDescription')}
              </Text>
            </>
          ) : (
            <form onSubmit={save} noValidate>
              <Stack>
                {conflict && (
                  <Alert
                    color="orange"
                    variant="light"
                    icon={<IconAlertTriangle size={18} />}
                    title={tr('drawer.conflictTitle')}
                    data-testid="task-conflict"
                  >
                    <Text size="sm" mb="xs">
                      {tr('drawer.conflictText', { version: conflict.version })}
                    </Text>
                    <Button size="xs" variant="white" color="orange" onClick={reload}>
                      {tr('drawer.loadCurrent')}
                    </Button>
                  </Alert>
                )}
                <ErrorAlert error={error} title={tr('common:errors.notSaved')} />
                <TextInput label={tr('form.title')} withAsterisk maxLength={limits.title} {...form.getInputProps('title')} />
                <Textarea
                  label={tr('form.description')}
                  autosize
                  minRows={3}
                  maxRows={12}
                  maxLength={limits.description}
                  {...form.getInputProps('description')}
                />
                <Group grow align="flex-start">
                  <Select
                    label={tr('table.assignee')}
                    placeholder={tr('unassigned')}
                    clearable
                    searchable
                    data={memberData}
                    {...form.getInputProps('assigneeId')}
                  />
                  <DateInput
                    label={tr('form.dueDate')}
                    placeholder={tr('due.none')}
                    clearable
                    valueFormat="D MMM YYYY"
                    // the server refuses a due date moved before the day the task was created
                    minDate={earliestDueDay(t.createdAt)}
                    value={form.values.dueOn}
                    onChange={(d) => form.setFieldValue('dueOn', d ? d.slice(0, 10) : null)}
                    error={form.errors.dueOn}
                  />
                </Group>
                <Select
                  label={tr('table.status')}
                  allowDeselect={false}
                  data={options(taskStatusLabels)}
                  {...form.getInputProps('status')}
                />
                <Group justify="flex-end">
                  <Button variant="default" onClick={onClose}>
                    {tr('common:actions.cancel')}
                  </Button>
                  <Button type="submit" loading={form.submitting} disabled={!!conflict}>
                    {tr('drawer.save')}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
