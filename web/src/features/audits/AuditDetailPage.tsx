import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
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
import { IconInfoCircle, IconJson, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { PdfWordButtons } from '../../app/DownloadButtons.tsx';
import { RecordLoadError } from '../../app/DetailParts.tsx';
import { useCurrentScope } from '../../app/session.ts';
import { applyFieldError, notifyError, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import { formatDate, formatDateTime, formatList } from '../../i18n/index.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { useProcessNames } from '../processes/process-names.ts';
import {
  addFindingBody,
  recordResultBody,
  updateAuditBody,
} from '../../../../server/src/processes/internal-audit/internal-audit.schemas.ts';
import {
  type AddFindingInput,
  type AuditDetail,
  type AuditResult,
  type AuditStatus,
  auditResults,
  type ChecklistItem,
  clauseRegisters,
  type RecordResultInput,
  type TransitionAuditInput,
  type UpdateAuditInput,
  partyLabels,
  registerLabels,
  resultColors,
  resultLabels,
  statusColors,
  statusLabels,
} from './audit-types.ts';

const resultLimits = textLimits(recordResultBody.shape);
const findingLimits = textLimits(addFindingBody.shape);
const auditLimits = textLimits(updateAuditBody.shape);

const nextSteps: Record<AuditStatus, AuditStatus[]> = {
  planned: ['prepared'],
  prepared: ['fieldwork', 'planned'],
  fieldwork: ['reporting'],
  reporting: ['closed', 'fieldwork'],
  closed: [],
};

function RecordModal({ audit, item, onClose }: { audit: AuditDetail; item: ChecklistItem | null; onClose: () => void }) {
  const { t } = useTranslation('audits');
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: {
      result: (item?.result ?? null) as AuditResult | null,
      notes: item?.notes ?? '',
      sampled: item?.sampledEvidence.map((e) => e.id) ?? [],
    },
    validate: { result: (v) => (v ? null : t('recordModal.result')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.put<AuditDetail, RecordResultInput>(`/api/scopes/${scope.id}/audits/${audit.id}/checklist/${item!.id}`, {
        version: item!.version,
        // the form's validation requires a result
        result: v.result!,
        notes: v.notes,
        sampledEvidenceIds: v.sampled,
      }),
    onSuccess: (a) => {
      qc.setQueryData(['audit', scope.id, audit.id], a);
      void qc.invalidateQueries({ queryKey: ['audits', scope.id] });
      onClose();
    },
    // the server's message goes on the field it names
    onError: (e) => {
      if (!applyFieldError(form, e, { 'body.sampledEvidenceIds': 'sampled' })) notifyError(e);
    },
  });
  if (!item) return null;
  const evidence = [...item.toSample, ...item.sampledEvidence.filter((s) => !item.toSample.some((e) => e.id === s.id))];
  return (
    <Modal opened onClose={onClose} title={`${t('recordModal.title')}: ${item.title}`} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <Select
            label={t('recordModal.result')}
            required
            data-testid="result-select"
            data={auditResults.map((r) => ({ value: r, label: resultLabels[r] }))}
            disabled={!!item.finding}
            {...form.getInputProps('result')}
          />
          {(form.values.result === 'major_nonconformity' ||
            form.values.result === 'minor_nonconformity' ||
            form.values.result === 'opportunity') &&
            !item.finding && (
              <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
                {t('recordModal.handOff')}
              </Alert>
            )}
          <Textarea
            label={t('recordModal.notes')}
            description={t('recordModal.notesHint')}
            autosize
            minRows={3}
            data-testid="result-notes"
            maxLength={resultLimits.notes}
            {...form.getInputProps('notes')}
          />
          <Checkbox.Group label={t('recordModal.evidence')} {...form.getInputProps('sampled')}>
            <Stack gap={4} mt={4}>
              {evidence.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('detail.nothingToSample')}
                </Text>
              )}
              {evidence.map((e) => (
                <Checkbox key={e.id} value={e.id} label={`${e.reference} ${e.title}`} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="result-save">
              {t('recordModal.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function FindingModal({ audit, opened, onClose }: { audit: AuditDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('audits');
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const form = useForm({
    initialValues: { title: '', clause: null as string | null, result: 'minor_nonconformity' as AuditResult, notes: '' },
    validate: { title: (v) => (v.trim() ? null : t('findingModal.titleLabel')) },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      api.post<AuditDetail, AddFindingInput>(`/api/scopes/${scope.id}/audits/${audit.id}/findings`, { ...v, requirementId: null }),
    onSuccess: (a) => {
      qc.setQueryData(['audit', scope.id, audit.id], a);
      form.reset();
      onClose();
    },
    onError: (e) => {
      if (!applyFieldError(form, e)) notifyError(e);
    },
  });
  const clauses = [...new Set([...audit.criteria.clauses.map((c) => c.clause)])];
  return (
    <Modal opened={opened} onClose={onClose} title={t('findingModal.title')} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput label={t('findingModal.titleLabel')} required maxLength={findingLimits.title} {...form.getInputProps('title')} />
          <Group grow>
            <Select
              label={t('recordModal.result')}
              data={auditResults.map((r) => ({ value: r, label: resultLabels[r] }))}
              {...form.getInputProps('result')}
            />
            {/* no maxLength: the server checks a clause number by its pattern */}
            <TextInput label={t('findingModal.clause')} placeholder={clauses[0] ?? '9.2'} {...form.getInputProps('clause')} />
          </Group>
          <Textarea label={t('recordModal.notes')} autosize minRows={3} maxLength={findingLimits.notes} {...form.getInputProps('notes')} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('findingModal.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function AuditDetailPage() {
  const { t } = useTranslation('audits');
  const { id } = useParams();
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const [recording, setRecording] = useState<ChecklistItem | null>(null);
  const [adding, setAdding] = useState(false);
  const [conclusion, setConclusion] = useState<string | null>(null);
  const audit = useQuery({
    queryKey: ['audit', scope.id, id],
    queryFn: () => api.get<AuditDetail>(`/api/scopes/${scope.id}/audits/${id}`),
  });
  // the audited processes' names as the server words them for the reader
  const processes = useProcessNames(scope.id);
  const onSaved = (a: AuditDetail) => {
    qc.setQueryData(['audit', scope.id, id], a);
    void qc.invalidateQueries({ queryKey: ['audits', scope.id] });
    void qc.invalidateQueries({ queryKey: ['audit-programme', scope.id] });
  };
  const move = useMutation({
    mutationFn: (to: AuditStatus) =>
      api.post<AuditDetail, TransitionAuditInput>(`/api/scopes/${scope.id}/audits/${id}/transition`, { version: audit.data!.version, to }),
    onSuccess: (a) => {
      onSaved(a);
      notifySuccess(t('detail.moved', { ref: a.reference, status: statusLabels[a.status] }));
    },
    onError: (e) => {
      notifyError(e);
      void audit.refetch();
    },
  });
  const saveConclusion = useMutation({
    mutationFn: (text: string) =>
      api.patch<AuditDetail, UpdateAuditInput>(`/api/scopes/${scope.id}/audits/${id}`, { version: audit.data!.version, conclusion: text }),
    onSuccess: (a) => {
      onSaved(a);
      setConclusion(null);
    },
    onError: (e) => notifyError(e),
  });
  if (audit.error)
    return <RecordLoadError title={t('title')} listLabel={t('detail.back')} listTo={`/s/${scope.id}/audits`} error={audit.error} />;
  if (!audit.data) return <PageLoader />;
  const a = audit.data;
  const recordable = a.canRecord && (a.status === 'fieldwork' || a.status === 'reporting');
  const canMove = a.canManage || (a.canRecord && a.leadAuditor !== null);
  const reportHref = (format: 'pdf' | 'docx') => `/api/scopes/${scope.id}/audits/${a.id}/report.${format}`;
  return (
    <>
      <PageHeader
        crumbs={[{ label: t('detail.back'), to: `/s/${scope.id}/audits` }, { label: a.reference }]}
        title={
          <>
            <Ref>{a.reference}</Ref> {a.title}
          </>
        }
        documentTitle={`${a.reference} ${a.title}`}
        actions={
          <>
            <Badge size="lg" color={statusColors[a.status]} variant="light" data-testid="audit-status">
              {statusLabels[a.status]}
            </Badge>
            {canMove &&
              nextSteps[a.status].map((to) => (
                <Button
                  key={to}
                  variant={to === nextSteps[a.status][0] ? 'filled' : 'default'}
                  loading={move.isPending && move.variables === to}
                  onClick={() => move.mutate(to)}
                  data-testid={`move-${to}`}
                >
                  {t(`detail.move.${to}`)}
                </Button>
              ))}
            <PdfWordButtons href={reportHref} pdfLabel={t('detail.pdf')} wordLabel={t('detail.docx')} testId="report" />
            <Button
              variant="default"
              component="a"
              href={`/api/scopes/${scope.id}/audits/${a.id}/export.oscal.json`}
              download
              title={t('detail.oscalHint')}
              leftSection={<IconJson size={16} />}
              data-testid="report-oscal"
            >
              {t('detail.oscal')}
            </Button>
          </>
        }
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="lg">
        <Card withBorder radius="md">
          <Stack gap="xs">
            <Text size="sm">
              <b>{t('detail.source')}:</b>{' '}
              {a.source === 'internal'
                ? t('detail.internal')
                : [a.externalParty ? partyLabels[a.externalParty] : '', a.externalOrganisation].filter(Boolean).join(', ')}
              {a.cycleNumber !== null && ` · ${t('detail.cycle', { number: a.cycleNumber })}`}
            </Text>
            <Text size="sm">
              <b>{t('detail.dates')}:</b> {formatDate(a.plannedStart)} – {formatDate(a.plannedEnd)}
            </Text>
            <Text size="sm">
              <b>{t('detail.lead')}:</b> {a.leadAuditor?.name ?? '—'}
            </Text>
            <Text size="sm">
              <b>{t('detail.members')}:</b> {formatList(a.team.map((m) => m.name)) || '—'}
            </Text>
            <Text size="sm">
              <b>{t('detail.scope')}:</b> {a.scope || '—'}
            </Text>
          </Stack>
        </Card>
        <Card withBorder radius="md">
          <Text fw={600} size="sm" mb={4}>
            {t('detail.criteria')}
          </Text>
          <Stack gap={2}>
            {a.criteria.clauses.map((c) => (
              <Text size="sm" key={c.clause}>
                ISO/IEC 27001 {c.clause} {c.title}
              </Text>
            ))}
            {a.criteria.requirements.map((r) => (
              <Text size="sm" key={r.id}>
                {r.identifier} {r.title}
              </Text>
            ))}
            {a.criteria.processes.length > 0 && processes.query.data && (
              <Text size="sm" data-testid="audit-criteria-processes">
                {t('detail.processes', { list: formatList(a.criteria.processes.map(processes.name)) })}
              </Text>
            )}
            {a.criteria.clauses.length + a.criteria.requirements.length + a.criteria.processes.length === 0 && <Text size="sm">—</Text>}
          </Stack>
          {a.independence.length > 0 && (
            <>
              <Text fw={600} size="sm" mt="sm" mb={4}>
                {t('detail.independence')}
              </Text>
              {a.independence.map((j) => (
                <Text size="sm" key={j.conflict + j.recordedAt}>
                  {t('detail.independenceRecorded', { conflict: j.conflict, justification: j.justification })}
                </Text>
              ))}
            </>
          )}
        </Card>
      </SimpleGrid>
      {!a.canRecord && a.status !== 'closed' && (
        <Alert color="gray" variant="light" mb="md" icon={<IconInfoCircle size={18} />}>
          {t('detail.readOnly')}
        </Alert>
      )}
      <Card withBorder radius="md" p={0} mb="lg">
        <Group p="md" justify="space-between">
          <Title order={4}>{t('detail.checklist')}</Title>
          {a.canRecord && (a.source === 'external' || recordable) && (
            <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="add-finding">
              {t('detail.addFinding')}
            </Button>
          )}
        </Group>
        {a.checklist.length === 0 ? (
          <Text p="md" pt={0} size="sm" c="dimmed">
            {t('detail.noChecklist')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" data-testid="checklist">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>#</Table.Th>
                  <Table.Th>{t('detail.checklist')}</Table.Th>
                  <Table.Th>{t('detail.toSample')}</Table.Th>
                  <Table.Th>{t('recordModal.result')}</Table.Th>
                  <Table.Th>{t('detail.finding')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.checklist.map((i) => (
                  <Table.Tr key={i.id} data-testid="checklist-row">
                    <Table.Td>{i.position}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {i.title}
                      </Text>
                      {i.followUpOf && (
                        <Text size="xs" c="dimmed">
                          {t('detail.followUp', { ref: i.followUpOf.reference })}
                        </Text>
                      )}
                      {i.notes && (
                        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                          {i.notes}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {i.toSample.length === 0 ? (
                        i.clause && clauseRegisters[i.clause] ? (
                          <Text size="xs">
                            {clauseRegisters[i.clause]!.map((r, n) => (
                              <span key={r}>
                                {n > 0 && ', '}
                                <Anchor component={Link} to={`/s/${scope.id}/${r}`} size="xs">
                                  {registerLabels[r]}
                                </Anchor>
                              </span>
                            ))}
                          </Text>
                        ) : (
                          <Text size="xs" c="dimmed">
                            —
                          </Text>
                        )
                      ) : (
                        i.toSample.map((e) => (
                          <Text size="xs" key={e.id}>
                            <Anchor component={Link} to={`/s/${scope.id}/evidence`} size="xs">
                              {e.reference}
                            </Anchor>{' '}
                            {e.title} · {formatDate(e.evidenceDate)}
                            {i.sampledEvidence.some((s) => s.id === e.id) && (
                              <Badge ml={4} size="xs" variant="light" color="teal">
                                {t('detail.sampled')}
                              </Badge>
                            )}
                          </Text>
                        ))
                      )}
                    </Table.Td>
                    <Table.Td>
                      {i.result ? (
                        <Badge color={resultColors[i.result]} variant="light">
                          {resultLabels[i.result]}
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('detail.notRecorded')}
                        </Text>
                      )}
                      {i.recordedBy && i.recordedAt && (
                        <Text size="xs" c="dimmed">
                          {t('detail.recordedBy', { name: i.recordedBy, date: formatDateTime(i.recordedAt) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {i.finding ? (
                        <Anchor
                          component={Link}
                          to={`/s/${scope.id}/improvement${i.finding.type === 'nonconformity' ? `/${i.finding.id}` : ''}`}
                          size="sm"
                          style={{ whiteSpace: 'nowrap' }}
                        >
                          {i.finding.reference}
                        </Anchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>
                      {recordable && (
                        <Button size="compact-sm" variant="default" onClick={() => setRecording(i)} data-testid="record-result">
                          {t('detail.record')}
                        </Button>
                      )}
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
          {t('detail.conclusion')}
        </Text>
        {a.canManage && a.status !== 'closed' ? (
          <Stack gap="xs">
            <Textarea
              autosize
              minRows={2}
              placeholder={t('detail.conclusionPlaceholder')}
              maxLength={auditLimits.conclusion}
              value={conclusion ?? a.conclusion}
              onChange={(e) => setConclusion(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                disabled={conclusion === null || conclusion === a.conclusion}
                loading={saveConclusion.isPending}
                onClick={() => saveConclusion.mutate(conclusion ?? '')}
              >
                {t('detail.saveConclusion')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Text size="sm">{a.conclusion || '—'}</Text>
        )}
      </Card>
      {recording && <RecordModal key={recording.id} audit={a} item={recording} onClose={() => setRecording(null)} />}
      <FindingModal audit={a} opened={adding} onClose={() => setAdding(false)} />
    </>
  );
}
