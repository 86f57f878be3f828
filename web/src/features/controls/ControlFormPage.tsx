import { Card, Grid, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ConflictDialog, UnsavedChangesDialog } from '../../app/ConflictDialog.tsx';
import { createControlBody } from '../../../../server/src/processes/control-implementation/control.schemas.ts';
import {
  earliestDueDay,
  FormActions,
  FormHeader,
  NumberField,
  numberLimits,
  textLimits,
  todayDay,
  useLeaveGuard,
} from '../../app/FormParts.tsx';
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
  nextVerificationOn: string | null;
};
type Field = keyof Values;
const limits = textLimits(createControlBody.shape);
const amounts = numberLimits(createControlBody.shape);

const fromControl = (c: ControlDetail): Values => ({
  title: c.title,
  description: c.description,
  ownerId: c.owner?.id ?? null,
  status: c.status,
  effectiveness: c.effectiveness,
  costEstimate: c.costEstimate,
  dueOn: c.dueOn,
  implementedOn: c.implementedOn,
  nextVerificationOn: c.nextVerificationOn,
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
  nextVerificationOn: null,
};
const fields = Object.keys(empty) as Field[];

/** Create or edit a control. A stale edit (409) shows what another user changed and lets the user reload or overwrite. */
export function ControlFormPage() {
  const { t } = useTranslation('controls');
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
      title: (v) => (v.trim() ? null : t('form.titleRequired')),
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
        saved = await api.patch<ControlDetail, UpdateControlInput>(`/api/scopes/${scopeId}/controls/${id}`, body);
      } else {
        const body: CreateControlInput = { ...values, title: values.title.trim() };
        saved = await api.post<ControlDetail, CreateControlInput>(`/api/scopes/${scopeId}/controls`, body);
      }
      void qc.invalidateQueries({ queryKey: ['controls', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      qc.setQueryData(['control', scopeId, saved.id], saved);
      notifySuccess(
        editing ? t('form.saved', { reference: saved.reference }) : t('form.created', { reference: saved.reference, title: saved.title }),
      );
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
    if (v === null || v === '') return k === 'ownerId' ? t('list.noOwner') : t('form.empty');
    if (k === 'ownerId') return ownerData.find((o) => o.value === v)?.label ?? conflict?.owner?.name ?? t('form.anotherUser');
    if (k === 'status') return controlStatusLabels[v as ControlStatus];
    if (k === 'effectiveness') return effectivenessLabels[v as Effectiveness];
    if (k === 'dueOn' || k === 'implementedOn' || k === 'nextVerificationOn') return formatDate(v as string);
    return String(v);
  };
  const dateInput = (k: 'dueOn' | 'implementedOn' | 'nextVerificationOn', label: string, description: string) => (
    <DateInput
      label={label}
      description={description}
      placeholder={t('form.noDate')}
      clearable
      valueFormat="D MMM YYYY"
      value={form.values[k]}
      // the server's bounds: due no earlier than the day the control was created, implemented no later than today
      minDate={k === 'dueOn' ? earliestDueDay(base?.createdAt) : undefined}
      maxDate={k === 'implementedOn' ? todayDay() : undefined}
      onChange={(d) => form.setFieldValue(k, d ? d.slice(0, 10) : null)}
      error={form.errors[k]}
      data-testid={`control-${k}`}
    />
  );

  return (
    <>
      <FormHeader
        title={editing ? t('form.editTitle', { title: base?.title ?? '' }) : t('list.new')}
        listLabel={t('list.title')}
        listTo={`/s/${scopeId}/controls`}
        record={editing ? base : undefined}
        newDescription={t('form.newDescription', { scope: scope.name })}
      />
      <form onSubmit={form.onSubmit((v) => save(v))} noValidate data-testid="control-form">
        <Stack>
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.theControl')}
            </Title>
            <Grid>
              <Grid.Col span={12}>
                <TextInput
                  label={t('list.col.title')}
                  name="title"
                  withAsterisk
                  placeholder={t('form.titlePlaceholder')}
                  data-autofocus
                  maxLength={limits.title}
                  {...form.getInputProps('title')}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label={t('detail.description')}
                  name="description"
                  placeholder={t('form.descriptionPlaceholder')}
                  autosize
                  minRows={3}
                  maxRows={12}
                  maxLength={limits.description}
                  {...form.getInputProps('description')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label={t('list.col.owner')}
                  description={t('form.ownerHint')}
                  placeholder={t('form.noOwnerYet')}
                  clearable
                  searchable
                  nothingFoundMessage={t('form.noMember')}
                  data={ownerData}
                  {...form.getInputProps('ownerId')}
                  data-testid="control-owner"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <NumberField
                  label={t('detail.costEstimate')}
                  description={t('form.costHint')}
                  placeholder={t('form.notEstimated')}
                  {...amounts.costEstimate}
                  thousandGrouping
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
              {t('form.implementation')}
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label={t('list.col.status')}
                  allowDeselect={false}
                  data={options(controlStatusLabels)}
                  {...form.getInputProps('status')}
                  data-testid="control-status"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label={t('list.col.effectiveness')}
                  description={t('form.effectivenessHint')}
                  allowDeselect={false}
                  data={options(effectivenessLabels)}
                  {...form.getInputProps('effectiveness')}
                  data-testid="control-effectiveness"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{dateInput('dueOn', t('form.dueDate'), t('form.dueDateHint'))}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                {dateInput('implementedOn', t('form.implementedOn'), t('form.implementedOnHint'))}
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                {dateInput('nextVerificationOn', t('form.nextVerificationOn'), t('form.nextVerificationOnHint'))}
              </Grid.Col>
            </Grid>
          </Card>
          <FormActions
            onCancel={() => navigate(editing ? `/s/${scopeId}/controls/${id}` : `/s/${scopeId}/controls`)}
            saving={form.submitting}
            data-testid="save-control"
          >
            {t('form.save')}
          </FormActions>
        </Stack>
      </form>

      <ConflictDialog
        conflict={conflict}
        noun={t('form.noun')}
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
      <UnsavedChangesDialog blocker={blocker} noun={t('form.noun')} />
    </>
  );
}
