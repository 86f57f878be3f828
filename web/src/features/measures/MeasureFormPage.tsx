import { Card, Grid, MultiSelect, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ConflictDialog, UnsavedChangesDialog } from '../../app/ConflictDialog.tsx';
import { FormActions, FormHeader, NumberField, textLimits, useLeaveGuard } from '../../app/FormParts.tsx';
import { ApiError, api, type Page } from '../../app/api.ts';
import { useCurrentScope, useMembers } from '../../app/session.ts';
import type { ProcessMap } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageLoader } from '../../app/ui.tsx';
import { directionLabel, frequencies, frequencyLabel, statusLabel } from './measure-labels.ts';
import type { CatalogueEntry, CreateMeasureInput, Direction, Frequency, MeasureDetail, UpdateMeasureInput } from './measure-types.ts';
import { inSentence } from '../../i18n/index.ts';
import { createMeasureBody } from '../../../../server/src/processes/performance-evaluation/measure.schemas.ts';

const limits = textLimits(createMeasureBody.shape);

type Values = {
  name: string;
  informationNeed: string;
  object: string;
  attribute: string;
  baseMeasures: string;
  derivedMeasure: string;
  formula: string;
  unit: string;
  direction: Direction;
  target: number | string;
  breachAt: number | string;
  collectionFrequency: Frequency;
  analysisFrequency: Frequency;
  measuredById: string | null;
  analysedById: string | null;
  reportedById: string | null;
  sourceKind: 'manual' | 'api' | 'live';
  liveKey: string | null;
  liveParam: string | null;
  processes: string[];
  controls: string[];
  objectives: string;
};
type Field = keyof Values;

const empty: Values = {
  name: '',
  informationNeed: '',
  object: '',
  attribute: '',
  baseMeasures: '',
  derivedMeasure: '',
  formula: '',
  unit: '',
  direction: 'higher',
  target: '',
  breachAt: '',
  collectionFrequency: 'monthly',
  analysisFrequency: 'quarterly',
  measuredById: null,
  analysedById: null,
  reportedById: null,
  sourceKind: 'manual',
  liveKey: null,
  liveParam: null,
  processes: [],
  controls: [],
  objectives: '',
};
const fromMeasure = (m: MeasureDetail): Values => ({
  name: m.name,
  informationNeed: m.informationNeed,
  object: m.object,
  attribute: m.attribute,
  baseMeasures: m.baseMeasures,
  derivedMeasure: m.derivedMeasure,
  formula: m.formula,
  unit: m.unit,
  direction: m.direction,
  target: m.target,
  breachAt: m.breachAt,
  collectionFrequency: m.collectionFrequency,
  analysisFrequency: m.analysisFrequency,
  measuredById: m.measuredBy?.id ?? null,
  analysedById: m.analysedBy?.id ?? null,
  reportedById: m.reportedBy?.id ?? null,
  sourceKind: m.sourceKind,
  liveKey: m.liveKey,
  liveParam: m.liveParam,
  processes: m.links.filter((l) => l.type === 'process').map((l) => l.key),
  controls: m.links.filter((l) => l.type === 'control').map((l) => l.key),
  objectives: m.links
    .filter((l) => l.type === 'objective')
    .map((l) => l.key)
    .join('\n'),
});
const fields = Object.keys(empty) as Field[];
const linkFields: Field[] = ['processes', 'controls', 'objectives'];
const definitionFields = fields.filter((f) => !linkFields.includes(f) && !['sourceKind', 'liveKey', 'liveParam'].includes(f));

const linksOf = (v: Values) => [
  ...v.processes.map((key) => ({ type: 'process' as const, key })),
  ...v.controls.map((key) => ({ type: 'control' as const, key })),
  ...v.objectives
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((key) => ({ type: 'objective' as const, key })),
];

/** Define or edit a measure (ISO/IEC 27004): a new target, threshold or formula starts a new definition version. */
export function MeasureFormPage() {
  const { t } = useTranslation('measures');
  const { id } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const editing = !!id;
  const measure = useQuery({
    queryKey: ['measure', scopeId, id],
    queryFn: () => api.get<MeasureDetail>(`/api/scopes/${scopeId}/measures/${id}`),
    enabled: editing,
  });
  const members = useMembers(scopeId);
  const processes = useQuery({
    queryKey: ['processes', scopeId],
    queryFn: () => api.get<ProcessMap>(`/api/scopes/${scopeId}/processes`),
  });
  const controls = useQuery({
    queryKey: ['controls', scopeId, 'picker'],
    queryFn: () => api.get<Page<{ id: string; reference: string; title: string }>>(`/api/scopes/${scopeId}/controls`, { pageSize: 200 }),
  });
  const catalogue = useQuery({
    queryKey: ['measures', scopeId, 'recommended'],
    queryFn: () => api.get<CatalogueEntry[]>(`/api/scopes/${scopeId}/measures/recommended`),
  });
  const [conflict, setConflict] = useState<MeasureDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const number = (v: number | string) => (v === '' || Number.isNaN(Number(v)) ? t('form.numberRequired') : null);
  const form = useForm<Values>({
    initialValues: empty,
    validate: {
      name: (v) => (v.trim() ? null : t('form.required')),
      liveKey: (v, all) => (all.sourceKind === 'live' && !v ? t('form.required') : null),
      informationNeed: (v) => (v.trim() ? null : t('form.required')),
      formula: (v) => (v.trim() ? null : t('form.required')),
      target: number,
      breachAt: (v, all) => {
        const n = number(v);
        if (n) return n;
        if (all.direction === 'higher' && Number(v) > Number(all.target)) return t('form.breachAboveTarget');
        if (all.direction === 'lower' && Number(v) < Number(all.target)) return t('form.breachBelowTarget');
        return null;
      },
    },
  });
  const load = (m: MeasureDetail) => {
    form.setValues(fromMeasure(m));
    form.resetDirty(fromMeasure(m));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the record when it arrives, never over the user's edits
  useEffect(() => {
    if (measure.data && !form.isDirty()) load(measure.data);
  }, [measure.data]);
  const { blocker, leaving } = useLeaveGuard(form.isDirty());
  const base = measure.data;

  const save = async (values: Values, version?: number) => {
    setError(null);
    try {
      let saved: MeasureDetail;
      const trimmed = {
        name: values.name.trim(),
        informationNeed: values.informationNeed.trim(),
        formula: values.formula.trim(),
        target: Number(values.target),
        breachAt: Number(values.breachAt),
      };
      if (editing && base) {
        const changed = Object.fromEntries(definitionFields.filter((k) => form.isDirty(k)).map((k) => [k, values[k]]));
        const body: UpdateMeasureInput = {
          ...changed,
          ...Object.fromEntries(Object.entries(trimmed).filter(([k]) => k in changed)),
          ...(linkFields.some((k) => form.isDirty(k)) ? { links: linksOf(values) } : {}),
          version: version ?? base.version,
        };
        saved = await api.patch<MeasureDetail, UpdateMeasureInput>(`/api/scopes/${scopeId}/measures/${id}`, body);
      } else {
        const { processes: _p, controls: _c, objectives: _o, ...rest } = values;
        const live = rest.sourceKind === 'live';
        const body: CreateMeasureInput = {
          ...rest,
          ...trimmed,
          liveKey: live ? (rest.liveKey as CreateMeasureInput['liveKey']) : null,
          liveParam: live && rest.liveKey === 'handoff-wait-hours' ? rest.liveParam : null,
          links: linksOf(values),
        };
        saved = await api.post<MeasureDetail, CreateMeasureInput>(`/api/scopes/${scopeId}/measures`, body);
      }
      void qc.invalidateQueries({ queryKey: ['measures', scopeId] });
      qc.setQueryData(['measure', scopeId, saved.id], saved);
      notifySuccess(
        editing ? t('form.saved', { reference: saved.reference }) : t('form.created', { reference: saved.reference, name: saved.name }),
      );
      leaving.current = true;
      void navigate(`/s/${scopeId}/measures/${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current) setConflict(e.details.current as MeasureDetail);
      else if (!applyFieldError(form, e)) setError(e);
    }
  };

  if (editing && measure.isPending) return <PageLoader />;
  if (editing && measure.error) return <ErrorAlert error={measure.error} />;

  const people = (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));
  const personSelect = (k: 'measuredById' | 'analysedById' | 'reportedById') => (
    <Select
      label={t(`form.${k.replace('Id', '')}`)}
      description={t(`form.${k.replace('Id', '')}Hint`)}
      clearable
      searchable
      data={people}
      {...form.getInputProps(k)}
    />
  );
  const text = (k: Field, required = false, area = false) =>
    area ? (
      <Textarea
        label={t(`form.${k}`)}
        description={t(`form.${k}Hint`, { defaultValue: '' })}
        withAsterisk={required}
        autosize
        minRows={2}
        maxLength={limits[k as keyof typeof limits]}
        {...form.getInputProps(k)}
      />
    ) : (
      <TextInput
        label={t(`form.${k}`)}
        description={t(`form.${k}Hint`, { defaultValue: '' })}
        withAsterisk={required}
        maxLength={limits[k as keyof typeof limits]}
        {...form.getInputProps(k)}
      />
    );
  const show = (k: Field, v: Values[Field]): string => {
    if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) return t('form.empty');
    if (k === 'direction') return directionLabel(v as Direction);
    if (k === 'collectionFrequency' || k === 'analysisFrequency') return frequencyLabel(v as Frequency);
    if (k.endsWith('ById')) return people.find((p) => p.value === v)?.label ?? t('form.anotherUser');
    return Array.isArray(v) ? v.join(', ') : String(v);
  };
  const freqData = frequencies.map((f) => ({ value: f, label: frequencyLabel(f) }));

  return (
    <>
      <FormHeader
        title={editing ? t('form.editTitle', { name: base?.name ?? '' }) : t('list.new')}
        listLabel={t('list.title')}
        listTo={`/s/${scopeId}/measures`}
        record={editing ? base : undefined}
        newDescription={t('form.newDescription')}
      />
      <form onSubmit={form.onSubmit((v) => save(v))} noValidate data-testid="measure-form">
        <Stack>
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.what')}
            </Title>
            <Grid>
              <Grid.Col span={12}>{text('name', true)}</Grid.Col>
              <Grid.Col span={12}>{text('informationNeed', true, true)}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{text('object')}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{text('attribute')}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{text('baseMeasures', false, true)}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{text('derivedMeasure', false, true)}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 8 }}>{text('formula', true)}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>{text('unit')}</Grid.Col>
            </Grid>
          </Card>
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.criteria')}
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('form.direction')}
                  allowDeselect={false}
                  data={(['higher', 'lower'] as const).map((d) => ({ value: d, label: directionLabel(d) }))}
                  {...form.getInputProps('direction')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <NumberField
                  label={t('form.target')}
                  thousandGrouping
                  description={t('form.targetHint', { status: statusLabel('on_target') })}
                  withAsterisk
                  {...form.getInputProps('target')}
                  data-testid="measure-target"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <NumberField
                  label={t('form.breachAt')}
                  thousandGrouping
                  description={t('form.breachAtHint', { status: statusLabel('breach') })}
                  withAsterisk
                  {...form.getInputProps('breachAt')}
                  data-testid="measure-breach"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('form.collectionFrequency')}
                  allowDeselect={false}
                  data={freqData}
                  {...form.getInputProps('collectionFrequency')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('form.analysisFrequency')}
                  allowDeselect={false}
                  data={freqData}
                  {...form.getInputProps('analysisFrequency')}
                />
              </Grid.Col>
              {!editing && (
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <Select
                    label={t('form.sourceKind')}
                    description={t('form.sourceKindHint')}
                    allowDeselect={false}
                    data={(['manual', 'api', 'live'] as const).map((s) => ({ value: s, label: t(`source.${s}`) }))}
                    {...form.getInputProps('sourceKind')}
                  />
                </Grid.Col>
              )}
              {!editing && form.values.sourceKind === 'live' && (
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Select
                    label={t('form.liveKey')}
                    description={t('form.liveKeyHint')}
                    withAsterisk
                    data={(catalogue.data ?? []).map((c) => ({ value: c.key, label: c.name }))}
                    {...form.getInputProps('liveKey')}
                    data-testid="measure-live-key"
                  />
                </Grid.Col>
              )}
              {!editing && form.values.sourceKind === 'live' && form.values.liveKey === 'handoff-wait-hours' && (
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Select
                    label={t('form.liveParam')}
                    description={t('form.liveParamHint')}
                    clearable
                    placeholder={t('form.allProcesses')}
                    data={(processes.data?.processes ?? []).map((p) => ({ value: p.key, label: p.name }))}
                    {...form.getInputProps('liveParam')}
                  />
                </Grid.Col>
              )}
            </Grid>
          </Card>
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.who')}
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 4 }}>{personSelect('measuredById')}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>{personSelect('analysedById')}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>{personSelect('reportedById')}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <MultiSelect
                  label={t('form.processes')}
                  searchable
                  data={(processes.data?.processes ?? []).map((p) => ({ value: p.key, label: p.name }))}
                  {...form.getInputProps('processes')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <MultiSelect
                  label={t('form.controls')}
                  searchable
                  data={(controls.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.reference} ${c.title}` }))}
                  {...form.getInputProps('controls')}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                {/* no maxLength on the whole: each line is an objective of its own (a link the server checks) */}
                <Textarea
                  label={t('form.objectives')}
                  description={t('form.objectivesHint')}
                  autosize
                  minRows={2}
                  {...form.getInputProps('objectives')}
                />
              </Grid.Col>
            </Grid>
          </Card>
          <FormActions
            onCancel={() => navigate(editing ? `/s/${scopeId}/measures/${id}` : `/s/${scopeId}/measures`)}
            saving={form.submitting}
            data-testid="measure-save"
          >
            {editing ? t('form.save') : t('form.create')}
          </FormActions>
        </Stack>
      </form>
      <ConflictDialog
        conflict={conflict}
        noun={inSentence(t('detail.noun'))}
        reference={base?.reference}
        fields={fields}
        original={base ? fromMeasure(base) : empty}
        theirs={conflict ? fromMeasure(conflict) : empty}
        mine={form.values}
        isDirty={(k) => form.isDirty(k)}
        show={show}
        onClose={() => setConflict(null)}
        onReload={() => {
          if (conflict) {
            qc.setQueryData(['measure', scopeId, id], conflict);
            load(conflict);
          }
          setConflict(null);
        }}
        onOverwrite={() => {
          const v = conflict?.version;
          setConflict(null);
          void save(form.values, v);
        }}
      />
      <UnsavedChangesDialog blocker={blocker} noun={inSentence(t('detail.noun'))} />
    </>
  );
}
