import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import type { TFunction } from 'i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ConflictDialog, UnsavedChangesDialog } from '../../app/ConflictDialog.tsx';
import { FormActions, FormHeader, textLimits, useLeaveGuard } from '../../app/FormParts.tsx';
import { createRiskBody } from '../../../../server/src/processes/risk-assessment/risk.schemas.ts';
import { ApiError, api, type Page } from '../../app/api.ts';
import { formatDate, protectionLabels } from '../../app/labels.ts';
import { useCurrentScope, useMembers } from '../../app/session.ts';
import type { Asset } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageLoader } from '../../app/ui.tsx';
import { ScoreInput, useRiskMethod } from './RiskBits.tsx';
import { useAcceptance, useTreatment } from './RiskTreatment.tsx';
import { useThreats } from './RiskListPage.tsx';
import {
  basisDescriptions,
  basisLabels,
  type CreateRiskInput,
  type ProtectionNeed,
  type RiskBasis,
  type RiskDetail,
  riskStatusLabels,
  suggestImpact,
  threatCategoryLabels,
  type UpdateRiskInput,
} from './risk-types.ts';

const limits = textLimits(createRiskBody.shape);
import { inSentence } from '../../i18n/index.ts';

type Values = {
  title: string;
  description: string;
  assetIds: string[];
  threatId: string | null;
  vulnerability: string;
  consequences: { confidentiality: boolean; integrity: boolean; availability: boolean };
  ownerId: string | null;
  status: RiskDetail['status'];
  inherentLikelihood: number | null;
  inherentImpact: number | null;
  currentLikelihood: number | null;
  currentImpact: number | null;
  targetLikelihood: number | null;
  targetImpact: number | null;
  nextReviewOn: string | null;
};
type Field = keyof Values;

const empty: Values = {
  title: '',
  description: '',
  assetIds: [],
  threatId: null,
  vulnerability: '',
  consequences: { confidentiality: false, integrity: false, availability: false },
  ownerId: null,
  status: 'identified',
  inherentLikelihood: null,
  inherentImpact: null,
  currentLikelihood: null,
  currentImpact: null,
  targetLikelihood: null,
  targetImpact: null,
  nextReviewOn: null,
};
const fields = Object.keys(empty) as Field[];
const fromRisk = (r: RiskDetail): Values => ({
  title: r.title,
  description: r.description,
  assetIds: r.assets.map((a) => a.id),
  threatId: r.threat?.id ?? null,
  vulnerability: r.vulnerability,
  consequences: { ...r.consequences },
  ownerId: r.owner?.id ?? null,
  status: r.status,
  inherentLikelihood: r.inherent.likelihood,
  inherentImpact: r.inherent.impact,
  currentLikelihood: r.current.likelihood,
  currentImpact: r.current.impact,
  targetLikelihood: r.target.likelihood,
  targetImpact: r.target.impact,
  nextReviewOn: r.nextReviewOn,
});
const bases: RiskBasis[] = ['inherent', 'current', 'target'];
const ciaOf = (t: TFunction<'risks'>) =>
  [
    ['confidentiality', t('cia.confidentiality'), t('form.ciaHint.confidentiality')],
    ['integrity', t('cia.integrity'), t('form.ciaHint.integrity')],
    ['availability', t('cia.availability'), t('form.ciaHint.availability')],
  ] as const;
type Needs = { confidentiality: ProtectionNeed; integrity: ProtectionNeed; availability: ProtectionNeed };

/** Identify or edit a risk and score it. A stale edit (409) shows what another user changed and lets the user reload or overwrite. */
export function RiskFormPage() {
  const { t } = useTranslation('risks');
  const cia = ciaOf(t);
  const { id } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const editing = !!id;
  const risk = useQuery({
    queryKey: ['risk', scopeId, id],
    queryFn: () => api.get<RiskDetail>(`/api/scopes/${scopeId}/risks/${id}`),
    enabled: editing,
  });
  const method = useRiskMethod(scopeId);
  const threats = useThreats(scopeId);
  const members = useMembers(scopeId);
  const [conflict, setConflict] = useState<RiskDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [assetSearch, setAssetSearch] = useState('');
  const [debouncedAsset] = useDebouncedValue(assetSearch.trim(), 250);
  /** every asset seen, so chosen assets keep their names and protection needs while the search changes */
  const [known, setKnown] = useState<Map<string, { label: string; needs: Needs }>>(new Map());
  const candidates = useQuery({
    queryKey: ['asset-candidates', scopeId, debouncedAsset],
    queryFn: () => api.get<Page<Asset>>(`/api/scopes/${scopeId}/assets`, { q: debouncedAsset, pageSize: 50, sort: 'name' }),
    placeholderData: (p) => p,
  });

  const form = useForm<Values>({
    initialValues: empty,
    validate: {
      title: (v) => (v.trim() ? null : t('form.titleRequired')),
    },
  });
  const load = (r: RiskDetail) => {
    form.setValues(fromRisk(r));
    form.resetDirty(fromRisk(r));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the record when it arrives, never over the user's edits
  useEffect(() => {
    if (risk.data && !form.isDirty()) load(risk.data);
  }, [risk.data]);
  useEffect(() => {
    const items = [...(risk.data?.assets ?? []), ...(candidates.data?.items ?? [])];
    if (items.length === 0) return;
    setKnown((prev) => {
      const next = new Map(prev);
      for (const a of items)
        next.set(a.id, {
          label: `${a.reference} · ${a.name}`,
          needs: { confidentiality: a.confidentiality, integrity: a.integrity, availability: a.availability },
        });
      return next.size === prev.size ? prev : next;
    });
  }, [risk.data, candidates.data]);

  const dirty = form.isDirty();
  const { blocker, leaving } = useLeaveGuard(dirty);

  const base = risk.data;
  const treatment = useTreatment(scopeId, id ?? '', editing);
  const acceptance = useAcceptance(scopeId, id ?? '', editing);
  /** the status the risk process gives the risk as edited (see server risk-status.ts) */
  const dueStatus: Exclude<Values['status'], 'closed'> =
    acceptance.data?.current?.status === 'effective'
      ? 'accepted'
      : treatment.data && treatment.data.status !== 'draft' && treatment.data.option !== 'retain'
        ? 'treatment'
        : form.values.currentLikelihood !== null && form.values.currentImpact !== null
          ? 'assessed'
          : 'identified';
  const save = async (values: Values, version?: number) => {
    setError(null);
    try {
      let saved: RiskDetail;
      if (editing && base) {
        const changed = Object.fromEntries(fields.filter((k) => form.isDirty(k)).map((k) => [k, values[k]])) as Partial<Values>;
        if (changed.title !== undefined) changed.title = changed.title.trim();
        // reopening asks for the status the risk process gives (ISO 27001 6.1.2, 6.1.3)
        if (changed.status !== undefined && changed.status !== 'closed') changed.status = dueStatus;
        const body: UpdateRiskInput = { ...changed, version: version ?? base.version };
        saved = await api.patch<RiskDetail, UpdateRiskInput>(`/api/scopes/${scopeId}/risks/${id}`, body);
      } else {
        // a new risk's status follows its process (identified, or assessed once its current level is scored)
        const { status: _status, ...rest } = values;
        const body: CreateRiskInput = { ...rest, title: values.title.trim() };
        saved = await api.post<RiskDetail, CreateRiskInput>(`/api/scopes/${scopeId}/risks`, body);
      }
      void qc.invalidateQueries({ queryKey: ['risks', scopeId] });
      void qc.invalidateQueries({ queryKey: ['risk-heatmap', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
      void qc.invalidateQueries({ queryKey: ['tasks', scopeId] });
      qc.setQueryData(['risk', scopeId, saved.id], saved);
      notifySuccess(
        editing
          ? t('form.saved', { reference: saved.reference })
          : t('form.identified', { reference: saved.reference, title: saved.title }),
      );
      leaving.current = true;
      void navigate(`/s/${scopeId}/risks/${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current) setConflict(e.details.current as RiskDetail);
      else if (!applyFieldError(form, e)) setError(e);
    }
  };

  if ((editing && risk.isPending) || method.isPending) return <PageLoader />;
  if (editing && risk.error) return <ErrorAlert error={risk.error} />;
  if (method.error) return <ErrorAlert error={method.error} title={t('form.methodNotLoaded')} />;
  const m = method.data;

  const ownerData = (members.data ?? [])
    .filter((x) => x.status !== 'disabled' || x.userId === base?.owner?.id)
    .map((x) => ({ value: x.userId, label: x.name, email: x.email }));
  if (base?.owner && !ownerData.some((o) => o.value === base.owner?.id))
    ownerData.push({ value: base.owner.id, label: base.owner.name, email: base.owner.email });
  const assetIds = new Set([...(candidates.data?.items ?? []).map((a) => a.id), ...form.values.assetIds]);
  const assetData = [...assetIds].map((value) => ({ value, label: known.get(value)?.label ?? value }));
  const threatList = threats.data?.items ?? [];
  const threatData = Object.entries(threatCategoryLabels)
    .map(([cat, label]) => ({
      group: label,
      items: threatList.filter((t) => t.category === cat).map((t) => ({ value: t.id, label: `${t.code} ${t.title}` })),
    }))
    .filter((g) => g.items.length > 0);
  const chosenThreat = threatList.find((t) => t.id === form.values.threatId);
  const chosenNeeds = form.values.assetIds.map((a) => known.get(a)?.needs).filter((n): n is Needs => !!n);
  const suggested = suggestImpact(m.impact.length, chosenNeeds, form.values.consequences);

  // the conflict dialog: which fields another user changed, readable
  const show = (k: Field, v: Values[Field]): string => {
    if (v === null || v === undefined) return '—';
    if (k === 'ownerId') return ownerData.find((o) => o.value === v)?.label ?? conflict?.owner?.name ?? t('form.conflict.anotherUser');
    if (k === 'threatId') return threatList.find((t) => t.id === v)?.code ?? String(v);
    if (k === 'assetIds') return (v as string[]).map((a) => known.get(a)?.label.split(' · ')[0] ?? a).join(', ') || t('form.conflict.none');
    if (k === 'status') return riskStatusLabels[v as Values['status']];
    if (k === 'consequences')
      return (
        cia
          .filter(([c]) => (v as Values['consequences'])[c])
          .map(([, l]) => l)
          .join(', ') || t('form.conflict.none')
      );
    return String(v) || t('form.conflict.empty');
  };

  const score = (b: RiskBasis) => {
    const lk = `${b}Likelihood` as const;
    const ik = `${b}Impact` as const;
    return (
      <ScoreInput
        key={b}
        method={m}
        label={basisLabels[b]}
        description={basisDescriptions[b]}
        likelihood={form.values[lk]}
        impact={form.values[ik]}
        onChange={(l, i) => {
          form.setFieldValue(lk, l);
          form.setFieldValue(ik, i);
        }}
        suggestedImpact={b === 'target' ? null : suggested}
        errors={{ likelihood: form.errors[lk], impact: form.errors[ik] }}
        testId={`score-${b}`}
      />
    );
  };

  const title = editing ? t('form.editTitle', { title: base?.title ?? '' }) : t('list.new');
  return (
    <>
      <FormHeader
        title={title}
        listLabel={t('list.title')}
        listTo={`/s/${scopeId}/risks`}
        record={editing ? base : undefined}
        newDescription={t('form.newDescription', { scope: scope.name })}
      />
      <form onSubmit={form.onSubmit((v) => save(v))} noValidate data-testid="risk-form">
        <Stack>
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.scenario')}
            </Title>
            <Grid>
              <Grid.Col span={12}>
                <TextInput
                  label={t('form.title')}
                  withAsterisk
                  placeholder={t('form.titlePlaceholder')}
                  data-autofocus
                  maxLength={limits.title}
                  {...form.getInputProps('title')}
                  data-testid="risk-title"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <MultiSelect
                  label={t('form.assets')}
                  description={t('form.assetsHint')}
                  placeholder={form.values.assetIds.length ? undefined : t('form.assetsPlaceholder')}
                  searchable
                  clearable
                  searchValue={assetSearch}
                  onSearchChange={setAssetSearch}
                  data={assetData}
                  filter={({ options: o }) => o}
                  nothingFoundMessage={candidates.isFetching ? t('list.filter.searching') : t('list.filter.noAsset')}
                  hidePickedOptions
                  maxValues={200}
                  {...form.getInputProps('assetIds')}
                  data-testid="risk-assets"
                />
                {chosenNeeds.length > 0 && (
                  <Text size="xs" c="dimmed" mt={4} data-testid="risk-asset-needs">
                    {t('form.highestNeeds')}{' '}
                    {cia
                      .map(([c, l]) => {
                        const top = chosenNeeds.reduce<ProtectionNeed>(
                          (acc, n) =>
                            ['normal', 'high', 'very_high'].indexOf(n[c]) > ['normal', 'high', 'very_high'].indexOf(acc) ? n[c] : acc,
                          'normal',
                        );
                        return `${l} ${inSentence(protectionLabels[top])}`;
                      })
                      .join(' · ')}
                  </Text>
                )}
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label={t('detail.threat')}
                  description={t('form.threatHint')}
                  placeholder={t('form.threatPlaceholder')}
                  clearable
                  searchable
                  data={threatData}
                  nothingFoundMessage={t('list.filter.noThreat')}
                  maxDropdownHeight={320}
                  {...form.getInputProps('threatId')}
                  data-testid="risk-threat"
                />
                {chosenThreat?.description && (
                  <Text size="xs" c="dimmed" mt={4} lineClamp={3}>
                    {chosenThreat.description}
                  </Text>
                )}
                <Anchor component={Link} to={`/s/${scopeId}/risks/threats`} size="xs" mt={4} display="inline-block">
                  {t('form.missingThreat')}
                </Anchor>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Textarea
                  label={t('form.vulnerability')}
                  description={t('form.vulnerabilityHint')}
                  placeholder={t('form.vulnerabilityPlaceholder')}
                  autosize
                  minRows={2}
                  maxRows={8}
                  maxLength={limits.vulnerability}
                  {...form.getInputProps('vulnerability')}
                  data-testid="risk-vulnerability"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Text size="sm" fw={500}>
                  {t('detail.consequences')}
                </Text>
                <Text size="xs" c="dimmed" mb={6}>
                  {t('form.consequencesHint')}
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                  {cia.map(([c, label, hint]) => (
                    <Checkbox
                      key={c}
                      label={label}
                      description={t('form.informationIs', { hint })}
                      checked={form.values.consequences[c]}
                      onChange={(e) => form.setFieldValue(`consequences.${c}`, e.currentTarget.checked)}
                      data-testid={`risk-consequence-${c}`}
                    />
                  ))}
                </SimpleGrid>
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label={t('detail.description')}
                  placeholder={t('form.descriptionPlaceholder')}
                  autosize
                  minRows={3}
                  maxRows={12}
                  maxLength={limits.description}
                  {...form.getInputProps('description')}
                  data-testid="risk-description"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: editing ? 5 : 8 }}>
                <Select
                  label={t('detail.owner')}
                  description={t('form.ownerHint')}
                  placeholder={t('form.noOwner')}
                  clearable
                  searchable
                  nothingFoundMessage={t('form.noMember')}
                  data={ownerData}
                  {...form.getInputProps('ownerId')}
                  data-testid="risk-owner"
                />
              </Grid.Col>
              {editing && (
                <Grid.Col span={{ base: 12, sm: 6, md: 4 }}>
                  <Switch
                    mt={{ base: 0, md: 'lg' }}
                    label={t('status.closed')}
                    description={
                      form.values.status === 'closed'
                        ? t('form.closedHint')
                        : base?.status === 'closed'
                          ? t('form.reopened', { status: inSentence(riskStatusLabels[dueStatus]) })
                          : t('form.closeHint')
                    }
                    checked={form.values.status === 'closed'}
                    onChange={(e) =>
                      form.setFieldValue(
                        'status',
                        e.currentTarget.checked ? 'closed' : base?.status !== 'closed' ? (base?.status ?? dueStatus) : dueStatus,
                      )
                    }
                    error={form.errors.status}
                    data-testid="risk-closed"
                  />
                </Grid.Col>
              )}
              <Grid.Col span={{ base: 12, sm: 6, md: editing ? 3 : 4 }}>
                <DateInput
                  label={t('detail.nextReview')}
                  description={t('form.nextReviewHint')}
                  placeholder={t('form.notPlanned')}
                  clearable
                  valueFormat="D MMM YYYY"
                  value={form.values.nextReviewOn}
                  onChange={(d) => form.setFieldValue('nextReviewOn', d ? d.slice(0, 10) : null)}
                  error={form.errors.nextReviewOn}
                  data-testid="risk-next-review"
                />
              </Grid.Col>
            </Grid>
          </Card>
          <Card withBorder radius="md" p="lg" data-testid="risk-scoring">
            <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
              <div>
                <Title order={5}>{t('form.analysis')}</Title>
                <Text size="xs" c="dimmed">
                  {t('form.analysisHint', { version: m.version })}
                </Text>
              </div>
              <Button variant="subtle" size="compact-sm" component={Link} to={`/s/${scopeId}/risks/method`} target="_blank">
                {t('form.openMethod')}
              </Button>
            </Group>
            {suggested !== null && (
              <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} mb="md" data-testid="impact-suggestion">
                {t('form.suggestion')}{' '}
                <b>
                  {suggested} · {m.impact.find((l) => l.value === suggested)?.label}
                </b>
                .
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
              {bases.map(score)}
            </SimpleGrid>
            {editing && base?.method && base.method.version !== m.version && (
              <Text size="xs" c="dimmed" mt="sm">
                {t('form.olderMethod', { old: base.method.version, date: formatDate(base.assessedAt), version: m.version })}
              </Text>
            )}
          </Card>
          <FormActions
            onCancel={() => navigate(editing ? `/s/${scopeId}/risks/${id}` : `/s/${scopeId}/risks`)}
            saving={form.submitting}
            data-testid="save-risk"
          >
            {editing ? t('form.save') : t('form.identify')}
          </FormActions>
        </Stack>
      </form>

      <ConflictDialog
        conflict={conflict}
        noun={t('form.noun')}
        reference={base?.reference}
        fields={fields}
        original={base ? fromRisk(base) : empty}
        theirs={conflict ? fromRisk(conflict) : empty}
        mine={form.values}
        isDirty={(k) => form.isDirty(k)}
        show={show}
        onClose={() => setConflict(null)}
        onReload={() => {
          const current = conflict;
          setConflict(null);
          if (current) {
            load(current);
            qc.setQueryData(['risk', scopeId, id], current);
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
