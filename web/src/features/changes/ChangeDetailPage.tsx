import {
  Badge,
  Button,
  Card,
  Grid,
  Group,
  List,
  Modal,
  MultiSelect,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDate, formatDateTime, taskStatusLabels } from '../../app/labels.ts';
import { canRole, useCan, useCurrentScope, useCurrentSession, useMembers } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import type { TaskStatus } from '../../app/types.ts';
import type { ChangeDetail, ChangeStepInputs } from '../incidents/incident-types.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { decideChangeBody, submitChangeBody, verifyChangeBody } from '../../../../server/src/processes/change-management/change.schemas.ts';

const submitLimits = textLimits(submitChangeBody.shape);
const decideLimits = textLimits(decideChangeBody.shape);
const verifyLimits = textLimits(verifyChangeBody.shape);

import { changeStatusColors, changeStatusLabels, sourceLabels } from './ChangeListPage.tsx';

export function ChangeDetailPage() {
  const { t: tr } = useTranslation('changes');
  const { id } = useParams();
  const scope = useCurrentScope();
  const session = useCurrentSession();
  const can = useCan();
  const qc = useQueryClient();
  const members = useMembers(scope.id);
  const key = ['change', scope.id, id];
  const change = useQuery({ queryKey: key, queryFn: () => api.get<ChangeDetail>(`/api/scopes/${scope.id}/changes/${id}`) });
  const [step, setStep] = useState<null | 'submit' | 'decide' | 'implement' | 'verify'>(null);
  const [text, setText] = useState('');
  const [risk, setRisk] = useState<ChangeStepInputs['submit']['changeRisk']>('medium');
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const [approvers, setApprovers] = useState<string[]>([]);
  const [tasks, setTasks] = useState('');
  if (change.isLoading) return <PageLoader />;
  if (change.error || !change.data) return <ErrorAlert error={change.error} />;
  const c = change.data;
  const write = can('change:write');
  const myApproval = c.approvals.find((a) => a.approver.id === session.user.id && !a.decision);
  const run = async <P extends keyof ChangeStepInputs>(path: P, body: Omit<ChangeStepInputs[P], 'version'>, message: string) => {
    try {
      // the spread of a generic body is not narrowed by the compiler: the parameter's type above is what is checked
      const step = { ...body, version: c.version } as ChangeStepInputs[P];
      qc.setQueryData(key, await api.post<ChangeDetail, ChangeStepInputs[P]>(`/api/scopes/${scope.id}/changes/${id}/${path}`, step));
      void qc.invalidateQueries({ queryKey: ['changes', scope.id] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
      notifySuccess(message);
      setStep(null);
      setText('');
    } catch (e) {
      notifyError(e);
    }
  };
  // only members whose role may approve changes can be named approvers
  const approverData = (members.data ?? [])
    .filter((m) => canRole(m.role, 'change:approve'))
    .map((m) => ({ value: m.userId, label: m.name }));
  return (
    <>
      <PageHeader
        crumbs={[{ label: tr('detail.changes'), to: `/s/${scope.id}/changes` }, { label: c.reference }]}
        documentTitle={`${c.reference} ${c.title}`}
        title={
          <>
            <Ref>{c.reference}</Ref> {c.title}
          </>
        }
        description={
          <Group gap={6} component="span">
            <Badge color={changeStatusColors[c.status]}>{changeStatusLabels[c.status]}</Badge>
            <Badge variant="outline">
              {sourceLabels[c.source]}
              {c.sourceRecord?.ref ? ` · ${c.sourceRecord.ref}` : ''}
            </Badge>
          </Group>
        }
        actions={
          <>
            {write && c.status === 'requested' && <Button onClick={() => setStep('submit')}>{tr('detail.reviewAndSend')}</Button>}
            {myApproval && c.status === 'under_review' && <Button onClick={() => setStep('decide')}>{tr('detail.decide')}</Button>}
            {write && c.status === 'approved' && <Button onClick={() => setStep('implement')}>{tr('detail.startImplementation')}</Button>}
            {write && c.status === 'implementing' && <Button onClick={() => setStep('verify')}>{tr('detail.recordVerification')}</Button>}
            {write && c.status === 'verified' && (
              <Button onClick={() => run('close', {}, tr('detail.closed', { reference: c.reference }))}>{tr('detail.close')}</Button>
            )}
          </>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md">
            <Stack gap="xs">
              <Text size="sm">
                <b>{tr('detail.why')}</b> {c.reason}
              </Text>
              {c.description && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {c.description}
                </Text>
              )}
              <Text size="sm">
                <b>{tr('detail.planned')}</b> {formatDate(c.plannedOn)} · <b>{tr('detail.owner')}</b> {c.owner?.name ?? '—'}
              </Text>
              <Title order={5} mt="sm">
                {tr('detail.whatChanges')}
              </Title>
              {c.targets.length ? (
                <List size="sm">
                  {c.targets.map((t) => (
                    <List.Item key={`${t.recordType}${t.recordId}`}>
                      {tr(`targetType.${t.recordType}`)}: {t.label}
                    </List.Item>
                  ))}
                </List>
              ) : (
                <Text size="sm" c="dimmed">
                  {tr('detail.noRecords')}
                </Text>
              )}
              <Title order={5} mt="sm">
                {tr('detail.alsoAffected')}
              </Title>
              {c.affected.length ? (
                <List size="sm">
                  {c.affected.map((a) => (
                    <List.Item key={a.recordId}>
                      {a.label}{' '}
                      <Text span size="xs" c="dimmed">
                        ({tr('detail.dependsOn', { label: a.dependsOn })})
                      </Text>
                    </List.Item>
                  ))}
                </List>
              ) : (
                <Text size="sm" c="dimmed">
                  {tr('detail.nothingElse')}
                </Text>
              )}
              {c.consequences && (
                <Text size="sm" mt="sm">
                  <b>{tr('detail.consequences', { risk: c.changeRisk })}</b> {c.consequences}
                </Text>
              )}
              {c.decisionReason && (
                <Text size="sm">
                  <b>{tr('detail.decision')}</b> {c.decisionReason}
                </Text>
              )}
              {c.verification && (
                <Text size="sm">
                  <b>{tr('detail.verification')}</b> {c.verification} ({formatDateTime(c.verifiedAt)})
                </Text>
              )}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Card withBorder radius="md">
              <Title order={5} mb="xs">
                {tr('detail.approvals')}
              </Title>
              {c.approvals.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {tr('detail.notSent')}
                </Text>
              ) : (
                <Table fz="sm">
                  <Table.Tbody>
                    {c.approvals.map((a) => (
                      <Table.Tr key={a.approver.id}>
                        <Table.Td>{a.approver.name}</Table.Td>
                        <Table.Td>
                          <Badge color={a.decision === 'approve' ? 'teal' : a.decision === 'reject' ? 'red' : 'gray'} variant="light">
                            {tr(`detail.approvalDecision.${a.decision ?? 'pending'}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{a.comment}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
            <Card withBorder radius="md">
              <Title order={5} mb="xs">
                {tr('detail.implementationTasks')}
              </Title>
              {c.tasks.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {tr('detail.noneYet')}
                </Text>
              ) : (
                <List size="sm">
                  {c.tasks.map((t) => (
                    <List.Item key={t.id}>
                      <Ref>{t.reference}</Ref> {t.title}{' '}
                      <Badge size="xs" variant="light">
                        {taskStatusLabels[t.status as TaskStatus] ?? t.status}
                      </Badge>
                    </List.Item>
                  ))}
                </List>
              )}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={step !== null} onClose={() => setStep(null)} title={<Text fw={600}>{c.reference}</Text>} size="lg">
        <Stack>
          {step === 'submit' && (
            <>
              <Text size="sm">{tr('detail.reviewHint')}</Text>
              <SegmentedControl
                data={[
                  { value: 'low', label: tr('detail.risk.low') },
                  { value: 'medium', label: tr('detail.risk.medium') },
                  { value: 'high', label: tr('detail.risk.high') },
                ]}
                value={risk}
                onChange={(v) => v && setRisk(v as typeof risk)}
              />
              <Textarea
                label={tr('detail.consequencesLabel')}
                autosize
                minRows={3}
                maxLength={submitLimits.consequences}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              <MultiSelect
                label={tr('detail.approvers')}
                description={scope.profile === 'large' ? tr('detail.approversLarge') : tr('detail.approversSmall')}
                data={approverData}
                value={approvers}
                onChange={setApprovers}
                searchable
              />
              <Button onClick={() => run('submit', { changeRisk: risk, consequences: text, approverIds: approvers }, tr('detail.sent'))}>
                {tr('detail.send')}
              </Button>
            </>
          )}
          {step === 'decide' && (
            <>
              <SegmentedControl
                data={[
                  { value: 'approve', label: tr('detail.approve') },
                  { value: 'reject', label: tr('detail.reject') },
                ]}
                value={decision}
                onChange={(v) => setDecision(v as 'approve' | 'reject')}
              />
              <Textarea
                label={decision === 'reject' ? tr('detail.reasonsRequired') : tr('detail.comment')}
                autosize
                minRows={2}
                maxLength={decideLimits.comment}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              <Button
                color={decision === 'reject' ? 'red' : 'teal'}
                onClick={() =>
                  run('decision', { decision, comment: text }, decision === 'approve' ? tr('status.approved') : tr('status.rejected'))
                }
              >
                {tr('detail.recordDecision')}
              </Button>
            </>
          )}
          {step === 'implement' && (
            <>
              {/* no maxLength on the whole: each line is a task's title, which the server checks */}
              <Textarea
                label={tr('detail.implementationTasks')}
                description={tr('detail.onePerLine')}
                autosize
                minRows={3}
                value={tasks}
                onChange={(e) => setTasks(e.currentTarget.value)}
              />
              <Button
                onClick={() =>
                  run(
                    'implement',
                    {
                      tasks: tasks
                        .split('\n')
                        .map((t) => t.trim())
                        .filter(Boolean)
                        .map((title) => ({ title })),
                    },
                    tr('detail.implementationStarted'),
                  )
                }
              >
                {tr('detail.createTasks')}
              </Button>
            </>
          )}
          {step === 'verify' && (
            <>
              <TextInput
                label={tr('detail.howVerified')}
                maxLength={verifyLimits.verification}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              <Button onClick={() => run('verify', { verification: text }, tr('detail.verificationRecorded'))}>
                {tr('detail.recordVerification')}
              </Button>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}
