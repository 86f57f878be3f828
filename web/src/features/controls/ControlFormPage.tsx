import { Card, Grid, NumberInput, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConflictDialog, UnsavedChangesDialog } from '../../app/ConflictDialog.tsx';
import { FormActions, FormHeader, useLeaveGuard } from '../../app/FormParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { formatDate, options } from '../../app/labels.ts';
import { useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageLoader } from '../../app/ui.tsx';
import { controlStatusLabels, effectivenessLabels } from './control-labels.ts';
import type { ControlDetail, ControlStatus, CreateControlInput, Effectiveness, UpdateControlInput } from './control-types.ts';

type Values = {
  title: string;
  description: string;
  ownerId: string | null;
  status: ControlStatus;
  effectiveness: Effectiveness;
  costEstimate: number | null;
  dueOn: string | null;
  implementedOn: string | null;
};
type Field = keyof Values;

const fromControl = (c: ControlDetail): Values => ({
  title: c.title,
  description: c.description,
  ownerId: c.owner?.id ?? null,
  status: c.status,
  effectiveness: c.effectiveness,
  costEstimate: c.costEstimate,
  dueOn: c.dueOn,
  implementedOn: c.implementedOn,
});
const empty: Values = {
  title: '',
  description: '',
  ownerId: null,
  status: 'planned',
  effectiveness: 'not_assessed',
  costEstimate: null,
  dueOn: null,
  implementedOn: null,
};
const fields = Object.keys(empty) as Field[];

/** Create or edit a control. A stale edit (409) shows what another user changed and lets the user reload or overwrite. */
export function ControlFormPage() {
  const { id } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const editing = !!id;
  const control = useQuery({
    queryKey: ['control', scopeId, id],
    queryFn: () => api.get<ControlDetail>(`/api/scopes/${scopeId}/controls/${id}`),
    enabled: editing,
  });
  const members = useMembers(scopeId);
  const [conflict, setConflict] = useState<ControlDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const form = useForm<Values>({
    initialValues: empty,
    validate: {
      title: (v) => (v.trim() ? null : 'Title is required'),
    },
  });
  const load = (c: ControlDetail) => {
    form.setValues(fromControl(c));
    form.resetDirty(fromControl(c));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the record when it arrives, never over the user's edits
  useEffect(() => {
    if (control.data && !form.isDirty()) load(control.data);
  }, [control.data]);
  const dirty = form.isDirty();
  const { blocker, leaving } = useLeaveGuard(dirty);

  const base = control.data;
  const save = async (values: Values, version?: number) => {
    setError(null);
    try {
      let saved: ControlDetail;
      if (editing && base) {
        const changed = Object.fromEntries(fields.filter((k) => form.isDirty(k)).map((k) => [k, values[k]])) as Partial<Values>;
        if (changed.title !== undefined) changed.title = changed.title.trim();
        const body: UpdateControlInput = { ...changed, version: version ?? base.version };
        saved = await api.patch<ControlDetail>(`/api/scopes/${scopeId}/controls/${id}`, body);
      } else {
        const body: CreateControlInput = { ...values, title: values.title.trim() };
        saved = await api.post<ControlDetail>(`/api/scopes/${scopeId}/controls`, body);
      }
      void qc.invalidateQueries({ queryKey: ['controls', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      qc.setQueryData(['control', scopeId, saved.id], saved);
      notifySuccess(editing ? `${saved.reference} saved` : `${saved.reference} “${saved.title}” created`);
      leaving.current = true;
      void navigate(`/s/${scopeId}/controls/${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current) setConflict(e.details.current as ControlDetail);
      else if (!applyFieldError(form, e)) setError(e);
    }
  };

  if (editing && control.isPending) return <PageLoader />;
  if (editing && control.error) return <ErrorAlert error={control.error} />;

  const ownerData = (members.data ?? [])
    .filter((m) => m.status !== 'disabled' || m.userId === base?.owner?.id)
    .map((m) => ({ value: m.userId, label: m.name }));
  if (base?.owner && !ownerData.some((o) => o.value === base.owner?.id)) ownerData.push({ value: base.owner.id, label: base.owner.name });

  const show = (k: Field, v: Values[Field]): string => {
    if (v === null || v === '') return k === 'ownerId' ? 'No owner' : '(empty)';
    if (k === 'ownerId') return ownerData.find((o) => o.value === v)?.label ?? conflict?.owner?.name ?? 'Another user';
    if (k === 'status') return controlStatusLabels[v as ControlStatus];
    if (k === 'effectiveness') return effectivenessLabels[v as Effectiveness];
    if (k === 'dueOn' || k === 'implementedOn') return formatDate(v as string);
    return String(v);
  };
  const dateInput = (k: 'dueOn' | 'implementedOn', label: string, description: string) => (
    <DateInput
      label={label}
      description={description}
      placeholder="No date"
      clearable
      valueFormat="D MMM YYYY"
      value={form.values[k]}
      onChange={(d) => form.setFieldValue(k, d ? d.slice(0, 10) : null)}
      error={form.errors[k]}
      data-testid={`control-${k}`}
    />
  );

  return (
    <>
      <FormHeader
        title={editing ? `Edit ${base?.title ?? ''}` : 'New control'}
        listLabel="Controls"
        listTo={`/s/${scopeId}/controls`}
        record={editing ? base : undefined}
        newDescription={`A new control in the library of ${scope.name}. It gets the next free reference (CTL-…) when saved; link catalog requirements, risks and evidence on its page.`}
      />
      <form onSubmit={form.onSubmit((v) => save(v))} noValidate data-testid="control-form">
        <Stack>
          <ErrorAlert error={error} title="Not saved" />
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              The control
            </Title>
            <Grid>
              <Grid.Col span={12}>
                <TextInput
                  label="Title"
                  name="title"
                  withAsterisk
                  placeholder="e.g. Multi-factor authentication for remote access"
                  data-autofocus
                  {...form.getInputProps('title')}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label="Description"
                  name="description"
                  placeholder="What the control does, where and how it is implemented"
                  autosize
                  minRows={3}
                  maxRows={12}
                  {...form.getInputProps('description')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label="Owner"
                  description="Responsible for implementing and operating the control"
                  placeholder="No owner yet"
                  clearable
                  searchable
                  nothingFoundMessage="No member of this scope matches"
                  data={ownerData}
                  {...form.getInputProps('ownerId')}
                  data-testid="control-owner"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <NumberInput
                  label="Cost estimate"
                  description="One-off and running cost, in your currency"
                  placeholder="Not estimated"
                  min={0}
                  thousandSeparator=" "
                  value={form.values.costEstimate ?? ''}
                  onChange={(v) => form.setFieldValue('costEstimate', typeof v === 'number' ? v : null)}
                  error={form.errors.costEstimate}
                  data-testid="control-cost"
                />
              </Grid.Col>
            </Grid>
          </Card>
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              Implementation
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label="Status"
                  allowDeselect={false}
                  data={options(controlStatusLabels)}
                  {...form.getInputProps('status')}
                  data-testid="control-status"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label="Effectiveness"
                  description="As measured or assessed (ISO 27001 9.1)"
                  allowDeselect={false}
                  data={options(effectivenessLabels)}
                  {...form.getInputProps('effectiveness')}
                  data-testid="control-effectiveness"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{dateInput('dueOn', 'Due date', 'When it should be implemented')}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{dateInput('implementedOn', 'Implemented on', 'When it went into operation')}</Grid.Col>
            </Grid>
          </Card>
          <FormActions
            onCancel={() => navigate(editing ? `/s/${scopeId}/controls/${id}` : `/s/${scopeId}/controls`)}
            saving={form.submitting}
            data-testid="save-control"
          >
            Save control
          </FormActions>
        </Stack>
      </form>

      <ConflictDialog
        conflict={conflict}
        noun="control"
        reference={base?.reference}
        fields={fields}
        original={base ? fromControl(base) : empty}
        theirs={conflict ? fromControl(conflict) : empty}
        mine={form.values}
        isDirty={(k) => form.isDirty(k)}
        show={show}
        onClose={() => setConflict(null)}
        onReload={() => {
          const current = conflict;
          setConflict(null);
          if (current) {
            load(current);
            qc.setQueryData(['control', scopeId, id], current);
          }
        }}
        onOverwrite={() => {
          const version = conflict?.version;
          setConflict(null);
          void save(form.getValues(), version);
        }}
      />
      <UnsavedChangesDialog blocker={blocker} noun="control" />
    </>
  );
}
