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
import { api } from '../../app/api.ts';
import { formatDate, formatDateTime } from '../../app/labels.ts';
import { useCan, useCurrentScope, useCurrentSession, useMembers } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import type { ChangeDetail } from '../incidents/incident-types.ts';
import { changeStatusColors, changeStatusLabels, sourceLabels } from './ChangeListPage.tsx';

export function ChangeDetailPage() {
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
  const [risk, setRisk] = useState('medium');
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const [approvers, setApprovers] = useState<string[]>([]);
  const [tasks, setTasks] = useState('');
  if (change.isLoading) return <PageLoader />;
  if (change.error || !change.data) return <ErrorAlert error={change.error} />;
  const c = change.data;
  const write = can('change:write');
  const myApproval = c.approvals.find((a) => a.approver.id === session.user.id && !a.decision);
  const run = async (path: string, body: object, message: string) => {
    try {
      qc.setQueryData(key, await api.post<ChangeDetail>(`/api/scopes/${scope.id}/changes/${id}/${path}`, { version: c.version, ...body }));
      void qc.invalidateQueries({ queryKey: ['changes', scope.id] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
      notifySuccess(message);
      setStep(null);
      setText('');
    } catch (e) {
      notifyError(e);
    }
  };
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  return (
    <>
      <PageHeader
        crumbs={[{ label: 'Changes', to: `/s/${scope.id}/changes` }, { label: c.reference }]}
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
            {write && c.status === 'requested' && <Button onClick={() => setStep('submit')}>Review and send for approval</Button>}
            {myApproval && c.status === 'under_review' && <Button onClick={() => setStep('decide')}>Decide</Button>}
            {write && c.status === 'approved' && <Button onClick={() => setStep('implement')}>Start implementation</Button>}
            {write && c.status === 'implementing' && <Button onClick={() => setStep('verify')}>Record verification</Button>}
            {write && c.status === 'verified' && <Button onClick={() => run('close', {}, `${c.reference} closed`)}>Close</Button>}
          </>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md">
            <Stack gap="xs">
              <Text size="sm">
                <b>Why:</b> {c.reason}
              </Text>
              {c.description && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {c.description}
                </Text>
              )}
              <Text size="sm">
                <b>Planned:</b> {formatDate(c.plannedOn)} · <b>Owner:</b> {c.owner?.name ?? '—'}
              </Text>
              <Title order={5} mt="sm">
                What changes
              </Title>
              {c.targets.length ? (
                <List size="sm">
                  {c.targets.map((t) => (
                    <List.Item key={`${t.recordType}${t.recordId}`}>
                      {t.recordType}: {t.label}
                    </List.Item>
                  ))}
                </List>
              ) : (
                <Text size="sm" c="dimmed">
                  No records linked.
                </Text>
              )}
              <Title order={5} mt="sm">
                Also affected (through links)
              </Title>
              {c.affected.length ? (
                <List size="sm">
                  {c.affected.map((a) => (
                    <List.Item key={a.recordId}>
                      {a.label}{' '}
                      <Text span size="xs" c="dimmed">
                        ({a.via})
                      </Text>
                    </List.Item>
                  ))}
                </List>
              ) : (
                <Text size="sm" c="dimmed">
                  Nothing else found.
                </Text>
              )}
              {c.consequences && (
                <Text size="sm" mt="sm">
                  <b>Review of consequences ({c.changeRisk} risk):</b> {c.consequences}
                </Text>
              )}
              {c.decisionReason && (
                <Text size="sm">
                  <b>Decision:</b> {c.decisionReason}
                </Text>
              )}
              {c.verification && (
                <Text size="sm">
                  <b>Verification:</b> {c.verification} ({formatDateTime(c.verifiedAt)})
                </Text>
              )}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Card withBorder radius="md">
              <Title order={5} mb="xs">
                Approvals
              </Title>
              {c.approvals.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Not sent for approval yet.
                </Text>
              ) : (
                <Table fz="sm">
                  <Table.Tbody>
                    {c.approvals.map((a) => (
                      <Table.Tr key={a.approver.id}>
                        <Table.Td>{a.approver.name}</Table.Td>
                        <Table.Td>
                          <Badge color={a.decision === 'approve' ? 'teal' : a.decision === 'reject' ? 'red' : 'gray'} variant="light">
                            {a.decision ?? 'pending'}
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
                Implementation tasks
              </Title>
              {c.tasks.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None yet.
                </Text>
              ) : (
                <List size="sm">
                  {c.tasks.map((t) => (
                    <List.Item key={t.id}>
                      <Ref>{t.reference}</Ref> {t.title}{' '}
                      <Badge size="xs" variant="light">
                        {t.status}
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
              <Text size="sm">Review the consequences of the change before it is approved.</Text>
              <SegmentedControl
                data={[
                  { value: 'low', label: 'Low risk' },
                  { value: 'medium', label: 'Medium risk' },
                  { value: 'high', label: 'High risk' },
                ]}
                value={risk}
                onChange={setRisk}
              />
              <Textarea label="Consequences" autosize minRows={3} value={text} onChange={(e) => setText(e.currentTarget.value)} />
              <MultiSelect
                label="Approvers"
                description={
                  scope.profile === 'large'
                    ? 'The change board: every approver must approve; not the requester'
                    : 'Default: the owner of the change-management process'
                }
                data={memberData}
                value={approvers}
                onChange={setApprovers}
                searchable
              />
              <Button onClick={() => run('submit', { changeRisk: risk, consequences: text, approverIds: approvers }, 'Sent for approval')}>
                Send for approval
              </Button>
            </>
          )}
          {step === 'decide' && (
            <>
              <SegmentedControl
                data={[
                  { value: 'approve', label: 'Approve' },
                  { value: 'reject', label: 'Reject' },
                ]}
                value={decision}
                onChange={(v) => setDecision(v as 'approve' | 'reject')}
              />
              <Textarea
                label={decision === 'reject' ? 'Reasons (required)' : 'Comment'}
                autosize
                minRows={2}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              <Button
                color={decision === 'reject' ? 'red' : 'teal'}
                onClick={() => run('decision', { decision, comment: text }, decision === 'approve' ? 'Approved' : 'Rejected')}
              >
                Record decision
              </Button>
            </>
          )}
          {step === 'implement' && (
            <>
              <Textarea
                label="Implementation tasks"
                description="One task per line"
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
                    'Implementation started',
                  )
                }
              >
                Create tasks and start
              </Button>
            </>
          )}
          {step === 'verify' && (
            <>
              <TextInput label="How was the change verified?" value={text} onChange={(e) => setText(e.currentTarget.value)} />
              <Button onClick={() => run('verify', { verification: text }, 'Verification recorded')}>Record verification</Button>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}
