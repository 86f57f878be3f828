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
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  ThemeIcon,
  Timeline,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
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
import { ApiError, api, type Page } from '../../app/api.ts';
import { formatDate, formatDateTime, options, relativeDay } from '../../app/labels.ts';
import { useCan, useCurrentScope, useCurrentSession, useMembers } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, PageLoader, Ref } from '../../app/ui.tsx';
import type { Catalog, Requirement } from '../catalogs/catalog-types.ts';
import type { Control } from '../controls/control-types.ts';
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

const money = (n: number | null) => (n === null ? '—' : n.toLocaleString(undefined, { maximumFractionDigits: 2 }));

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
  const scope = useCurrentScope();
  const treatment = useTreatment(scope.id, risk.id);
  const [editing, setEditing] = useState(false);
  const can = useCan();

  let main: ReactNode;
  if (treatment.isPending || !method) main = <PageLoader />;
  else if (treatment.error) main = <ErrorAlert error={treatment.error} title="The treatment could not be loaded" />;
  else if (editing) main = <TreatmentEditor risk={risk} method={method} treatment={treatment.data} onDone={() => setEditing(false)} />;
  else if (treatment.data === null)
    main = (
      <Card withBorder radius="md" p="lg" data-testid="treatment-empty">
        <EmptyState
          py="lg"
          icon={<IconShieldCheck size={32} />}
          withIndicatorBackground
          title="No treatment yet"
          description={
            risk.current.level
              ? `Choose how to deal with this ${risk.current.level.label.toLowerCase()} risk: modify it with controls, retain it, avoid it or share it. Then plan the actions and the target residual risk.`
              : 'Score the risk first, then choose how to deal with it: modify it with controls, retain it, avoid it or share it.'
          }
        >
          {can('treatment:write') && (
            <EmptyState.Actions>
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing(true)} data-testid="start-treatment">
                Plan the treatment
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
  const scope = useCurrentScope();
  const can = useCan();
  const [deciding, setDeciding] = useState(false);
  return (
    <Card withBorder radius="md" p="lg" data-testid="treatment-view">
      <Group justify="space-between" align="flex-start" wrap="wrap" mb="md">
        <div>
          <Group gap="xs">
            <Title order={5}>Treatment</Title>
            <Ref>{t.reference}</Ref>
            <Badge color={treatmentStatusColors[t.status]} variant="light" data-testid="treatment-status" data-status={t.status}>
              {treatmentStatusLabels[t.status]}
            </Badge>
          </Group>
          {t.decidedAt && (
            <Text size="xs" c="dimmed">
              Decided {formatDateTime(t.decidedAt)}
              {t.decidedBy && ` by ${t.decidedBy.name}`}
            </Text>
          )}
        </div>
        {can('treatment:write') && (
          <Group gap="xs">
            <Button variant="default" onClick={onEdit} data-testid="edit-treatment">
              Edit
            </Button>
            {t.status === 'draft' && (
              <Button leftSection={<IconGavel size={16} />} onClick={() => setDeciding(true)} data-testid="decide-treatment">
                Decide treatment
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Stack gap="md">
        <div>
          <Text size="sm" fw={600}>
            Option:{' '}
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
            Objectives
          </Text>
          {t.objectives.length === 0 ? (
            <Text size="sm" c="dimmed">
              None written.
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
            Controls ({t.controls.length})
          </Text>
          {t.controls.length === 0 ? (
            <Text size="sm" c="dimmed">
              No control selected.
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
                        {c.control.status.replace(/_/g, ' ')}
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
              Plan ({t.actions.length} action{t.actions.length === 1 ? '' : 's'})
            </Text>
            {t.costTotal > 0 && (
              <Text size="xs" c="dimmed">
                Estimated cost {money(t.costTotal)}
              </Text>
            )}
          </Group>
          {t.actions.length === 0 ? (
            <Text size="sm" c="dimmed">
              No action planned.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={520}>
              <Table verticalSpacing={4} fz="sm" data-testid="treatment-actions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>Owner</Table.Th>
                    <Table.Th>Due</Table.Th>
                    <Table.Th>Cost</Table.Th>
                    <Table.Th>Status</Table.Th>
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
            Target residual risk
          </Text>
          <Group gap="xs" data-testid="treatment-target">
            <LevelBadge level={t.risk.target.level} />
            {t.risk.target.likelihood !== null && t.risk.target.impact !== null ? (
              <Text size="xs" c="dimmed">
                Likelihood {t.risk.target.likelihood} · {method.likelihood.find((l) => l.value === t.risk.target.likelihood)?.label} ×
                impact {t.risk.target.impact} · {method.impact.find((l) => l.value === t.risk.target.impact)?.label}
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                Not set
              </Text>
            )}
          </Group>
        </div>
        {(t.tasks.length > 0 || t.changeRequests.length > 0) && (
          <>
            <Divider />
            <div>
              <Text size="sm" fw={600} mb={4}>
                Handed off
              </Text>
              <Stack gap={4} data-testid="treatment-handoffs">
                {t.tasks.map((k) => (
                  <Group key={k.id} gap="xs" wrap="nowrap">
                    <Ref>{k.reference}</Ref>
                    <Text size="sm" truncate>
                      {k.title}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {k.assignee?.name ?? 'unassigned'}
                      {k.dueOn && ` · due ${formatDate(k.dueOn)}`}
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
                      change request
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
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const [changes, setChanges] = useState<{ title: string; description: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const decide = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: DecideTreatmentInput = {
        version: treatment.version,
        changeRequests: changes.filter((c) => c.title.trim()).map((c) => ({ title: c.title.trim(), description: c.description })),
      };
      const saved = await api.post<Treatment>(`/api/scopes/${scope.id}/risks/${risk.id}/treatment/decide`, body);
      qc.setQueryData(['risk-treatment', scope.id, risk.id], saved);
      for (const k of ['risk', 'risks', 'risk-heatmap', 'risk-acceptance', 'tasks', 'my-tasks', 'controls', 'changes', 'audit'])
        void qc.invalidateQueries({ queryKey: k === 'my-tasks' ? [k] : [k, scope.id] });
      notifySuccess(
        `${saved.tasks.length} task${saved.tasks.length === 1 ? '' : 's'} and ${saved.changeRequests.length} change request${saved.changeRequests.length === 1 ? '' : 's'} handed off.`,
        `Treatment of ${risk.reference} decided`,
      );
      setChanges([]);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        void qc.invalidateQueries({ queryKey: ['risk-treatment', scope.id, risk.id] });
        setError(
          new Error('Another user changed this treatment in the meantime. Its current version is shown now; check it and decide again.'),
        );
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>Decide the treatment of {risk.reference}</Text>}
      size="lg"
      centered
      data-testid="decide-dialog"
    >
      <Stack>
        <Text size="sm">
          Deciding commits to “{treatmentOptionLabels[treatment.option]}” with {treatment.controls.length} control
          {treatment.controls.length === 1 ? '' : 's'} and {treatment.actions.length} action{treatment.actions.length === 1 ? '' : 's'}. The
          control owners and action owners get tasks with the due dates of the plan (ISO 27001 6.1.3, 8.3).
        </Text>
        <div>
          <Text size="sm" fw={500}>
            Requests for change
          </Text>
          <Text size="xs" c="dimmed" mb="xs">
            Changes to ISMS documents or processes the treatment needs go to ISMS change management (optional).
          </Text>
          <Stack gap="xs">
            {changes.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows edited in place
              <Group key={i} align="flex-start" wrap="nowrap" gap="xs">
                <Stack gap={4} style={{ flex: 1 }}>
                  <TextInput
                    placeholder="e.g. Update the backup policy"
                    aria-label="Change request title"
                    value={c.title}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setChanges((p) => p.map((x, j) => (j === i ? { ...x, title: v } : x)));
                    }}
                    data-testid="decide-change-title"
                  />
                  <Textarea
                    placeholder="What should change and why"
                    aria-label="Change request description"
                    autosize
                    minRows={1}
                    value={c.description}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setChanges((p) => p.map((x, j) => (j === i ? { ...x, description: v } : x)));
                    }}
                  />
                </Stack>
                <ActionIcon variant="subtle" color="red" aria-label="Remove" onClick={() => setChanges((p) => p.filter((_, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconPlus size={14} />}
              onClick={() => setChanges((p) => [...p, { title: '', description: '' }])}
              style={{ alignSelf: 'flex-start' }}
              data-testid="decide-add-change"
            >
              Add a request for change
            </Button>
          </Stack>
        </div>
        <ErrorAlert error={error} title="Not decided" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button leftSection={<IconGavel size={16} />} loading={busy} onClick={decide} data-testid="decide-confirm">
            Decide treatment
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
          sub: 'Control library',
        }
      : {
          key: `r:${c.requirement?.id}`,
          requirementId: c.requirement?.id,
          ownerId: null,
          label: `${c.requirement?.identifier} ${c.requirement?.title}`,
          sub: c.requirement?.catalogTitle ?? 'Catalog',
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
      const saved = await api.put<Treatment>(`/api/scopes/${scope.id}/risks/${risk.id}/treatment`, body);
      qc.setQueryData(['risk-treatment', scope.id, risk.id], saved);
      for (const k of ['risk', 'risks', 'risk-heatmap', 'risk-acceptance', 'audit']) void qc.invalidateQueries({ queryKey: [k, scope.id] });
      notifySuccess(`${saved.reference} saved`, 'Treatment saved');
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
        {t ? `Edit treatment ${t.reference}` : 'Plan the treatment'}
      </Title>
      <Stack gap="lg">
        <div>
          <Text size="sm" fw={500} mb={4}>
            Option
          </Text>
          <SegmentedControl
            fullWidth
            value={option}
            onChange={(v) => setOption(v as TreatmentOption)}
            data={options(treatmentOptionLabels)}
            data-testid="treatment-option-input"
          />
          <Text size="xs" c="dimmed" mt={4}>
            {treatmentOptionDescriptions[option]} (ISO/IEC 27005 risk treatment options)
          </Text>
        </div>
        <Textarea
          label="Rationale"
          description="Why this option: cost against benefit, obligations, what management decided"
          autosize
          minRows={2}
          maxRows={10}
          value={rationale}
          onChange={(e) => setRationale(e.currentTarget.value)}
          error={errorFor('rationale')}
          data-testid="treatment-rationale"
        />
        <div>
          <Text size="sm" fw={500}>
            Objectives
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            What the treatment must achieve, measurably (e.g. “restore the customer database within 4 hours”)
          </Text>
          <Stack gap="xs">
            {objectives.map((o, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows edited in place
              <Group key={i} gap="xs" wrap="nowrap">
                <TextInput
                  style={{ flex: 1 }}
                  value={o}
                  placeholder="An objective"
                  aria-label={`Objective ${i + 1}`}
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
                  aria-label="Remove objective"
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
              Add an objective
            </Button>
          </Stack>
        </div>
        <ControlPicker controls={controls} setControls={setControls} memberData={memberData} error={errorFor('controls')} />
        <div>
          <Text size="sm" fw={500}>
            Plan actions
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            Who does what by when; owners get tasks once the treatment is decided
          </Text>
          <Stack gap="sm">
            {actions.map((a, i) => {
              const update = (patch: Partial<ActionRow>) => setActions((p) => p.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <Card key={a.id ?? `new-${i}`} withBorder radius="sm" p="sm" data-testid="treatment-action">
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    <TextInput
                      style={{ flex: 1 }}
                      placeholder="e.g. Move backups to an offline location"
                      aria-label="Action"
                      value={a.title}
                      onChange={(e) => update({ title: e.currentTarget.value })}
                      error={errorFor(`actions.${i}.title`) ?? errorFor(`actions.${i}`)}
                      data-testid="treatment-action-title"
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      mt={4}
                      aria-label="Remove action"
                      onClick={() => setActions((p) => p.filter((_, j) => j !== i))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                  <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" mt="xs">
                    <Select
                      size="xs"
                      label="Owner"
                      placeholder="Risk owner"
                      clearable
                      searchable
                      data={memberData}
                      value={a.ownerId}
                      onChange={(v) => update({ ownerId: v })}
                      data-testid="treatment-action-owner"
                    />
                    <DateInput
                      size="xs"
                      label="Due"
                      placeholder="No date"
                      clearable
                      valueFormat="D MMM YYYY"
                      value={a.dueOn}
                      onChange={(d) => update({ dueOn: d ? d.slice(0, 10) : null })}
                      error={errorFor(`actions.${i}.dueOn`)}
                      data-testid="treatment-action-due"
                    />
                    <NumberInput
                      size="xs"
                      label="Cost estimate"
                      placeholder="—"
                      min={0}
                      value={a.costEstimate ?? ''}
                      onChange={(v) => update({ costEstimate: typeof v === 'number' ? v : null })}
                      error={errorFor(`actions.${i}.costEstimate`)}
                      data-testid="treatment-action-cost"
                    />
                    <Select
                      size="xs"
                      label="Status"
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
              Add an action
            </Button>
          </Stack>
        </div>
        <ScoreInput
          method={method}
          label="Target residual risk"
          description="The level expected once the treatment is done; it is stored on the risk"
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
        <ErrorAlert error={error} title="Not saved" />
        {conflict && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title="Another user changed this treatment"
            data-testid="treatment-conflict"
          >
            <Text size="sm" mb="xs">
              While you were editing, another user saved the treatment. Reload to see their version (your edits here are discarded), or save
              yours over it.
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
                Reload their version
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
                Overwrite with mine
              </Button>
            </Group>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => save()} data-testid="save-treatment">
            Save treatment
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
          sub: 'Control library',
          id: c.id,
        }))
      : (requirements.data?.items ?? []).map((r) => ({
          value: `r:${r.id}`,
          label: `${r.label || r.identifier} ${r.title}`,
          sub: catalogs.data?.find((c) => c.id === r.catalogId)?.title ?? 'Catalog',
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
        Controls
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        Pick from the control library of this scope, or search a requirement of a catalog: a control is created for it when the treatment is
        decided (ISO 27001 6.1.3 b–c)
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
                {c.requirementId && ' · a control is created for it when the treatment is decided'}
              </Text>
              {c.requirementId && (
                <Select
                  size="xs"
                  mt={4}
                  w={220}
                  placeholder="Owner of the new control"
                  clearable
                  searchable
                  data={memberData}
                  value={c.ownerId}
                  aria-label="Owner of the control created for the requirement"
                  onChange={(v) => setControls((p) => p.map((x) => (x.key === c.key ? { ...x, ownerId: v } : x)))}
                />
              )}
            </div>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label="Remove control"
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
            { value: 'library', label: 'Control library' },
            { value: 'catalog', label: 'Catalog' },
          ]}
          data-testid="control-source"
        />
        {source === 'catalog' && (
          <Select
            size="xs"
            w={200}
            placeholder="Catalog"
            data={(catalogs.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
            value={chosenCatalog}
            onChange={setCatalogId}
            allowDeselect={false}
            aria-label="Catalog"
            data-testid="control-catalog"
          />
        )}
        <Select
          size="xs"
          style={{ flex: '1 1 220px' }}
          placeholder={source === 'library' ? 'Search the control library' : 'Search the catalog'}
          searchable
          value={null}
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: o }) => o}
          data={candidates.filter((c) => !picked.has(c.value)).map((c) => ({ value: c.value, label: c.label }))}
          onChange={add}
          nothingFoundMessage={
            (source === 'library' ? library.isFetching : requirements.isFetching)
              ? 'Searching…'
              : source === 'catalog' && catalogs.data?.length === 0
                ? 'No catalog in this scope yet'
                : 'Nothing matches'
          }
          aria-label="Add a control"
          data-testid="control-search"
        />
      </Group>
      {loadError && (
        <Text size="xs" c="red" mt={4}>
          {loadError instanceof Error ? loadError.message : 'Could not search'}
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
                {signatureRoleLabels[role]}: {s ? s.signer.name : 'required, not yet signed'}
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
          Residual-risk acceptance
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
        <Title order={5}>Residual-risk acceptance</Title>
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
              {cur.basis === 'target' ? 'Target' : 'Current'} level <b>{cur.level.label}</b> (L{cur.likelihood} × I{cur.impact}, method v
              {cur.methodVersion})
            </Text>
          </Group>
          <Text size="sm" data-testid="acceptance-expiry">
            Valid until <b>{formatDate(cur.expiresOn)}</b>{' '}
            <Text span size="xs" c="dimmed">
              ({relativeDay(cur.expiresOn)})
            </Text>
          </Text>
          <Text size="sm" fw={500} mt="xs">
            Signatures
          </Text>
          <SignatureList acceptance={cur} testId="acceptance-signatures" />
          <Group gap="xs" mt="sm">
            {pendingCur.mine.length > 0 && (
              <Button
                leftSection={<IconSignature size={16} />}
                onClick={() => setSigning({ kind: 'sign', acceptance: cur })}
                data-testid="sign-acceptance"
              >
                Sign
              </Button>
            )}
            {canRenew && (
              <Button leftSection={<IconSignature size={16} />} onClick={() => setSigning({ kind: 'new' })} data-testid="renew-acceptance">
                Renew
              </Button>
            )}
            {myRoles.length > 0 && (
              <Button variant="default" c="red.7" onClick={() => setRevoking(cur)} data-testid="revoke-acceptance">
                Revoke
              </Button>
            )}
          </Group>
          {pendingCur.missing.length > 0 && pendingCur.mine.length === 0 && (
            <Text size="xs" c="dimmed">
              Waiting for {pendingCur.missing.map((r) => signatureRoleLabels[r].toLowerCase()).join(' and ')}.
            </Text>
          )}
          {renewal && (
            <Stack gap="xs" mt="sm" data-testid="acceptance-renewal">
              <Divider />
              <Group gap="xs" justify="space-between">
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    Renewal
                  </Text>
                  <Ref>{renewal.reference}</Ref>
                </Group>
                <Badge color={acceptanceStateColors[renewal.state]} variant="light">
                  {acceptanceStateLabels[renewal.state]}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                Takes over from {cur.reference} with every signature; valid until {formatDate(renewal.expiresOn)}.
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
                    Sign the renewal
                  </Button>
                )}
                {myRoles.length > 0 && (
                  <Button size="xs" variant="default" c="red.7" onClick={() => setRevoking(renewal)} data-testid="revoke-renewal">
                    Withdraw
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
                {b === 'current' ? 'Current' : 'Target'} level: {e.level ? <b>{e.level.label}</b> : 'not scored'} —{' '}
                {e.level === null
                  ? 'score it first'
                  : e.acceptableBy === null
                    ? 'must be treated, the acceptance criteria do not allow accepting it'
                    : `accepting it needs the signature${e.requiredRoles.length > 1 ? 's' : ''} of ${e.requiredRoles.map((r) => (r === 'risk_owner' ? 'the risk owner' : 'management')).join(' and ')}`}
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
              Accept the residual risk
            </Button>
          ) : (
            eligible.length > 0 && (
              <Text size="xs" c="dimmed">
                The risk owner{risk.owner ? ` (${risk.owner.name})` : ''} or management signs the acceptance.
              </Text>
            )
          )}
        </Stack>
      )}
      {earlier.length > 0 && (
        <>
          <Divider my="md" />
          <Text size="sm" fw={500} mb="xs">
            Earlier acceptances
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
                  {h.level.label} · until {formatDate(h.expiresOn)}
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
  const scope = useCurrentScope();
  const cur = target;
  const firstBasis = overview.eligibility.current.acceptableBy ? 'current' : 'target';
  const [basis, setBasis] = useState<'current' | 'target'>(firstBasis);
  const [justification, setJustification] = useState('');
  const [expiresOn, setExpiresOn] = useState<string | null>(inDays(365));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErr, setFieldErr] = useState<Record<string, string>>({});
  const sign = async () => {
    if (!justification.trim()) {
      setFieldErr({ justification: 'Say why the residual risk may be accepted' });
      return;
    }
    setBusy(true);
    setError(null);
    setFieldErr({});
    try {
      const body: SignAcceptanceInput = cur
        ? { basis: cur.basis, justification: justification.trim() }
        : { basis, justification: justification.trim(), ...(expiresOn && { expiresOn }) };
      const saved = await api.post<{ reference: string; state: string }>(`/api/scopes/${scope.id}/risks/${risk.id}/acceptance`, body);
      notifySuccess(
        saved.state === 'pending' ? 'Signed; the acceptance waits for the other signature.' : 'The residual risk is accepted.',
        `${saved.reference} signed`,
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
      title={<Text fw={600}>Accept the residual risk of {risk.reference}</Text>}
      centered
      size="lg"
      data-testid="sign-dialog"
    >
      <Stack>
        {!cur && (
          <Select
            label="Which level is accepted"
            allowDeselect={false}
            value={basis}
            onChange={(v) => v && setBasis(v as 'current' | 'target')}
            data={(['current', 'target'] as const).map((b) => ({
              value: b,
              label: `${b === 'current' ? 'Current' : 'Target residual'} level: ${overview.eligibility[b].level?.label ?? 'not scored'}`,
              disabled: overview.eligibility[b].acceptableBy === null,
            }))}
            error={fieldErr.basis}
            data-testid="sign-basis"
          />
        )}
        <Text size="sm">
          {e.level ? (
            <>
              Accepting a <b>{e.level.label}</b> risk needs the signature{e.requiredRoles.length > 1 ? 's' : ''} of{' '}
              {e.requiredRoles.map((r) => (r === 'risk_owner' ? 'the risk owner' : 'management')).join(' and ')}; it takes effect with the
              last one. You sign as{' '}
              {roles.map((r) => signatureRoleLabels[r as 'risk_owner'].toLowerCase()).join(' and ') || 'a member of the scope'}.
            </>
          ) : (
            'This level is not scored.'
          )}
        </Text>
        <Textarea
          label="Justification"
          withAsterisk
          description="Why the residual risk may be accepted as it is"
          autosize
          minRows={3}
          value={justification}
          onChange={(ev) => setJustification(ev.currentTarget.value)}
          error={fieldErr.justification}
          data-testid="sign-justification"
        />
        {!cur && (
          <DateInput
            label="Valid until"
            description="The acceptance expires then and must be reviewed (at most three years)"
            valueFormat="D MMM YYYY"
            value={expiresOn}
            minDate={inDays(1)}
            maxDate={inDays(3 * 365)}
            onChange={(d) => setExpiresOn(d ? d.slice(0, 10) : null)}
            error={fieldErr.expiresOn}
            data-testid="sign-expires"
          />
        )}
        <ErrorAlert error={error} title="Not signed" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button leftSection={<IconSignature size={16} />} loading={busy} onClick={sign} data-testid="sign-confirm">
            Sign acceptance
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
  const scope = useCurrentScope();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const revoke = async () => {
    if (!reason.trim()) {
      setError(new Error('Give a reason for revoking the acceptance.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: RevokeAcceptanceInput = { id: acceptance.id, version: acceptance.version, reason: reason.trim() };
      await api.post(`/api/scopes/${scope.id}/risks/${risk.id}/acceptance/revoke`, body);
      notifySuccess(`${acceptance.reference} revoked`);
      setReason('');
      onRevoked();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        onRevoked();
        setError(new Error('The acceptance changed in the meantime (another signature?). Check it, then revoke again.'));
      } else notifyError(e, 'Not revoked');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>Revoke {acceptance.reference}?</Text>}
      centered
      data-testid="revoke-dialog"
    >
      <Stack>
        <Text size="sm">
          The residual risk of {risk.reference} is then no longer accepted: it must be treated or accepted again. The audit log keeps the
          reason.
        </Text>
        <Textarea
          label="Reason"
          withAsterisk
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid="revoke-reason"
        />
        <ErrorAlert error={error} title="Not revoked" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={busy} onClick={revoke} data-testid="revoke-confirm">
            Revoke acceptance
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
