import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  Modal,
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
import { IconAlertTriangle, IconInfoCircle, IconPlus, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { PdfWordButtons } from '../../app/DownloadButtons.tsx';
import { RecordLoadError } from '../../app/DetailParts.tsx';
import { useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, notifyError, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import { formatDate, formatDateTime, formatList, formatNumber } from '../../i18n/index.ts';
import { textLimits } from '../../app/FormParts.tsx';
import {
  addDecisionBody,
  commentarySchema,
  updateReviewBody,
} from '../../../../server/src/processes/management-review/management-review.schemas.ts';
import {
  type AddDecisionInput,
  type CompiledInputs,
  type DecisionKind,
  decisionKinds,
  decisionLabels,
  freeTextSections,
  type InputSection,
  inputSections,
  type ReviewDetail,
  type ReviewStatus,
  sectionLabels,
  statusColors,
  statusLabels,
  type TransitionReviewInput,
  type UpdateReviewInput,
} from './review-types.ts';

const decisionLimits = textLimits(addDecisionBody.shape);
const reviewLimits = textLimits(updateReviewBody.shape);
const commentaryLimit = textLimits({ section: commentarySchema.valueType }).section;

const nextSteps: Record<ReviewStatus, ReviewStatus[]> = {
  planned: ['compiled'],
  compiled: ['held', 'compiled'],
  held: [],
  approved: ['closed'],
  closed: [],
};

/** where the record a decision created is shown */
function recordHref(scopeId: string, record: ReviewDetail['decisionList'][number]['record']) {
  if (record.type === 'nonconformity') return `/s/${scopeId}/improvement/${record.id}`;
  if (record.type === 'improvement_opportunity') return `/s/${scopeId}/improvement`;
  if (record.type === 'change_request') return `/s/${scopeId}/changes/${record.id}`;
  return `/s/${scopeId}/tasks`;
}

/** The figures of one input section, in words. */
function SectionFigures({ section, inputs }: { section: InputSection; inputs: CompiledInputs }) {
  const { t } = useTranslation('reviews');
  const scope = useCurrentScope();
  const line = (text: string) => (
    <Text size="sm" key={text}>
      {text}
    </Text>
  );
  const p = inputs.performance;
  switch (section) {
    case 'actions':
      return (
        <Stack gap={4}>
          {line(t('figures.actions', { open: inputs.actions.open, overdue: inputs.actions.overdue, done: inputs.actions.done }))}
          {inputs.actions.decisions.length === 0 && line(t('figures.noEarlierDecisions'))}
          {inputs.actions.decisions.map((d) => (
            <Text size="sm" key={d.record.id}>
              {d.reviewRef} · {decisionLabels[d.kind]}: {d.title} →{' '}
              <Anchor component={Link} to={recordHref(scope.id, d.record)} size="sm">
                {d.record.reference}
              </Anchor>{' '}
              <Badge size="xs" variant="light" color={d.open ? 'orange' : 'teal'}>
                {d.open ? t('figures.open') : t('figures.done')}
              </Badge>
              {d.owner && ` · ${d.owner}`} · {t('figures.due', { date: formatDate(d.dueOn) })}
            </Text>
          ))}
        </Stack>
      );
    case 'performance':
      return (
        <Stack gap={4}>
          {line(t('figures.nonconformities', p.nonconformities))}
          {p.measures.length === 0 ? (
            line(t('figures.noMeasurements'))
          ) : (
            <>
              {line(t('figures.measures', { count: p.measures.length }))}
              {p.measures.map((m) => (
                <Text size="sm" key={m.reference}>
                  <Anchor component={Link} to={`/s/${scope.id}/measures`} size="sm">
                    {m.reference}
                  </Anchor>{' '}
                  {m.name}:{' '}
                  {m.latest
                    ? t('figures.measureValue', {
                        value: formatNumber(m.latest.value),
                        unit: m.unit,
                        target: formatNumber(m.target),
                        status: t(`figures.measureStatus.${m.latest.status}`, { defaultValue: m.latest.status }),
                      })
                    : t('figures.measureNoValue')}
                  {m.breaches > 0 && ` · ${t('figures.breaches', { count: m.breaches })}`}
                </Text>
              ))}
            </>
          )}
          {p.audits.held + p.audits.majorNonconformities + p.audits.minorNonconformities + p.audits.observations === 0
            ? line(t('figures.noAudits'))
            : line(t('figures.audits', p.audits))}
          {line(t('figures.objectives'))}
        </Stack>
      );
    case 'risks':
      return (
        <Stack gap={4}>
          {line(
            t('figures.risks', {
              total: inputs.risks.total,
              levels: formatList(inputs.risks.byLevel.map((l) => `${l.label || t('figures.notAssessed')} ${l.count}`)) || t('figures.none'),
            }),
          )}
          {line(t('figures.riskCriteria', inputs.risks))}
          {line(t('figures.treatmentActions', inputs.risks.treatmentActions))}
        </Stack>
      );
    case 'opportunities':
      return line(t('figures.opportunities', inputs.opportunities));
    case 'resources':
      return line(
        t('figures.resources', {
          controls: formatNumber(inputs.resources.controlCosts),
          actions: formatNumber(inputs.resources.treatmentActionCosts),
        }),
      );
    case 'incidents':
      return line(
        inputs.incidents.reported === 0
          ? t('figures.noIncidents')
          : t('figures.incidents', {
              count: inputs.incidents.reported,
              bySeverity: formatList(
                inputs.incidents.bySeverity.map(
                  (s) =>
                    `${s.severity ? t(`figures.severity.${s.severity}`, { defaultValue: s.severity }) : t('figures.notTriaged')} ${s.count}`,
                ),
              ),
            }),
      );
    default:
      return line(t('figures.freeText'));
  }
}

function DecisionModal({ review, opened, onClose }: { review: ReviewDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('reviews');
  const scope = useCurrentScope();
  const members = useMembers(scope.id, opened);
  const qc = useQueryClient();
  const form = useForm({
    initialValues: { kind: 'corrective_action' as DecisionKind, title: '', description: '', ownerId: null as string | null, dueOn: '' },
    validate: {
      title: (v) => (v.trim() ? null : t('decisionForm.titleRequired')),
      ownerId: (v) => (v ? null : t('decisionForm.ownerRequired')),
      dueOn: (v) => (v ? null : t('decisionForm.dueRequired')),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<ReviewDetail, AddDecisionInput>(`/api/scopes/${scope.id}/reviews/${review.id}/decisions`, {
        ...v,
        version: review.version,
        // the form's validation requires an owner
        ownerId: v.ownerId!,
      }),
    onSuccess: (r) => {
      qc.setQueryData(['review', scope.id, review.id], r);
      void qc.invalidateQueries({ queryKey: ['reviews', scope.id] });
      const d = r.decisionList[r.decisionList.length - 1];
      notifySuccess(t('decisionForm.saved', { ref: d?.record.reference ?? '' }));
      form.reset();
      onClose();
    },
    onError: (e) => {
      if (!applyFieldError(form, e)) notifyError(e);
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('decisionForm.title')} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <Select
            label={t('decisionForm.kind')}
            required
            data-testid="decision-kind"
            data={decisionKinds.map((k) => ({ value: k, label: decisionLabels[k] }))}
            {...form.getInputProps('kind')}
          />
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
            {t(`decisionForm.creates.${form.values.kind}`)}
          </Alert>
          <TextInput
            label={t('decisionForm.decision')}
            required
            data-testid="decision-title"
            maxLength={decisionLimits.title}
            {...form.getInputProps('title')}
          />
          <Textarea
            label={t('decisionForm.description')}
            autosize
            minRows={2}
            maxLength={decisionLimits.description}
            {...form.getInputProps('description')}
          />
          <Group grow>
            <Select
              label={t('decisionForm.owner')}
              required
              searchable
              data-testid="decision-owner"
              data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
              {...form.getInputProps('ownerId')}
            />
            <TextInput type="date" label={t('decisionForm.dueOn')} required data-testid="decision-due" {...form.getInputProps('dueOn')} />
          </Group>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="decision-save">
              {t('decisionForm.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ReviewDetailPage() {
  const { t } = useTranslation('reviews');
  const { id } = useParams();
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const [deciding, setDeciding] = useState(false);
  const [commentary, setCommentary] = useState<Partial<Record<InputSection, string>>>({});
  const [discussion, setDiscussion] = useState<string | null>(null);
  const [attendance, setAttendance] = useState<Record<string, boolean> | null>(null);
  const review = useQuery({
    queryKey: ['review', scope.id, id],
    queryFn: () => api.get<ReviewDetail>(`/api/scopes/${scope.id}/reviews/${id}`),
  });
  const onSaved = (r: ReviewDetail) => {
    qc.setQueryData(['review', scope.id, id], r);
    void qc.invalidateQueries({ queryKey: ['reviews', scope.id] });
  };
  const onError = (e: unknown) => {
    notifyError(e);
    void review.refetch();
  };
  const move = useMutation({
    mutationFn: (to: ReviewStatus) =>
      api.post<ReviewDetail, TransitionReviewInput>(`/api/scopes/${scope.id}/reviews/${id}/transition`, {
        version: review.data!.version,
        to,
      }),
    onSuccess: (r) => {
      onSaved(r);
      notifySuccess(t('detail.moved', { ref: r.reference, status: statusLabels[r.status] }));
    },
    onError,
  });
  const patch = useMutation({
    mutationFn: (body: Omit<UpdateReviewInput, 'version'>) =>
      api.patch<ReviewDetail, UpdateReviewInput>(`/api/scopes/${scope.id}/reviews/${id}`, { ...body, version: review.data!.version }),
    onSuccess: (r) => {
      onSaved(r);
      setCommentary({});
      setDiscussion(null);
      setAttendance(null);
      notifySuccess(t('detail.saved'));
    },
    onError,
  });
  if (review.error)
    return <RecordLoadError title={t('title')} listLabel={t('detail.back')} listTo={`/s/${scope.id}/reviews`} error={review.error} />;
  if (!review.data) return <PageLoader />;
  const r = review.data;
  const planning = r.status === 'planned' || r.status === 'compiled';
  const editPlan = r.canManage && planning;
  const present = attendance ?? Object.fromEntries(r.attendees.map((a) => [a.id, a.present]));
  const presentCount = Object.values(present).filter(Boolean).length;
  const minutesHref = (format: 'pdf' | 'docx') => `/api/scopes/${scope.id}/reviews/${r.id}/minutes.${format}`;
  return (
    <>
      <PageHeader
        crumbs={[{ label: t('detail.back'), to: `/s/${scope.id}/reviews` }, { label: r.reference }]}
        title={
          <>
            <Ref>{r.reference}</Ref> {r.title}
          </>
        }
        documentTitle={`${r.reference} ${r.title}`}
        actions={
          <>
            <Badge size="lg" color={statusColors[r.status]} variant="light" data-testid="review-status">
              {statusLabels[r.status]}
            </Badge>
            {r.canManage &&
              nextSteps[r.status].map((to, i) => (
                <Button
                  key={to}
                  variant={i === 0 ? 'filled' : 'default'}
                  loading={move.isPending && move.variables === to}
                  onClick={() => move.mutate(to)}
                  data-testid={`move-${r.status === 'compiled' && to === 'compiled' ? 'recompile' : to}`}
                >
                  {t(`detail.move.${r.status === 'compiled' && to === 'compiled' ? 'recompile' : to}`)}
                </Button>
              ))}
            {r.canApprove && (
              <Button
                leftSection={<IconShieldCheck size={16} />}
                loading={move.isPending && move.variables === 'approved'}
                onClick={() => move.mutate('approved')}
                data-testid="move-approved"
              >
                {t('detail.move.approved')}
              </Button>
            )}
            <PdfWordButtons href={minutesHref} pdfLabel={t('detail.pdf')} wordLabel={t('detail.docx')} testId="minutes" />
          </>
        }
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="lg">
        <Card withBorder radius="md">
          <Stack gap="xs">
            <Text size="sm">
              <b>{t('detail.chair')}:</b> {r.chair?.name ?? '—'}
            </Text>
            <Text size="sm">
              <b>{t('detail.plannedOn')}:</b> {formatDate(r.plannedOn)}
            </Text>
            <Text size="sm">
              <b>{t('detail.period')}:</b> {formatDate(r.periodFrom)} – {formatDate(r.periodTo)}
            </Text>
            <Text size="sm">
              <b>{t('detail.quorum')}:</b> {r.quorum === null ? t('detail.noQuorum') : t('detail.quorumOf', { count: r.quorum })}
            </Text>
            <Text size="sm">
              <b>{t('detail.held')}:</b> {formatDateTime(r.heldAt)}
            </Text>
            <Text size="sm">
              <b>{t('detail.approved')}:</b>{' '}
              {r.approvedAt ? t('detail.approvedBy', { date: formatDateTime(r.approvedAt), name: r.approvedBy?.name ?? '' }) : '—'}
            </Text>
            {r.minutesRecord && (
              <Text size="sm">
                <b>{t('detail.record')}:</b>{' '}
                <Anchor component={Link} to={`/s/${scope.id}/records`} size="sm">
                  {r.minutesRecord.reference}
                </Anchor>
              </Text>
            )}
          </Stack>
        </Card>
        <Card withBorder radius="md">
          <Group justify="space-between" mb={4}>
            <Text fw={600} size="sm">
              {t('detail.attendees')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('detail.presentCount', { count: presentCount })}
            </Text>
          </Group>
          <Stack gap={4}>
            {r.attendees.map((a) => (
              <Checkbox
                key={a.id}
                label={a.name}
                checked={!!present[a.id]}
                disabled={!editPlan}
                onChange={(e) => setAttendance({ ...present, [a.id]: e.currentTarget.checked })}
                data-testid="attendee"
              />
            ))}
          </Stack>
          {editPlan && attendance && (
            <Group justify="flex-end" mt="sm">
              <Button
                size="compact-sm"
                loading={patch.isPending}
                onClick={() => patch.mutate({ attendees: Object.entries(present).map(([userId, p]) => ({ userId, present: p })) })}
                data-testid="save-attendance"
              >
                {t('detail.saveAttendance')}
              </Button>
            </Group>
          )}
        </Card>
      </SimpleGrid>

      <Card withBorder radius="md" mb="lg">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t('detail.inputs')}</Title>
          {r.inputs && (
            <Text size="xs" c="dimmed">
              {r.inputsHash
                ? t('detail.frozenAt', { date: formatDateTime(r.heldAt) })
                : t('detail.compiledAt', { date: formatDateTime(r.compiledAt) })}
            </Text>
          )}
        </Group>
        {r.inputsHash && (
          <Alert
            color={r.inputsVerified ? 'teal' : 'red'}
            variant="light"
            mb="md"
            icon={r.inputsVerified ? <IconShieldCheck size={18} /> : <IconAlertTriangle size={18} />}
            data-testid="inputs-hash"
          >
            <Text size="sm">{r.inputsVerified ? t('detail.hashVerified') : t('detail.hashBroken')}</Text>
            <Code>{r.inputsHash}</Code>
          </Alert>
        )}
        {!r.inputs && (
          <Text size="sm" c="dimmed" mb="md">
            {t('detail.notCompiled')}
          </Text>
        )}
        <Stack gap="md">
          {inputSections.map((section) => {
            const saved = r.commentary[section] ?? '';
            const value = commentary[section] ?? saved;
            return (
              <div key={section} data-testid={`section-${section}`}>
                <Text fw={600} size="sm" mb={4}>
                  {sectionLabels[section]}
                </Text>
                {r.inputs && !freeTextSections.includes(section) && <SectionFigures section={section} inputs={r.inputs} />}
                {editPlan ? (
                  <Textarea
                    mt={4}
                    autosize
                    minRows={freeTextSections.includes(section) ? 2 : 1}
                    placeholder={freeTextSections.includes(section) ? t('detail.freeTextPlaceholder') : t('detail.commentaryPlaceholder')}
                    maxLength={commentaryLimit}
                    value={value}
                    onChange={(e) => setCommentary({ ...commentary, [section]: e.currentTarget.value })}
                  />
                ) : (
                  saved && (
                    <Text size="sm" mt={4} c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                      {saved}
                    </Text>
                  )
                )}
              </div>
            );
          })}
        </Stack>
        {editPlan && Object.keys(commentary).length > 0 && (
          <Group justify="flex-end" mt="md">
            <Button loading={patch.isPending} onClick={() => patch.mutate({ commentary })} data-testid="save-commentary">
              {t('detail.saveCommentary')}
            </Button>
          </Group>
        )}
      </Card>

      <Card withBorder radius="md" mb="lg" p={0}>
        <Group p="md" justify="space-between">
          <Title order={4}>{t('detail.decisions')}</Title>
          {r.canManage && r.status === 'held' && (
            <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => setDeciding(true)} data-testid="add-decision">
              {t('detail.addDecision')}
            </Button>
          )}
        </Group>
        {r.decisionList.length === 0 ? (
          <Text p="md" pt={0} size="sm" c="dimmed">
            {r.status === 'held' ? t('detail.noDecisionsYet') : t('detail.noDecisions')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" data-testid="decisions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>#</Table.Th>
                  <Table.Th>{t('detail.decisionKind')}</Table.Th>
                  <Table.Th>{t('detail.decision')}</Table.Th>
                  <Table.Th>{t('detail.owner')}</Table.Th>
                  <Table.Th>{t('detail.dueOn')}</Table.Th>
                  <Table.Th>{t('detail.createdRecord')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.decisionList.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{d.position}</Table.Td>
                    <Table.Td>{decisionLabels[d.kind]}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {d.title}
                      </Text>
                      {d.description && (
                        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                          {d.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{d.owner?.name ?? '—'}</Table.Td>
                    <Table.Td>{formatDate(d.dueOn)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={recordHref(scope.id, d.record)} size="sm">
                        {d.record.reference}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      <Card withBorder radius="md">
        <Text fw={600} size="sm" mb={4}>
          {t('detail.discussion')}
        </Text>
        {r.canManage && r.status === 'held' ? (
          <Stack gap="xs">
            <Textarea
              autosize
              minRows={3}
              placeholder={t('detail.discussionPlaceholder')}
              maxLength={reviewLimits.discussion}
              value={discussion ?? r.discussion}
              onChange={(e) => setDiscussion(e.currentTarget.value)}
              data-testid="discussion"
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                disabled={discussion === null || discussion === r.discussion}
                loading={patch.isPending}
                onClick={() => discussion !== null && patch.mutate({ discussion })}
                data-testid="save-discussion"
              >
                {t('detail.saveDiscussion')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {r.discussion || '—'}
          </Text>
        )}
        {r.status === 'held' && (
          <Text size="xs" c="dimmed" mt="xs">
            {r.canApprove ? t('detail.approveHint') : t('detail.chairApproves', { name: r.chair?.name ?? '' })}
          </Text>
        )}
      </Card>
      <DecisionModal review={r} opened={deciding} onClose={() => setDeciding(false)} />
    </>
  );
}
