import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { OwnerValue, RecordLoadError } from '../../app/DetailParts.tsx';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { useCan, useCurrentScope, useCurrentSession } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { directionLabel, frequencyLabel, linkTypeLabel, sourceLabel, valueWithUnit } from './measure-labels.ts';
import type { AnalysisInput, MeasureDetail, Measurement, RecordMeasurementInput, Trend } from './measure-types.ts';
import { NumberField, textLimits } from '../../app/FormParts.tsx';
import { analysisBody, recordMeasurementBody } from '../../../../server/src/processes/performance-evaluation/measure.schemas.ts';

const recordLimits = textLimits(recordMeasurementBody.shape);
const analysisLimits = textLimits(analysisBody.shape);
import { StatusBadge, TrendArrow } from './MeasuresPage.tsx';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap' }}>
        {children || '—'}
      </Text>
    </div>
  );
}

/** The values over time with the target and the breach threshold as lines, per ISMS cycle or all. */
function TrendChart({ m, scopeId }: { m: MeasureDetail; scopeId: string }) {
  const { t } = useTranslation('measures');
  const [cycleId, setCycleId] = useState<string | null>(null);
  const trend = useQuery({
    queryKey: ['measure-trend', scopeId, m.id, cycleId],
    queryFn: () => api.get<Trend>(`/api/scopes/${scopeId}/measures/${m.id}/trend`, { cycleId }),
    placeholderData: (prev) => prev,
  });
  const data = (trend.data?.points ?? []).map((p) => ({ date: formatDate(p.measuredAt), value: p.value }));
  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="md">
        <Title order={5}>{t('detail.trend')}</Title>
        <Select
          aria-label={t('detail.cycle')}
          placeholder={t('detail.allCycles')}
          clearable
          w={220}
          data={(trend.data?.cycles ?? []).map((c) => ({
            value: c.id,
            label: t('detail.cycleLabel', { number: c.number, from: formatDate(c.startsOn), to: formatDate(c.endsOn) }),
          }))}
          value={cycleId}
          onChange={setCycleId}
        />
      </Group>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('detail.noValues')}
        </Text>
      ) : (
        <LineChart
          h={260}
          data={data}
          dataKey="date"
          series={[{ name: 'value', label: t('detail.value'), color: 'praxis.6' }]}
          unit={m.unit ? ` ${m.unit}` : undefined}
          curveType="linear"
          withDots
          referenceLines={[
            { y: m.target, label: t('detail.targetLine', { value: valueWithUnit(m.target, m.unit) }), color: 'teal.6' },
            { y: m.breachAt, label: t('detail.breachLine', { value: valueWithUnit(m.breachAt, m.unit) }), color: 'red.6' },
          ]}
          yAxisProps={{
            domain: [(min: number) => Math.min(min, m.target, m.breachAt), (max: number) => Math.max(max, m.target, m.breachAt)],
          }}
          data-testid="measure-chart"
        />
      )}
    </Card>
  );
}

/** The owner's form for a new value (a manual or API measure), with a comment and an optional evidence link. */
function RecordValue({ m, scopeId, onDone }: { m: MeasureDetail; scopeId: string; onDone: () => void }) {
  const { t } = useTranslation('measures');
  const [error, setError] = useState<unknown>(null);
  const form = useForm<{ value: number | string; comment: string; evidenceUrl: string }>({
    initialValues: { value: '', comment: '', evidenceUrl: '' },
    validate: { value: (v) => (v === '' || Number.isNaN(Number(v)) ? t('record.valueRequired') : null) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<Measurement, RecordMeasurementInput>(`/api/scopes/${scopeId}/measures/${m.id}/measurements`, {
        value: Number(v.value),
        comment: v.comment.trim(),
        evidenceUrl: v.evidenceUrl.trim() || null,
      }),
    onSuccess: (r) => {
      notifySuccess(t('record.saved', { value: valueWithUnit(r.value, m.unit) }));
      form.reset();
      setError(null);
      onDone();
    },
    onError: (e) => {
      if (!applyFieldError(form, e)) setError(e);
    },
  });
  return (
    <Card withBorder radius="md" p="lg">
      <Title order={5} mb="sm">
        {t('record.title')}
      </Title>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate data-testid="record-form">
        <Stack>
          <ErrorAlert error={error} />
          <Grid>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <NumberField
                label={t('detail.value')}
                withAsterisk
                rightSection={m.unit || undefined}
                thousandGrouping
                {...form.getInputProps('value')}
                data-testid="record-value"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 8 }}>
              <TextInput
                label={t('record.evidenceUrl')}
                placeholder="https://"
                maxLength={recordLimits.evidenceUrl}
                {...form.getInputProps('evidenceUrl')}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea
                label={t('record.comment')}
                autosize
                minRows={2}
                maxLength={recordLimits.comment}
                {...form.getInputProps('comment')}
              />
            </Grid.Col>
          </Grid>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="record-save">
              {t('record.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** The analysis of a value in breach: a nonconformity or an opportunity with one click, or no action with a note. */
function AnalyseModal({
  m,
  measurement,
  scopeId,
  onClose,
}: {
  m: MeasureDetail;
  measurement: Measurement | null;
  scopeId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('measures');
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<{ outcome: AnalysisInput['outcome']; note: string; title: string }>({
    initialValues: { outcome: 'nonconformity', note: '', title: '' },
    validate: { note: (v) => (v.trim() ? null : t('analysis.noteRequired')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<Measurement, AnalysisInput>(`/api/scopes/${scopeId}/measures/${m.id}/measurements/${measurement?.id}/analysis`, {
        outcome: v.outcome,
        note: v.note.trim(),
        ...(v.title.trim() && v.outcome !== 'no_action' ? { title: v.title.trim() } : {}),
      }),
    onSuccess: (r) => {
      notifySuccess(r.analysis?.finding?.ref ? t('analysis.raised', { reference: r.analysis.finding.ref }) : t('analysis.closed'));
      void qc.invalidateQueries({ queryKey: ['measurements', scopeId, m.id] });
      form.reset();
      onClose();
    },
    onError: (e) => {
      if (!applyFieldError(form, e)) setError(e);
    },
  });
  return (
    <Modal
      opened={!!measurement}
      onClose={onClose}
      title={<Text fw={600}>{t('analysis.title')}</Text>}
      size="lg"
      data-testid="analysis-modal"
    >
      {measurement && (
        <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
          <Stack>
            <Text size="sm">
              {t('analysis.intro', {
                value: valueWithUnit(measurement.value, m.unit),
                date: formatDate(measurement.measuredAt),
                breachAt: valueWithUnit(m.breachAt, m.unit),
              })}
            </Text>
            <ErrorAlert error={error} />
            <Radio.Group label={t('analysis.outcome')} {...form.getInputProps('outcome')}>
              <Stack gap="xs" mt="xs">
                <Radio value="nonconformity" label={t('analysis.outcomes.nonconformity')} data-testid="outcome-nonconformity" />
                <Radio value="opportunity" label={t('analysis.outcomes.opportunity')} />
                <Radio value="no_action" label={t('analysis.outcomes.no_action')} />
              </Stack>
            </Radio.Group>
            {form.values.outcome !== 'no_action' && (
              <TextInput
                label={t('analysis.findingTitle')}
                placeholder={t('analysis.findingTitlePlaceholder', { name: m.name })}
                maxLength={analysisLimits.title}
                {...form.getInputProps('title')}
              />
            )}
            <Textarea
              label={t('analysis.note')}
              withAsterisk
              autosize
              minRows={3}
              maxLength={analysisLimits.note}
              {...form.getInputProps('note')}
              data-testid="analysis-note"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending} data-testid="analysis-save">
                {t(`analysis.submit.${form.values.outcome}`)}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** A measure: its ISO/IEC 27004 definition, the trend against the target, the values, and the analysis of a breach. */
export function MeasureDetailPage() {
  const { t } = useTranslation('measures');
  const { id } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const session = useCurrentSession();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [analysing, setAnalysing] = useState<Measurement | null>(null);
  const measure = useQuery({
    queryKey: ['measure', scopeId, id],
    queryFn: () => api.get<MeasureDetail>(`/api/scopes/${scopeId}/measures/${id}`),
  });
  const values = useQuery({
    queryKey: ['measurements', scopeId, id, page],
    queryFn: () => api.get<Page<Measurement>>(`/api/scopes/${scopeId}/measures/${id}/measurements`, { page, pageSize: 12 }),
    placeholderData: (prev) => prev,
  });
  const listTo = `/s/${scopeId}/measures`;
  if (measure.isPending) return <PageLoader />;
  if (measure.error) return <RecordLoadError title={t('detail.noun')} listLabel={t('list.title')} listTo={listTo} error={measure.error} />;
  const m = measure.data;
  const me = session.user.id;
  const manager = can('measure:manage');
  const mayRecord = m.status === 'active' && m.sourceKind !== 'live' && can('measure:record') && (manager || m.measuredBy?.id === me);
  const mayAnalyse = can('measure:record') && (manager || m.analysedBy?.id === me);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['measurements', scopeId, m.id] });
    void qc.invalidateQueries({ queryKey: ['measure', scopeId, m.id] });
    void qc.invalidateQueries({ queryKey: ['measure-trend', scopeId, m.id] });
    void qc.invalidateQueries({ queryKey: ['measures', scopeId] });
  };

  return (
    <>
      <PageHeader
        title={m.name}
        crumbs={[{ label: t('list.title'), to: listTo }, { label: m.reference }]}
        description={m.informationNeed}
        actions={
          manager && (
            <Button
              variant="default"
              leftSection={<IconPencil size={16} />}
              component={Link}
              to={`${listTo}/${m.id}/edit`}
              data-testid="edit-measure"
            >
              {t('detail.edit')}
            </Button>
          )
        }
      />
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Card withBorder radius="md" p="md">
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              {t('detail.latest')}
            </Text>
            <Group gap="xs" mt={4}>
              <Text fz={26} fw={700}>
                {m.latest ? valueWithUnit(m.latest.value, m.unit) : '—'}
              </Text>
              <TrendArrow m={m} />
            </Group>
            <Group gap="xs">
              <StatusBadge status={m.latest?.status} />
              {m.latest && (
                <Text size="xs" c="dimmed">
                  {formatDate(m.latest.measuredAt)}
                </Text>
              )}
            </Group>
          </Card>
          <Card withBorder radius="md" p="md">
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              {t('detail.target')}
            </Text>
            <Text fz={20} fw={600} mt={4}>
              {t(m.direction === 'higher' ? 'list.atLeast' : 'list.atMost', { value: valueWithUnit(m.target, m.unit) })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('detail.breachAt', { value: valueWithUnit(m.breachAt, m.unit) })}
            </Text>
          </Card>
          <Card withBorder radius="md" p="md">
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              {t('detail.collection')}
            </Text>
            <Text fz={20} fw={600} mt={4}>
              {frequencyLabel(m.collectionFrequency)} · {sourceLabel(m.sourceKind)}
            </Text>
            <Text size="sm" c="dimmed">
              {m.status === 'retired' ? t('detail.retired') : m.nextDueOn ? t('detail.nextDue', { date: formatDate(m.nextDueOn) }) : ''}
            </Text>
          </Card>
        </SimpleGrid>
        <TrendChart m={m} scopeId={scopeId} />
        {mayRecord && <RecordValue m={m} scopeId={scopeId} onDone={refresh} />}
        <Card withBorder radius="md" p={0}>
          <Title order={5} p="md">
            {t('detail.values')}
          </Title>
          {values.error && <ErrorAlert error={values.error} />}
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" data-testid="measurements-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('detail.measuredAt')}</Table.Th>
                  <Table.Th ta="right">{t('detail.value')}</Table.Th>
                  <Table.Th>{t('list.col.status')}</Table.Th>
                  <Table.Th>{t('detail.definition')}</Table.Th>
                  <Table.Th>{t('detail.recorded')}</Table.Th>
                  <Table.Th>{t('detail.analysis')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(values.data?.items ?? []).map((v) => (
                  <Table.Tr key={v.id} data-testid="measurement-row">
                    <Table.Td>
                      <Text size="sm">{formatDateTime(v.measuredAt)}</Text>
                      {v.comment && (
                        <Text size="xs" c="dimmed">
                          {v.comment}
                        </Text>
                      )}
                      {v.evidenceUrl && (
                        <Anchor href={v.evidenceUrl} target="_blank" rel="noreferrer" size="xs">
                          {t('detail.evidence')}
                        </Anchor>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                        {valueWithUnit(v.value, m.unit)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={v.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t('detail.versionN', { n: v.definitionVersion })}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{sourceLabel(v.source)}</Text>
                      <Text size="xs" c="dimmed">
                        {v.recordedBy?.name ?? t('detail.byPraxis')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {v.analysis ? (
                        <Stack gap={2}>
                          <Text size="sm">{t(`analysis.done.${v.analysis.outcome}`)}</Text>
                          {v.analysis.finding && (
                            <Anchor
                              component={Link}
                              to={`/s/${scopeId}/improvement${v.analysis.finding.type === 'nonconformity' ? `/${v.analysis.finding.id}` : ''}`}
                              size="sm"
                            >
                              {v.analysis.finding.ref}
                            </Anchor>
                          )}
                          <Text size="xs" c="dimmed">
                            {v.analysis.note}
                          </Text>
                        </Stack>
                      ) : v.status === 'breach' && mayAnalyse ? (
                        <Group gap="xs">
                          <Button
                            size="compact-sm"
                            variant={v.status === 'breach' ? 'filled' : 'light'}
                            onClick={() => setAnalysing(v)}
                            data-testid="analyse"
                          >
                            {t('analysis.open')}
                          </Button>
                          {v.analysisTask && <Ref>{v.analysisTask.reference}</Ref>}
                        </Group>
                      ) : v.analysisTask ? (
                        <Badge variant="light" color="orange">
                          {t('analysis.waiting', { reference: v.analysisTask.reference })}
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {values.data && values.data.total === 0 && (
            <Text size="sm" c="dimmed" p="md">
              {t('detail.noValues')}
            </Text>
          )}
          {values.data && <ListPager total={values.data.total} of={values.data} page={page} pageSize={12} onPage={setPage} bordered />}
        </Card>
        <Card withBorder radius="md" p="lg">
          <Title order={5} mb="md">
            {t('detail.definitionTitle')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Field label={t('form.object')}>{m.object}</Field>
            <Field label={t('form.attribute')}>{m.attribute}</Field>
            <Field label={t('form.baseMeasures')}>{m.baseMeasures}</Field>
            <Field label={t('form.derivedMeasure')}>{m.derivedMeasure}</Field>
            <Field label={t('form.formula')}>{m.formula}</Field>
            <Field label={t('form.direction')}>{directionLabel(m.direction)}</Field>
            <Field label={t('form.analysisFrequency')}>{frequencyLabel(m.analysisFrequency)}</Field>
            <Field label={t('detail.definitionVersion')}>{t('detail.versionN', { n: m.definitionVersion })}</Field>
            <Field label={t('form.measuredBy')}>
              <OwnerValue owner={m.measuredBy} />
            </Field>
            <Field label={t('form.analysedBy')}>
              <OwnerValue owner={m.analysedBy} />
            </Field>
            <Field label={t('form.reportedBy')}>
              <OwnerValue owner={m.reportedBy} />
            </Field>
            <Field label={t('form.links')}>
              {m.links.length
                ? m.links.map((l) => (
                    <div key={`${l.type}:${l.key}`}>
                      {linkTypeLabel(l.type)}: {l.label}
                    </div>
                  ))
                : null}
            </Field>
          </SimpleGrid>
          {m.versions.length > 1 && (
            <>
              <Title order={6} mt="lg" mb="xs">
                {t('detail.versions')}
              </Title>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('detail.definition')}</Table.Th>
                    <Table.Th>{t('detail.since')}</Table.Th>
                    <Table.Th>{t('form.formula')}</Table.Th>
                    <Table.Th ta="right">{t('detail.target')}</Table.Th>
                    <Table.Th ta="right">{t('form.breachAt')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {m.versions.map((v) => (
                    <Table.Tr key={v.definitionVersion}>
                      <Table.Td>{t('detail.versionN', { n: v.definitionVersion })}</Table.Td>
                      <Table.Td>{formatDate(v.createdAt)}</Table.Td>
                      <Table.Td>{v.formula}</Table.Td>
                      <Table.Td ta="right">{valueWithUnit(v.target, v.unit)}</Table.Td>
                      <Table.Td ta="right">{valueWithUnit(v.breachAt, v.unit)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Card>
      </Stack>
      <AnalyseModal
        m={m}
        measurement={analysing}
        scopeId={scopeId}
        onClose={() => {
          setAnalysing(null);
          refresh();
        }}
      />
    </>
  );
}
