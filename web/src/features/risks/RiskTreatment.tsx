import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Divider,
  EmptyState,
  Grid,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  MultiSelect,
  Textarea,
  TextInput,
  ThemeIcon,
  Timeline,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { NumberField, numberLimits, textLimits, todayDay } from '../../app/FormParts.tsx';
import {
  ACCEPTANCE_DEFAULT_DAYS,
  ACCEPTANCE_MAX_DAYS,
  decideTreatmentBody,
  revokeAcceptanceBody,
  saveTreatmentBody,
  signAcceptanceBody,
} from '../../../../server/src/processes/risk-treatment/risk-treatment.schemas.ts';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconCheck,
  IconCircleCheck,
  IconClockHour4,
  IconGavel,
  IconPlus,
  IconShieldCheck,
  IconSignature,
  IconTrash,
  IconX,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type Page } from '../../app/api.ts';
import { formatDate, formatDateTime, options, relativeDay } from '../../app/labels.ts';
import { useCan, useCurrentScope, useCurrentSession, useMembers } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, PageLoader, Ref } from '../../app/ui.tsx';
import i18n, { formatList, formatNumber } from '../../i18n/index.ts';
import type { Catalog, Requirement } from '../catalogs/catalog-types.ts';
import { controlStatusLabels } from '../controls/control-labels.ts';
import type { Control, ControlStatus } from '../controls/control-types.ts';
import { LevelBadge, ScoreInput } from './RiskBits.tsx';
import {
  type Acceptance,
  type AcceptanceOverview,
  acceptanceStateColors,
  acceptanceStateLabels,
  actionStatusLabels,
  type ActionStatus,
  type DecideTreatmentInput,
  type RevokeAcceptanceInput,
  type RiskDetail,
  type RiskMethod,
  type SaveTreatmentInput,
  type SignAcceptanceInput,
  type SignatureRole,
  signatureRoleLabels,
  type Treatment,
  type TreatmentOption,
  treatmentOptionDescriptions,
  treatmentOptionLabels,
  treatmentStatusColors,
  treatmentStatusLabels,
} from './risk-types.ts';

const treatmentLimits = textLimits(saveTreatmentBody.shape);
const actionShape = saveTreatmentBody.shape.actions.unwrap().element.shape;
const actionLimits = textLimits(actionShape);
const actionAmounts = numberLimits(actionShape);
const changeRequestLimits = textLimits(decideTreatmentBody.shape.changeRequests.unwrap().element.shape);
const signLimits = textLimits(signAcceptanceBody.shape);
const revokeLimits = textLimits(revokeAcceptanceBody.shape);
import { inSentence } from '../../i18n/index.ts';

const money = (n: number | null) => formatNumber(n, { maximumFractionDigits: 2 });

export function useTreatment(scopeId: string, riskId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['risk-treatment', scopeId, riskId],
    queryFn: async () => {
      try {
        return await api.get<Treatment>(`/api/scopes/${scopeId}/risks/${riskId}/treatment`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  });
}

export function useAcceptance(scopeId: string, riskId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['risk-acceptance', scopeId, riskId],
    queryFn: () => api.get<AcceptanceOverview>(`/api/scopes/${scopeId}/risks/${riskId}/acceptance`),
  });
}

/** The treatment of a risk (ISO 27001 6.1.3, 8.3) and the acceptance of its residual risk (6.1.3 f). */
export function RiskTreatmentTab({ risk, method }: { risk: RiskDetail; method: RiskMethod | undefined }) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const treatment = useTreatment(scope.id, risk.id);
  const [editing, setEditing] = useState(false);
  const can = useCan();

  let main: ReactNode;
  if (treatment.isPending || !method) main = <PageLoader />;
  else if (treatment.error) main = <ErrorAlert error={treatment.error} title={tr('treatment.loadError')} />;
  else if (editing) main = <TreatmentEditor risk={risk} method={method} treatment={treatment.data} onDone={() => setEditing(false)} />;
  else if (treatment.data === null)
    main = (
      <Card withBorder radius="md" p="lg" data-testid="treatment-empty">
        <EmptyState
          py="lg"
          icon={<IconShieldCheck size={32} />}
          withIndicatorBackground
          title={tr('treatment.none')}
          description={
            risk.current.level
              ? tr('treatment.noneHint', { level: inSentence(risk.current.level.label) })
              : tr('treatment.noneHintUnscored')
          }
        >
          {can('treatment:write') && (
            <EmptyState.Actions>
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(true)} data-testid="start-treatment">
                {tr('treatment.plan')}
              </Button>
            </EmptyState.Actions>
          )}
        </EmptyState>
      </Card>
    );
  else main = <TreatmentView risk={risk} method={method} treatment={treatment.data} onEdit={() => setEditing(true)} />;

  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: 8 }}>{main}</Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <AcceptancePanel risk={risk} />
      </Grid.Col>
    </Grid>
  );
}

// ---------------------------------------------------------------- the treatment, read-only

function TreatmentView({
  risk,
  method,
  treatment: t,
  onEdit,
}: {
  risk: RiskDetail;
  method: RiskMethod;
  treatment: Treatment;
  onEdit: () => void;
}) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const can = useCan();
  const [deciding, setDeciding] = useState(false);
  return (
    <Card withBorder radius="md" p="lg" data-testid="treatment-view">
      <Group justify="space-between" align="flex-start" wrap="wrap" mb="md">
        <div>
          <Group gap="xs">
            <Title order={5}>{tr('treatment.title')}</Title>
            <Ref>{t.reference}</Ref>
            <Badge color={treatmentStatusColors[t.status]} variant="light" data-testid="treatment-status" data-status={t.status}>
              {treatmentStatusLabels[t.status]}
            </Badge>
          </Group>
          {t.decidedAt && (
            <Text size="xs" c="dimmed">
              {t.decidedBy
                ? tr('treatment.decidedBy', { date: formatDateTime(t.decidedAt), name: t.decidedBy.name })
                : tr('treatment.decided', { date: formatDateTime(t.decidedAt) })}
            </Text>
          )}
        </div>
        {can('treatment:write') && (
          <Group gap="xs">
            <Button variant="default" onClick={onEdit} data-testid="edit-treatment">
              {tr('treatment.edit')}
            </Button>
            {t.status === 'draft' && (
              <Button leftSection={<IconGavel size={16} />} onClick={() => setDeciding(true)} data-testid="decide-treatment">
                {tr('treatment.decide')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Stack gap="md">
        <div>
          <Text size="sm" fw={600}>
            {tr('treatment.optionLabel')}{' '}
            <Text span fw={600} c="praxis.8" data-testid="treatment-option" data-option={t.option}>
              {treatmentOptionLabels[t.option]}
            </Text>
          </Text>
          <Text size="xs" c="dimmed">
            {treatmentOptionDescriptions[t.option]}
          </Text>
          {t.rationale && (
            <Text size="sm" mt={6} style={{ whiteSpace: 'pre-wrap' }}>
              {t.rationale}
            </Text>
          )}
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            {tr('treatment.objectives')}
          </Text>
          {t.objectives.length === 0 ? (
            <Text size="sm" c="dimmed">
              {tr('treatment.noneWritten')}
            </Text>
          ) : (
            <Stack gap={2} data-testid="treatment-objectives">
              {t.objectives.map((o) => (
                <Text key={o} size="sm">
                  • {o}
                </Text>
              ))}
            </Stack>
          )}
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            {tr('treatment.controlsCount', { count: t.controls.length })}
          </Text>
          {t.controls.length === 0 ? (
            <Text size="sm" c="dimmed">
              {tr('treatment.noControl')}
            </Text>
          ) : (
            <Stack gap={4} data-testid="treatment-controls">
              {t.controls.map((c) => (
                <Group key={c.control?.id ?? c.requirement?.id} gap="xs" wrap="nowrap">
                  {c.control ? (
                    <>
                      <Ref>{c.control.reference}</Ref>
                      <Anchor component={Link} to={`/s/${scope.id}/controls/${c.control.id}`} size="sm">
                        {c.control.title}
                      </Anchor>
                      <Badge size="xs" variant="light" color="gray">
                        {controlStatusLabels[c.control.status as ControlStatus] ?? c.control.status}
                      </Badge>
                    </>
                  ) : (
                    <Text size="sm">
                      <Ref>{c.requirement?.identifier}</Ref> {c.requirement?.title}
                    </Text>
                  )}
                  {c.control && c.requirement && (
                    <Text size="xs" c="dimmed" truncate>
                      {c.requirement.catalogTitle} {c.requirement.identifier}
                    </Text>
                  )}
                </Group>
              ))}
            </Stack>
          )}
        </div>
        <div>
          <Group justify="space-between">
            <Text size="sm" fw={600} mb={4}>
              {tr('treatment.planCount', { count: t.actions.length })}
            </Text>
            {t.costTotal > 0 && (
              <Text size="xs" c="dimmed">
                {tr('treatment.estimatedCost', { cost: money(t.costTotal) })}
              </Text>
            )}
          </Group>
          {t.actions.length === 0 ? (
            <Text size="sm" c="dimmed">
              {tr('treatment.noAction')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={520}>
              <Table verticalSpacing={4} fz="sm" data-testid="treatment-actions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{tr('treatment.col.action')}</Table.Th>
                    <Table.Th>{tr('list.col.owner')}</Table.Th>
                    <Table.Th>{tr('treatment.col.due')}</Table.Th>
                    <Table.Th>{tr('treatment.col.cost')}</Table.Th>
                    <Table.Th>{tr('list.col.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {t.actions.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td>{a.title}</Table.Td>
                      <Table.Td>{a.owner?.name ?? '—'}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(a.dueOn)}</Table.Td>
                      <Table.Td>{money(a.costEstimate)}</Table.Td>
                      <Table.Td>{actionStatusLabels[a.status]}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            {tr('treatment.target')}
          </Text>
          <Group gap="xs" data-testid="treatment-target">
            <LevelBadge level={t.risk.target.level} />
            {t.risk.target.likelihood !== null && t.risk.target.impact !== null ? (
              <Text size="xs" c="dimmed">
                {tr('detail.scoreLine', {
                  likelihood: t.risk.target.likelihood,
                  likelihoodLabel: method.likelihood.find((l) => l.value === t.risk.target.likelihood)?.label,
                  impact: t.risk.target.impact,
                  impactLabel: method.impact.find((l) => l.value === t.risk.target.impact)?.label,
                })}
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                {tr('treatment.notSet')}
              </Text>
            )}
          </Group>
        </div>
        {(t.tasks.length > 0 || t.changeRequests.length > 0) && (
          <>
            <Divider />
            <div>
              <Text size="sm" fw={600} mb={4}>
                {tr('treatment.handedOff')}
              </Text>
              <Stack gap={4} data-testid="treatment-handoffs">
                {t.tasks.map((k) => (
                  <Group key={k.id} gap="xs" wrap="nowrap">
                    <Ref>{k.reference}</Ref>
                    <Text size="sm" truncate>
                      {k.title}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {k.assignee?.name ?? tr('treatment.unassigned')}
                      {k.dueOn && ` · ${tr('treatment.due', { date: formatDate(k.dueOn) })}`}
                    </Text>
                  </Group>
                ))}
                {t.changeRequests.map((c) => (
                  <Group key={c.id} gap="xs" wrap="nowrap">
                    <Ref>{c.reference}</Ref>
                    <Anchor component={Link} to={`/s/${scope.id}/changes/${c.id}`} size="sm">
                      {c.title}
                    </Anchor>
                    <Badge size="xs" variant="light" color="gray">
                      {tr('treatment.changeRequest')}
                    </Badge>
                  </Group>
                ))}
              </Stack>
            </div>
          </>
        )}
      </Stack>
      <DecideModal opened={deciding} onClose={() => setDeciding(false)} risk={risk} treatment={t} />
    </Card>
  );
}

function DecideModal({
  opened,
  onClose,
  risk,
  treatment,
}: {
  opened: boolean;
  onClose: () => void;
  risk: RiskDetail;
  treatment: Treatment;
}) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const [changes, setChanges] = useState<{ title: string; description: string; documentIds: string[]; controlIds: string[] }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // what a request for change may name: the scope's documents (not retired) and its controls
  type Named = { id: string; reference: string; title: string; status: string };
  const documents = useQuery({
    queryKey: ['documents', scope.id, { pageSize: 200, for: 'change-targets' }],
    queryFn: () => api.get<Page<Named>>(`/api/scopes/${scope.id}/documents`, { pageSize: 200 }),
    enabled: opened,
  });
  const controls = useQuery({
    queryKey: ['controls', scope.id, { pageSize: 200, for: 'change-targets' }],
    queryFn: () => api.get<Page<Named>>(`/api/scopes/${scope.id}/controls`, { pageSize: 200 }),
    enabled: opened,
  });
  const documentData = (documents.data?.items ?? [])
    .filter((d) => d.status === 'draft' || d.status === 'published')
    .map((d) => ({ value: d.id, label: `${d.reference} ${d.title}` }));
  const controlData = (controls.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.reference} ${c.title}` }));
  // a new request names the treatment's own controls to begin with
  const treatmentControls = treatment.controls.flatMap((c) => (c.control ? [c.control.id] : []));
  const decide = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: DecideTreatmentInput = {
        version: treatment.version,
        changeRequests: changes
          .filter((c) => c.title.trim())
          .map((c) => ({ title: c.title.trim(), description: c.description, documentIds: c.documentIds, controlIds: c.controlIds })),
      };
      const saved = await api.post<Treatment, DecideTreatmentInput>(`/api/scopes/${scope.id}/risks/${risk.id}/treatment/decide`, body);
      qc.setQueryData(['risk-treatment', scope.id, risk.id], saved);
      for (const k of ['risk', 'risks', 'risk-heatmap', 'risk-acceptance', 'tasks', 'my-tasks', 'controls', 'changes', 'audit'])
        void qc.invalidateQueries({ queryKey: k === 'my-tasks' ? [k] : [k, scope.id] });
      notifySuccess(
        tr('decide.handedOff', {
          tasks: tr('decide.tasks', { count: saved.tasks.length }),
          changes: tr('decide.changes', { count: saved.changeRequests.length }),
        }),
        tr('decide.done', { reference: risk.reference }),
      );
      setChanges([]);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        void qc.invalidateQueries({ queryKey: ['risk-treatment', scope.id, risk.id] });
        setError(new Error(tr('decide.conflict')));
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{tr('decide.title', { reference: risk.reference })}</Text>}
      size="lg"
      centered
      data-testid="decide-dialog"
    >
      <Stack>
        <Text size="sm">
          {tr('decide.commits', {
            option: treatmentOptionLabels[treatment.option],
            controls: tr('decide.controls', { count: treatment.controls.length }),
            actions: tr('decide.actions', { count: treatment.actions.length }),
          })}
        </Text>
        <div>
          <Text size="sm" fw={500}>
            {tr('decide.requests')}
          </Text>
          <Text size="xs" c="dimmed" mb="xs">
            {tr('decide.requestsHint')}
          </Text>
          <Stack gap="xs">
            {changes.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows edited in place
              <Group key={i} align="flex-start" wrap="nowrap" gap="xs">
                <Stack gap={4} style={{ flex: 1 }}>
                  <TextInput
                    placeholder={tr('decide.changeTitlePlaceholder')}
                    aria-label={tr('decide.changeTitle')}
                    maxLength={changeRequestLimits.title}
                    value={c.title}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setChanges((p) => p.map((x, j) => (j === i ? { ...x, title: v } : x)));
                    }}
                    data-testid="decide-change-title"
                  />
                  <Textarea
                    placeholder={tr('decide.changeDescriptionPlaceholder')}
                    aria-label={tr('decide.changeDescription')}
                    autosize
                    minRows={1}
                    maxLength={changeRequestLimits.description}
                    value={c.description}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setChanges((p) => p.map((x, j) => (j === i ? { ...x, description: v } : x)));
                    }}
                  />
                  <MultiSelect
                    label={tr('decide.changeDocuments')}
                    placeholder={tr('decide.changeDocumentsPlaceholder')}
                    data={documentData}
                    value={c.documentIds}
                    onChange={(v) => setChanges((p) => p.map((x, j) => (j === i ? { ...x, documentIds: v } : x)))}
                    searchable
                    nothingFoundMessage={tr('decide.nothingFound')}
                    data-testid="decide-change-documents"
                  />
                  <MultiSelect
                    label={tr('decide.changeControls')}
                    placeholder={tr('decide.changeControlsPlaceholder')}
                    data={controlData}
                    value={c.controlIds}
                    onChange={(v) => setChanges((p) => p.map((x, j) => (j === i ? { ...x, controlIds: v } : x)))}
                    searchable
                    nothingFoundMessage={tr('decide.nothingFound')}
                    error={
                      c.title.trim() && c.documentIds.length === 0 && c.controlIds.length === 0 ? tr('decide.targetNeeded') : undefined
                    }
                    data-testid="decide-change-controls"
                  />
                </Stack>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={tr('decide.remove')}
                  onClick={() => setChanges((p) => p.filter((_, j) => j !== i))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconPlus size={14} />}
              onClick={() => setChanges((p) => [...p, { title: '', description: '', documentIds: [], controlIds: treatmentControls }])}
              style={{ alignSelf: 'flex-start' }}
              data-testid="decide-add-change"
            >
              {tr('decide.addRequest')}
            </Button>
          </Stack>
        </div>
        <ErrorAlert error={error} title={tr('decide.notDecided')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {tr('common:actions.cancel')}
          </Button>
          <Button leftSection={<IconGavel size={16} />} loading={busy} onClick={decide} data-testid="decide-confirm">
            {tr('treatment.decide')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

// ---------------------------------------------------------------- editing the treatment

type PickedControl = { key: string; controlId?: string; requirementId?: string; ownerId: string | null; label: string; sub: string };
type ActionRow = {
  id?: string;
  title: string;
  ownerId: string | null;
  dueOn: string | null;
  costEstimate: number | null;
  status: ActionStatus;
};

function pickedFrom(t: Treatment | null): PickedControl[] {
  return (t?.controls ?? []).map((c) =>
    c.control
      ? {
          key: `c:${c.control.id}`,
          controlId: c.control.id,
          ownerId: null,
          label: `${c.control.reference} ${c.control.title}`,
          sub: i18n.t('risks:picker.library'),
        }
      : {
          key: `r:${c.requirement?.id}`,
          requirementId: c.requirement?.id,
          ownerId: null,
          label: `${c.requirement?.identifier} ${c.requirement?.title}`,
          sub: c.requirement?.catalogTitle ?? i18n.t('risks:picker.catalog'),
        },
  );
}

function TreatmentEditor({
  risk,
  method,
  treatment: t,
  onDone,
}: {
  risk: RiskDetail;
  method: RiskMethod;
  treatment: Treatment | null;
  onDone: () => void;
}) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const members = useMembers(scope.id);
  const memberData = (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));
  const [option, setOption] = useState<TreatmentOption>(t?.option ?? 'modify');
  const [rationale, setRationale] = useState(t?.rationale ?? '');
  const [objectives, setObjectives] = useState<string[]>(t?.objectives.length ? t.objectives : ['']);
  const [controls, setControls] = useState<PickedControl[]>(() => pickedFrom(t));
  const [actions, setActions] = useState<ActionRow[]>(
    () =>
      t?.actions.map((a) => ({
        id: a.id,
        title: a.title,
        ownerId: a.owner?.id ?? null,
        dueOn: a.dueOn,
        costEstimate: a.costEstimate,
        status: a.status,
      })) ?? [],
  );
  const [target, setTarget] = useState<{ l: number | null; i: number | null }>({ l: risk.target.likelihood, i: risk.target.impact });
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState(false);

  const save = async (version = t?.version ?? 0) => {
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      const body: SaveTreatmentInput = {
        version,
        option,
        rationale,
        objectives: objectives.map((o) => o.trim()).filter(Boolean),
        controls: controls.map((c) => (c.controlId ? { controlId: c.controlId } : { requirementId: c.requirementId!, ownerId: c.ownerId })),
        actions: actions.map((a) => ({
          ...(a.id && { id: a.id }),
          title: a.title.trim(),
          ownerId: a.ownerId,
          dueOn: a.dueOn,
          costEstimate: a.costEstimate,
          status: a.status,
        })),
        targetLikelihood: target.l,
        targetImpact: target.i,
      };
      const saved = await api.put<Treatment, SaveTreatmentInput>(`/api/scopes/${scope.id}/risks/${risk.id}/treatment`, body);
      qc.setQueryData(['risk-treatment', scope.id, risk.id], saved);
      for (const k of ['risk', 'risks', 'risk-heatmap', 'risk-acceptance', 'audit']) void qc.invalidateQueries({ queryKey: [k, scope.id] });
      notifySuccess(tr('form.saved', { reference: saved.reference }), tr('treatment.saved'));
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') setConflict(true);
      else if (e instanceof ApiError && e.formField) setFieldError({ field: e.formField, message: e.fieldMessage });
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const errorFor = (prefix: string) =>
    fieldError && (fieldError.field === prefix || fieldError.field.startsWith(`${prefix}.`)) ? fieldError.message : undefined;

  return (
    <Card withBorder radius="md" p="lg" data-testid="treatment-form">
      <Title order={5} mb="md">
        {t ? tr('treatment.editTitle', { reference: t.reference }) : tr('treatment.plan')}
      </Title>
      <Stack gap="lg">
        <div>
          <Text size="sm" fw={500} mb={4}>
            {tr('treatment.option')}
          </Text>
          <SegmentedControl
            fullWidth
            value={option}
            onChange={(v) => setOption(v as TreatmentOption)}
            data={options(treatmentOptionLabels)}
            data-testid="treatment-option-input"
          />
          <Text size="xs" c="dimmed" mt={4}>
            {tr('treatment.optionHint', { description: treatmentOptionDescriptions[option] })}
          </Text>
        </div>
        <Textarea
          label={tr('treatment.rationale')}
          description={tr('treatment.rationaleHint')}
          autosize
          minRows={2}
          maxRows={10}
          maxLength={treatmentLimits.rationale}
          value={rationale}
          onChange={(e) => setRationale(e.currentTarget.value)}
          error={errorFor('rationale')}
          data-testid="treatment-rationale"
        />
        <div>
          <Text size="sm" fw={500}>
            {tr('treatment.objectives')}
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            {tr('treatment.objectivesHint')}
          </Text>
          <Stack gap="xs">
            {objectives.map((o, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows edited in place
              <Group key={i} gap="xs" wrap="nowrap">
                <TextInput
                  style={{ flex: 1 }}
                  value={o}
                  maxLength={treatmentLimits.objectives}
                  placeholder={tr('treatment.objectivePlaceholder')}
                  aria-label={tr('treatment.objectiveN', { n: i + 1 })}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setObjectives((p) => p.map((x, j) => (j === i ? v : x)));
                  }}
                  error={errorFor(`objectives.${i}`)}
                  data-testid="treatment-objective"
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={tr('treatment.removeObjective')}
                  onClick={() => setObjectives((p) => p.filter((_, j) => j !== i))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconPlus size={14} />}
              style={{ alignSelf: 'flex-start' }}
              onClick={() => setObjectives((p) => [...p, ''])}
              data-testid="add-objective"
            >
              {tr('treatment.addObjective')}
            </Button>
          </Stack>
        </div>
        <ControlPicker controls={controls} setControls={setControls} memberData={memberData} error={errorFor('controls')} />
        <div>
          <Text size="sm" fw={500}>
            {tr('treatment.planActions')}
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            {tr('treatment.planActionsHint')}
          </Text>
          <Stack gap="sm">
            {actions.map((a, i) => {
              const update = (patch: Partial<ActionRow>) => setActions((p) => p.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <Card key={a.id ?? `new-${i}`} withBorder radius="sm" p="sm" data-testid="treatment-action">
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    <TextInput
                      style={{ flex: 1 }}
                      placeholder={tr('treatment.actionPlaceholder')}
                      aria-label={tr('treatment.col.action')}
                      maxLength={actionLimits.title}
                      value={a.title}
                      onChange={(e) => update({ title: e.currentTarget.value })}
                      error={errorFor(`actions.${i}.title`) ?? errorFor(`actions.${i}`)}
                      data-testid="treatment-action-title"
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      mt={4}
                      aria-label={tr('treatment.removeAction')}
                      onClick={() => setActions((p) => p.filter((_, j) => j !== i))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                  <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" mt="xs">
                    <Select
                      size="xs"
                      label={tr('list.col.owner')}
                      placeholder={tr('detail.owner')}
                      clearable
                      searchable
                      data={memberData}
                      value={a.ownerId}
                      onChange={(v) => update({ ownerId: v })}
                      data-testid="treatment-action-owner"
                    />
                    <DateInput
                      size="xs"
                      label={tr('treatment.col.due')}
                      placeholder={tr('treatment.noDate')}
                      clearable
                      valueFormat="D MMM YYYY"
                      // a new action is due no earlier than today, the day it is planned (the server's bound)
                      minDate={a.id ? undefined : todayDay()}
                      value={a.dueOn}
                      onChange={(d) => update({ dueOn: d ? d.slice(0, 10) : null })}
                      error={errorFor(`actions.${i}.dueOn`)}
                      data-testid="treatment-action-due"
                    />
                    <NumberField
                      size="xs"
                      label={tr('treatment.costEstimate')}
                      placeholder="—"
                      {...actionAmounts.costEstimate}
                      thousandGrouping
                      value={a.costEstimate ?? ''}
                      onChange={(v) => update({ costEstimate: typeof v === 'number' ? v : null })}
                      error={errorFor(`actions.${i}.costEstimate`)}
                      data-testid="treatment-action-cost"
                    />
                    <Select
                      size="xs"
                      label={tr('list.col.status')}
                      allowDeselect={false}
                      data={options(actionStatusLabels)}
                      value={a.status}
                      onChange={(v) => v && update({ status: v as ActionStatus })}
                    />
                  </SimpleGrid>
                </Card>
              );
            })}
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconPlus size={14} />}
              style={{ alignSelf: 'flex-start' }}
              onClick={() =>
                setActions((p) => [...p, { title: '', ownerId: risk.owner?.id ?? null, dueOn: null, costEstimate: null, status: 'open' }])
              }
              data-testid="add-action"
            >
              {tr('treatment.addAction')}
            </Button>
          </Stack>
        </div>
        <ScoreInput
          method={method}
          label={tr('treatment.target')}
          description={tr('treatment.targetHint')}
          likelihood={target.l}
          impact={target.i}
          onChange={(l, i) => setTarget({ l, i })}
          errors={{ likelihood: errorFor('targetLikelihood'), impact: errorFor('targetImpact') }}
          testId="treatment-target-score"
        />
        {fieldError &&
          !['rationale', 'objectives', 'controls', 'actions', 'targetLikelihood', 'targetImpact'].some((f) =>
            fieldError.field.startsWith(f),
          ) && (
            <Alert color="red" variant="light">
              {fieldError.message}
            </Alert>
          )}
        <ErrorAlert error={error} title={tr('common:errors.notSaved')} />
        {conflict && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={tr('treatment.conflictTitle')}
            data-testid="treatment-conflict"
          >
            <Text size="sm" mb="xs">
              {tr('treatment.conflictText')}
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setConflict(false);
                  void qc.invalidateQueries({ queryKey: ['risk-treatment', scope.id, risk.id] });
                  onDone();
                }}
              >
                {tr('common:actions.reloadTheirs')}
              </Button>
              <Button
                size="xs"
                color="orange"
                onClick={async () => {
                  setConflict(false);
                  const current = await qc.fetchQuery({
                    queryKey: ['risk-treatment', scope.id, risk.id],
                    queryFn: () => api.get<Treatment>(`/api/scopes/${scope.id}/risks/${risk.id}/treatment`),
                  });
                  void save(current.version);
                }}
              >
                {tr('treatment.overwrite')}
              </Button>
            </Group>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {tr('common:actions.cancel')}
          </Button>
          <Button loading={busy} onClick={() => save()} data-testid="save-treatment">
            {tr('treatment.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Controls for the treatment: from the scope's control library, or a requirement searched in a catalog. */
function ControlPicker({
  controls,
  setControls,
  memberData,
  error,
}: {
  controls: PickedControl[];
  setControls: (f: (p: PickedControl[]) => PickedControl[]) => void;
  memberData: { value: string; label: string }[];
  error?: string;
}) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const can = useCan();
  const [source, setSource] = useState<'library' | 'catalog'>('library');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [catalogId, setCatalogId] = useState<string | null>(null);
  const library = useQuery({
    queryKey: ['controls', scope.id, 'pick', debounced],
    queryFn: () => api.get<Page<Control>>(`/api/scopes/${scope.id}/controls`, { q: debounced || undefined, pageSize: 30 }),
    enabled: source === 'library' && can('control:read'),
    placeholderData: (p) => p,
  });
  const catalogs = useQuery({
    queryKey: ['catalogs', scope.id],
    queryFn: async () => {
      const r = await api.get<Catalog[] | { items: Catalog[] }>(`/api/scopes/${scope.id}/catalogs`);
      return Array.isArray(r) ? r : r.items;
    },
    enabled: source === 'catalog' && can('catalog:read'),
  });
  const chosenCatalog = catalogId ?? catalogs.data?.[0]?.id ?? null;
  const requirements = useQuery({
    queryKey: ['catalog-requirements', scope.id, chosenCatalog, 'pick', debounced],
    queryFn: () =>
      api.get<Page<Requirement>>(`/api/scopes/${scope.id}/catalogs/${chosenCatalog}/requirements`, {
        q: debounced || undefined,
        kind: 'control',
        withdrawn: 'false',
        pageSize: 30,
      }),
    enabled: source === 'catalog' && !!chosenCatalog,
    placeholderData: (p) => p,
  });
  const picked = new Set(controls.map((c) => c.key));
  const candidates =
    source === 'library'
      ? (library.data?.items ?? []).map((c) => ({
          value: `c:${c.id}`,
          label: `${c.reference} ${c.title}`,
          sub: tr('picker.library'),
          id: c.id,
        }))
      : (requirements.data?.items ?? []).map((r) => ({
          value: `r:${r.id}`,
          label: `${r.label || r.identifier} ${r.title}`,
          sub: catalogs.data?.find((c) => c.id === r.catalogId)?.title ?? tr('picker.catalog'),
          id: r.id,
        }));
  const loadError = source === 'library' ? library.error : (catalogs.error ?? requirements.error);
  const add = (value: string | null) => {
    const c = candidates.find((x) => x.value === value);
    if (!c || picked.has(c.value)) return;
    setControls((p) => [
      ...p,
      source === 'library'
        ? { key: c.value, controlId: c.id, ownerId: null, label: c.label, sub: c.sub }
        : { key: c.value, requirementId: c.id, ownerId: null, label: c.label, sub: c.sub },
    ]);
    setSearch('');
  };
  return (
    <div data-testid="treatment-controls-input">
      <Text size="sm" fw={500}>
        {tr('picker.controls')}
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        {tr('picker.hint')}
      </Text>
      {error && (
        <Text size="xs" c="red" mb={6}>
          {error}
        </Text>
      )}
      <Stack gap={6} mb="xs">
        {controls.map((c) => (
          <Group key={c.key} gap="xs" wrap="nowrap" align="flex-start" data-testid="treatment-control">
            <ThemeIcon size="sm" variant="light" color={c.controlId ? 'praxis' : 'grape'} mt={2}>
              <IconShieldCheck size={14} />
            </ThemeIcon>
            <div style={{ flex: 1, minWidth: 0 }}>
              <Text size="sm">{c.label}</Text>
              <Text size="xs" c="dimmed">
                {c.sub}
                {c.requirementId && ` · ${tr('picker.createdOnDecide')}`}
              </Text>
              {c.requirementId && (
                <Select
                  size="xs"
                  mt={4}
                  w={220}
                  placeholder={tr('picker.newControlOwner')}
                  clearable
                  searchable
                  data={memberData}
                  value={c.ownerId}
                  aria-label={tr('picker.newControlOwnerLabel')}
                  onChange={(v) => setControls((p) => p.map((x) => (x.key === c.key ? { ...x, ownerId: v } : x)))}
                />
              )}
            </div>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={tr('picker.remove')}
              onClick={() => setControls((p) => p.filter((x) => x.key !== c.key))}
            >
              <IconX size={16} />
            </ActionIcon>
          </Group>
        ))}
      </Stack>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={source}
          onChange={(v) => {
            setSource(v as 'library' | 'catalog');
            setSearch('');
          }}
          data={[
            { value: 'library', label: tr('picker.library') },
            { value: 'catalog', label: tr('picker.catalog') },
          ]}
          data-testid="control-source"
        />
        {source === 'catalog' && (
          <Select
            size="xs"
            w={200}
            placeholder={tr('picker.catalog')}
            data={(catalogs.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
            value={chosenCatalog}
            onChange={setCatalogId}
            allowDeselect={false}
            aria-label={tr('picker.catalog')}
            data-testid="control-catalog"
          />
        )}
        <Select
          size="xs"
          style={{ flex: '1 1 220px' }}
          placeholder={source === 'library' ? tr('picker.searchLibrary') : tr('picker.searchCatalog')}
          searchable
          value={null}
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: o }) => o}
          data={candidates.filter((c) => !picked.has(c.value)).map((c) => ({ value: c.value, label: c.label }))}
          onChange={add}
          nothingFoundMessage={
            (source === 'library' ? library.isFetching : requirements.isFetching)
              ? tr('list.filter.searching')
              : source === 'catalog' && catalogs.data?.length === 0
                ? tr('picker.noCatalog')
                : tr('picker.nothing')
          }
          aria-label={tr('picker.add')}
          data-testid="control-search"
        />
      </Group>
      {loadError && (
        <Text size="xs" c="red" mt={4}>
          {loadError instanceof Error ? loadError.message : tr('picker.couldNotSearch')}
        </Text>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- residual-risk acceptance

function inDays(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Who must still sign an acceptance, and which of those roles the current user holds. */
function missingRoles(a: Acceptance | null, myRoles: readonly SignatureRole[]) {
  if (a?.status !== 'pending') return { missing: [] as SignatureRole[], mine: [] as SignatureRole[] };
  const signed = new Set(a.signatures.map((s) => s.role));
  const missing = a.requiredRoles.filter((r) => !signed.has(r));
  return { missing, mine: missing.filter((r) => myRoles.includes(r)) };
}

function SignatureList({ acceptance: a, testId }: { acceptance: Acceptance; testId: string }) {
  const { t: tr } = useTranslation('risks');
  return (
    <Stack gap={6} data-testid={testId}>
      {a.requiredRoles.map((role) => {
        const s = a.signatures.find((x) => x.role === role);
        return (
          <Group key={role} gap="xs" wrap="nowrap" align="flex-start" data-testid="acceptance-signature" data-role={role} data-signed={!!s}>
            <ThemeIcon size="sm" radius="xl" variant="light" color={s ? 'teal' : 'gray'}>
              {s ? <IconCheck size={14} /> : <IconClockHour4 size={14} />}
            </ThemeIcon>
            <div style={{ minWidth: 0 }}>
              <Text size="sm">
                {signatureRoleLabels[role]}: {s ? s.signer.name : tr('acceptance.notSigned')}
              </Text>
              {s && (
                <Text size="xs" c="dimmed">
                  {formatDateTime(s.signedAt)} · “{s.justification}”
                </Text>
              )}
            </div>
          </Group>
        );
      })}
    </Stack>
  );
}

type SignTarget = { kind: 'new' } | { kind: 'sign'; acceptance: Acceptance };

/** Sign-off of the residual risk by the risk owner or management, as the acceptance criteria require (ISO 27001 6.1.3 f). */
function AcceptancePanel({ risk }: { risk: RiskDetail }) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const session = useCurrentSession();
  const can = useCan();
  const qc = useQueryClient();
  const overview = useAcceptance(scope.id, risk.id);
  const [signing, setSigning] = useState<SignTarget | null>(null);
  const [revoking, setRevoking] = useState<Acceptance | null>(null);

  if (overview.isPending) return <PageLoader />;
  if (overview.error)
    return (
      <Card withBorder radius="md" p="lg">
        <Title order={5} mb="sm">
          {tr('acceptance.title')}
        </Title>
        <ErrorAlert error={overview.error} />
      </Card>
    );
  const o = overview.data;
  const cur = o.current;
  const renewal = o.renewal;
  const isOwner = !!o.riskOwner && o.riskOwner.id === session.user.id;
  const myRoles: SignatureRole[] = [
    ...(isOwner ? (['risk_owner'] as const) : []),
    ...(can('risk:accept') ? (['management'] as const) : []),
  ];
  const pendingCur = missingRoles(cur, myRoles);
  const pendingRenewal = missingRoles(renewal, myRoles);
  const eligible = (['current', 'target'] as const).filter((b) => o.eligibility[b].acceptableBy !== null);
  const canStart = !cur && eligible.length > 0 && myRoles.length > 0;
  const canRenew = !!cur && cur.state === 'expiring' && !renewal && myRoles.length > 0;
  const refresh = () => {
    for (const k of ['risk-acceptance', 'risk', 'risks', 'risk-heatmap', 'audit', 'tasks'])
      void qc.invalidateQueries({ queryKey: [k, scope.id] });
    void qc.invalidateQueries({ queryKey: ['my-tasks'] });
  };
  const earlier = o.history.filter((h) => h.id !== cur?.id && h.id !== renewal?.id);

  return (
    <Card withBorder radius="md" p="lg" data-testid="acceptance-panel">
      <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
        <Title order={5}>{tr('acceptance.title')}</Title>
        {cur && (
          <Badge color={acceptanceStateColors[cur.state]} variant="light" data-testid="acceptance-state" data-state={cur.state}>
            {acceptanceStateLabels[cur.state]}
          </Badge>
        )}
      </Group>
      {cur ? (
        <Stack gap="xs">
          <Group gap="xs">
            <Ref>{cur.reference}</Ref>
            <Text size="sm">
              {cur.basis === 'target' ? tr('list.col.target') : tr('list.col.current')} {tr('acceptance.level')} <b>{cur.level.label}</b> (L
              {cur.likelihood} × I{cur.impact}, {tr('acceptance.methodVersion', { version: cur.methodVersion })})
            </Text>
          </Group>
          <Text size="sm" data-testid="acceptance-expiry">
            {tr('acceptance.validUntil')} <b>{formatDate(cur.expiresOn)}</b>{' '}
            <Text span size="xs" c="dimmed">
              ({relativeDay(cur.expiresOn)})
            </Text>
          </Text>
          <Text size="sm" fw={500} mt="xs">
            {tr('acceptance.signatures')}
          </Text>
          <SignatureList acceptance={cur} testId="acceptance-signatures" />
          <Group gap="xs" mt="sm">
            {pendingCur.mine.length > 0 && (
              <Button
                leftSection={<IconSignature size={16} />}
                onClick={() => setSigning({ kind: 'sign', acceptance: cur })}
                data-testid="sign-acceptance"
              >
                {tr('acceptance.sign')}
              </Button>
            )}
            {canRenew && (
              <Button leftSection={<IconSignature size={16} />} onClick={() => setSigning({ kind: 'new' })} data-testid="renew-acceptance">
                {tr('acceptance.renew')}
              </Button>
            )}
            {myRoles.length > 0 && (
              <Button variant="default" c="red.7" onClick={() => setRevoking(cur)} data-testid="revoke-acceptance">
                {tr('acceptance.revoke')}
              </Button>
            )}
          </Group>
          {pendingCur.missing.length > 0 && pendingCur.mine.length === 0 && (
            <Text size="xs" c="dimmed">
              {tr('acceptance.waitingFor', { who: formatList(pendingCur.missing.map((r) => inSentence(signatureRoleLabels[r]))) })}
            </Text>
          )}
          {renewal && (
            <Stack gap="xs" mt="sm" data-testid="acceptance-renewal">
              <Divider />
              <Group gap="xs" justify="space-between">
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    {tr('acceptance.renewal')}
                  </Text>
                  <Ref>{renewal.reference}</Ref>
                </Group>
                <Badge color={acceptanceStateColors[renewal.state]} variant="light">
                  {acceptanceStateLabels[renewal.state]}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {tr('acceptance.takesOver', { reference: cur.reference, date: formatDate(renewal.expiresOn) })}
              </Text>
              <SignatureList acceptance={renewal} testId="renewal-signatures" />
              <Group gap="xs">
                {pendingRenewal.mine.length > 0 && (
                  <Button
                    size="xs"
                    leftSection={<IconSignature size={14} />}
                    onClick={() => setSigning({ kind: 'sign', acceptance: renewal })}
                    data-testid="sign-renewal"
                  >
                    {tr('acceptance.signRenewal')}
                  </Button>
                )}
                {myRoles.length > 0 && (
                  <Button size="xs" variant="default" c="red.7" onClick={() => setRevoking(renewal)} data-testid="revoke-renewal">
                    {tr('acceptance.withdraw')}
                  </Button>
                )}
              </Group>
            </Stack>
          )}
        </Stack>
      ) : (
        <Stack gap="xs">
          {(['current', 'target'] as const).map((b) => {
            const e = o.eligibility[b];
            return (
              <Text key={b} size="sm" data-testid={`acceptance-eligibility-${b}`}>
                {b === 'current' ? tr('acceptance.currentLevel') : tr('acceptance.targetLevel')}{' '}
                {e.level ? <b>{e.level.label}</b> : tr('acceptance.notScored')} —{' '}
                {e.level === null
                  ? tr('acceptance.scoreFirst')
                  : e.acceptableBy === null
                    ? tr('acceptance.mustBeTreated')
                    : tr('acceptance.needs', {
                        count: e.requiredRoles.length,
                        who: formatList(e.requiredRoles.map((r) => tr(`acceptance.signer.${r}`))),
                      })}
              </Text>
            );
          })}
          {canStart ? (
            <Button
              leftSection={<IconSignature size={16} />}
              onClick={() => setSigning({ kind: 'new' })}
              mt="xs"
              data-testid="start-acceptance"
            >
              {tr('acceptance.accept')}
            </Button>
          ) : (
            eligible.length > 0 && (
              <Text size="xs" c="dimmed">
                {risk.owner ? tr('acceptance.whoSignsNamed', { name: risk.owner.name }) : tr('acceptance.whoSigns')}
              </Text>
            )
          )}
        </Stack>
      )}
      {earlier.length > 0 && (
        <>
          <Divider my="md" />
          <Text size="sm" fw={500} mb="xs">
            {tr('acceptance.earlier')}
          </Text>
          <Timeline bulletSize={18} lineWidth={2} data-testid="acceptance-history">
            {earlier.map((h) => (
              <Timeline.Item
                key={h.id}
                bullet={<IconCircleCheck size={12} />}
                title={
                  <Group gap={6}>
                    <Ref>{h.reference}</Ref>
                    <Badge size="xs" color={acceptanceStateColors[h.state]} variant="light">
                      {acceptanceStateLabels[h.state]}
                    </Badge>
                  </Group>
                }
              >
                <Text size="xs" c="dimmed">
                  {tr('acceptance.until', { level: h.level.label, date: formatDate(h.expiresOn) })}
                  {h.endReason && ` · ${h.endReason}`}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </>
      )}
      {signing && (
        <SignModal
          opened
          onClose={() => setSigning(null)}
          risk={risk}
          overview={o}
          target={signing.kind === 'sign' ? signing.acceptance : null}
          onSigned={refresh}
          roles={signing.kind === 'sign' ? missingRoles(signing.acceptance, myRoles).mine : myRoles}
        />
      )}
      {revoking && <RevokeModal opened onClose={() => setRevoking(null)} risk={risk} acceptance={revoking} onRevoked={refresh} />}
    </Card>
  );
}

function SignModal({
  opened,
  onClose,
  risk,
  overview,
  onSigned,
  roles,
  target,
}: {
  opened: boolean;
  onClose: () => void;
  risk: RiskDetail;
  overview: AcceptanceOverview;
  onSigned: () => void;
  roles: readonly string[];
  /** the pending acceptance (or renewal) to sign; null starts a new one (or a renewal of the one about to expire) */
  target: Acceptance | null;
}) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const cur = target;
  const firstBasis = overview.eligibility.current.acceptableBy ? 'current' : 'target';
  const [basis, setBasis] = useState<'current' | 'target'>(firstBasis);
  const [justification, setJustification] = useState('');
  const [expiresOn, setExpiresOn] = useState<string | null>(inDays(ACCEPTANCE_DEFAULT_DAYS));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErr, setFieldErr] = useState<Record<string, string>>({});
  const sign = async () => {
    if (!justification.trim()) {
      setFieldErr({ justification: tr('sign.justificationRequired') });
      return;
    }
    setBusy(true);
    setError(null);
    setFieldErr({});
    try {
      const body: SignAcceptanceInput = cur
        ? { basis: cur.basis, justification: justification.trim() }
        : { basis, justification: justification.trim(), ...(expiresOn && { expiresOn }) };
      const saved = await api.post<{ reference: string; state: string }, SignAcceptanceInput>(
        `/api/scopes/${scope.id}/risks/${risk.id}/acceptance`,
        body,
      );
      notifySuccess(
        saved.state === 'pending' ? tr('sign.waiting') : tr('sign.accepted'),
        tr('sign.signed', { reference: saved.reference }),
      );
      setJustification('');
      onSigned();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.formField) setFieldErr({ [e.formField]: e.fieldMessage });
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const e = overview.eligibility[cur ? cur.basis : basis];
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{tr('sign.title', { reference: risk.reference })}</Text>}
      centered
      size="lg"
      data-testid="sign-dialog"
    >
      <Stack>
        {!cur && (
          <Select
            label={tr('sign.which')}
            allowDeselect={false}
            value={basis}
            onChange={(v) => v && setBasis(v as 'current' | 'target')}
            data={(['current', 'target'] as const).map((b) => ({
              value: b,
              label: `${b === 'current' ? tr('acceptance.currentLevel') : tr('sign.targetResidualLevel')} ${overview.eligibility[b].level?.label ?? tr('acceptance.notScored')}`,
              disabled: overview.eligibility[b].acceptableBy === null,
            }))}
            error={fieldErr.basis}
            data-testid="sign-basis"
          />
        )}
        <Text size="sm">
          {e.level ? (
            <>
              {tr('sign.accepting')} <b>{e.level.label}</b>{' '}
              {tr('sign.needs', {
                count: e.requiredRoles.length,
                who: formatList(e.requiredRoles.map((r) => tr(`acceptance.signer.${r}`))),
                as: formatList(roles.map((r) => inSentence(signatureRoleLabels[r as 'risk_owner']))) || tr('sign.member'),
              })}
            </>
          ) : (
            tr('sign.notScored')
          )}
        </Text>
        <Textarea
          label={tr('sign.justification')}
          withAsterisk
          description={tr('sign.justificationHint')}
          autosize
          minRows={3}
          maxLength={signLimits.justification}
          value={justification}
          onChange={(ev) => setJustification(ev.currentTarget.value)}
          error={fieldErr.justification}
          data-testid="sign-justification"
        />
        {!cur && (
          <DateInput
            label={tr('sign.validUntil')}
            description={tr('sign.validUntilHint')}
            valueFormat="D MMM YYYY"
            value={expiresOn}
            minDate={inDays(1)}
            maxDate={inDays(ACCEPTANCE_MAX_DAYS)}
            onChange={(d) => setExpiresOn(d ? d.slice(0, 10) : null)}
            error={fieldErr.expiresOn}
            data-testid="sign-expires"
          />
        )}
        <ErrorAlert error={error} title={tr('sign.notSigned')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {tr('common:actions.cancel')}
          </Button>
          <Button leftSection={<IconSignature size={16} />} loading={busy} onClick={sign} data-testid="sign-confirm">
            {tr('sign.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RevokeModal({
  opened,
  onClose,
  risk,
  acceptance,
  onRevoked,
}: {
  opened: boolean;
  onClose: () => void;
  risk: RiskDetail;
  acceptance: Acceptance;
  onRevoked: () => void;
}) {
  const { t: tr } = useTranslation('risks');
  const scope = useCurrentScope();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const revoke = async () => {
    if (!reason.trim()) {
      setError(new Error(tr('revoke.reasonRequired')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: RevokeAcceptanceInput = { id: acceptance.id, version: acceptance.version, reason: reason.trim() };
      await api.post<unknown, RevokeAcceptanceInput>(`/api/scopes/${scope.id}/risks/${risk.id}/acceptance/revoke`, body);
      notifySuccess(tr('revoke.done', { reference: acceptance.reference }));
      setReason('');
      onRevoked();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        onRevoked();
        setError(new Error(tr('revoke.conflict')));
      } else notifyError(e, tr('revoke.notRevoked'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{tr('revoke.title', { reference: acceptance.reference })}</Text>}
      centered
      data-testid="revoke-dialog"
    >
      <Stack>
        <Text size="sm">{tr('revoke.message', { reference: risk.reference })}</Text>
        <Textarea
          label={tr('revoke.reason')}
          withAsterisk
          autosize
          minRows={2}
          maxLength={revokeLimits.reason}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid="revoke-reason"
        />
        <ErrorAlert error={error} title={tr('revoke.notRevoked')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {tr('common:actions.cancel')}
          </Button>
          <Button color="red" loading={busy} onClick={revoke} data-testid="revoke-confirm">
            {tr('revoke.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
