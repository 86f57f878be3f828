import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  List,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { textLimits, todayDay } from '../../app/FormParts.tsx';
import {
  correctiveActionBody,
  MAX_ROOT_CAUSE_STEPS,
  effectivenessBody,
  nonconformityChangeBody,
  updateNonconformityBody,
} from '../../../../server/src/processes/improvement/improvement.schemas.ts';
import { formatDate, formatDateTime, taskStatusLabels } from '../../app/labels.ts';
import type { TaskStatus } from '../../app/types.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import type {
  CorrectiveActionInput,
  EffectivenessInput,
  NonconformityChangeInput,
  NonconformityDetail,
  RequestCheckInput,
  UpdateNonconformityInput,
} from '../incidents/incident-types.ts';
import { findingSeverityLabels, findingSourceLabels, findingStatusColors, findingStatusLabels } from './ImprovementPage.tsx';

const actionLimits = textLimits(correctiveActionBody.shape);
const ncLimits = textLimits(updateNonconformityBody.shape);
const effectivenessLimits = textLimits(effectivenessBody.shape);
const changeLimits = textLimits(nonconformityChangeBody.shape);

/** What a nonconformity's page writes, by the path after the nonconformity (`''` is the nonconformity itself: PATCH). */
interface NonconformityWrites {
  '': UpdateNonconformityInput;
  '/corrective-actions': CorrectiveActionInput;
  '/effectiveness-check': RequestCheckInput;
  '/effectiveness': EffectivenessInput;
  '/change-request': NonconformityChangeInput;
}

export function NonconformityPage() {
  const { t } = useTranslation('improvement');
  const { id } = useParams();
  const scope = useCurrentScope();
  const can = useCan();
  const qc = useQueryClient();
  const members = useMembers(scope.id);
  const key = ['nonconformity', scope.id, id];
  const query = useQuery({ queryKey: key, queryFn: () => api.get<NonconformityDetail>(`/api/scopes/${scope.id}/nonconformities/${id}`) });
  const [correction, setCorrection] = useState('');
  const [whys, setWhys] = useState<string[]>([]);
  // small profile: the root cause could not be determined, and why (ISO 27001 10.2 b)
  const [notDetermined, setNotDetermined] = useState(false);
  const [whyNot, setWhyNot] = useState('');
  const [action, setAction] = useState({ title: '', ownerId: null as string | null, dueOn: '' });
  const [step, setStep] = useState<null | 'check' | 'effectiveness' | 'change'>(null);
  const [text, setText] = useState('');
  const [date, setDate] = useState('');
  const [effective, setEffective] = useState('yes');
  useEffect(() => {
    if (query.data) {
      setCorrection(query.data.immediateCorrection);
      setWhys(query.data.rootCause.length ? query.data.rootCause : ['']);
      setNotDetermined(query.data.rootCauseNotDetermined !== null);
      setWhyNot(query.data.rootCauseNotDetermined ?? '');
    }
  }, [query.data]);
  if (query.isLoading) return <PageLoader />;
  if (query.error || !query.data) return <ErrorAlert error={query.error} />;
  const nc = query.data;
  const write = can('improvement:write') && nc.status !== 'closed';
  const small = scope.profile !== 'large';
  // ISO 27001 10.2 b): a nonconformity closes only with its root cause (or, in the small profile, why it is not known)
  const rootCauseMissing = nc.kind === 'nonconformity' && nc.rootCause.length === 0 && (!small || nc.rootCauseNotDetermined === null);
  const call = async <P extends keyof NonconformityWrites>(path: P, body: NonconformityWrites[P], message: string) => {
    try {
      const url = `/api/scopes/${scope.id}/nonconformities/${id}${path}`;
      const next =
        path === ''
          ? await api.patch<NonconformityDetail, NonconformityWrites['']>(url, body as NonconformityWrites[''])
          : await api.post<NonconformityDetail, NonconformityWrites[P]>(url, body);
      qc.setQueryData(key, next);
      void qc.invalidateQueries({ queryKey: ['nonconformities', scope.id] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
      notifySuccess(message);
      setStep(null);
      setText('');
      return true;
    } catch (e) {
      notifyError(e);
      void query.refetch();
      return false;
    }
  };
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  return (
    <>
      <PageHeader
        crumbs={[{ label: t('page.title'), to: `/s/${scope.id}/improvement` }, { label: nc.reference }]}
        documentTitle={`${nc.reference} ${nc.title}`}
        title={
          <>
            <Ref>{nc.reference}</Ref> {nc.title}
          </>
        }
        description={
          <Group gap={6} component="span">
            <Badge color={findingStatusColors[nc.status]}>{findingStatusLabels[nc.status]}</Badge>
            <Badge variant="outline">
              {findingSourceLabels[nc.source]}
              {nc.sourceRecord?.ref ? ` · ${nc.sourceRecord.ref}` : ''}
            </Badge>
            <Badge variant="outline" color={nc.severity === 'major' ? 'red' : 'gray'}>
              {findingSeverityLabels[nc.severity]}
            </Badge>
          </Group>
        }
        actions={
          <>
            {write && can('change:write') && (
              <Button variant="default" onClick={() => setStep('change')}>
                {t('nc.requestChange')}
              </Button>
            )}
            {write && nc.status === 'in_progress' && <Button onClick={() => setStep('check')}>{t('nc.scheduleCheck')}</Button>}
            {write && nc.status === 'effectiveness_check' && (
              <Button onClick={() => setStep('effectiveness')}>{t('nc.recordEffectiveness')}</Button>
            )}
          </>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Card withBorder radius="md">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {nc.description || t('nc.noDescription')}
              </Text>
              <Text size="sm" mt="xs">
                <b>{t('nc.requirement')}</b> {nc.requirement || '—'} · <b>{t('nc.owner')}</b> {nc.owner?.name ?? '—'}
              </Text>
              {nc.effectivenessResult && (
                <Text size="sm" mt="xs">
                  <b>{t('nc.effectiveness')}</b> {nc.effectivenessResult} ({formatDateTime(nc.effectivenessCheckedAt)})
                </Text>
              )}
            </Card>
            <Card withBorder radius="md">
              <Title order={5}>{t('nc.correction')}</Title>
              <Textarea
                mt="xs"
                autosize
                minRows={2}
                maxLength={ncLimits.immediateCorrection}
                value={correction}
                onChange={(e) => setCorrection(e.currentTarget.value)}
                disabled={!write}
                aria-label={t('nc.correction')}
              />
              <Title order={5} mt="md">
                {t('nc.fiveWhys')}
              </Title>
              {small && (write || notDetermined) && (
                <Checkbox
                  mt="xs"
                  label={t('nc.notDetermined')}
                  checked={notDetermined}
                  onChange={(e) => setNotDetermined(e.currentTarget.checked)}
                  disabled={!write}
                  data-testid="nc-not-determined"
                />
              )}
              {notDetermined && (
                <Textarea
                  mt="xs"
                  autosize
                  minRows={2}
                  label={t('nc.whyNotDetermined')}
                  value={whyNot}
                  onChange={(e) => setWhyNot(e.currentTarget.value)}
                  disabled={!write}
                  maxLength={ncLimits.rootCauseNotDetermined}
                  data-testid="nc-why-not-determined"
                />
              )}
              <Stack gap={6} mt="xs" display={notDetermined ? 'none' : undefined}>
                {whys.map((w, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the answers are positional ("why 1", "why 2", …)
                  <Group key={i} gap="xs" wrap="nowrap">
                    <Text size="sm" c="dimmed" w={60}>
                      {t('nc.whyN', { n: i + 1 })}
                    </Text>
                    <TextInput
                      style={{ flex: 1 }}
                      maxLength={ncLimits.rootCause}
                      value={w}
                      onChange={(e) => setWhys((l) => l.map((x, j) => (j === i ? e.currentTarget.value : x)))}
                      disabled={!write}
                      aria-label={t('nc.whyLabel', { n: i + 1 })}
                    />
                    {write && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => setWhys((l) => l.filter((_, j) => j !== i))}
                        aria-label={t('nc.remove')}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    )}
                  </Group>
                ))}
              </Stack>
              {write && (
                <Group mt="sm" justify="space-between">
                  <Button
                    size="xs"
                    variant="subtle"
                    leftSection={<IconPlus size={14} />}
                    disabled={whys.length >= MAX_ROOT_CAUSE_STEPS || notDetermined}
                    onClick={() => setWhys((l) => [...l, ''])}
                  >
                    {t('nc.addWhy')}
                  </Button>
                  <Button
                    size="xs"
                    onClick={() =>
                      call(
                        '',
                        {
                          version: nc.version,
                          immediateCorrection: correction,
                          rootCause: notDetermined ? [] : whys.map((w) => w.trim()).filter(Boolean),
                          ...(small && { rootCauseNotDetermined: notDetermined ? whyNot.trim() : null }),
                        },
                        t('nc.analysisSaved'),
                      )
                    }
                  >
                    {t('nc.saveAnalysis')}
                  </Button>
                </Group>
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md">
            <Title order={5} mb="xs">
              {t('nc.correctiveActions')}
            </Title>
            {nc.correctiveActions.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('nc.noneYet')}
              </Text>
            ) : (
              <List size="sm" spacing={4}>
                {nc.correctiveActions.map((a) => (
                  <List.Item key={a.taskId}>
                    <Ref>{a.reference}</Ref> {a.title} · {a.assignee?.name ?? t('nc.unassigned')} · {formatDate(a.dueOn)}{' '}
                    <Badge size="xs" variant="light" color={a.status === 'done' ? 'teal' : 'blue'}>
                      {taskStatusLabels[a.status as TaskStatus] ?? a.status}
                    </Badge>
                  </List.Item>
                ))}
              </List>
            )}
            {write && (nc.status === 'open' || nc.status === 'in_progress') && (
              <Stack gap="xs" mt="md">
                <TextInput
                  placeholder={t('nc.newAction')}
                  maxLength={actionLimits.title}
                  value={action.title}
                  onChange={(e) => setAction({ ...action, title: e.currentTarget.value })}
                  aria-label={t('nc.action')}
                />
                <Group grow>
                  <Select
                    placeholder={t('nc.ownerPlaceholder')}
                    clearable
                    searchable
                    data={memberData}
                    value={action.ownerId}
                    onChange={(v) => setAction({ ...action, ownerId: v })}
                    aria-label={t('nc.ownerPlaceholder')}
                  />
                  <TextInput
                    type="date"
                    min={todayDay()}
                    value={action.dueOn}
                    onChange={(e) => setAction({ ...action, dueOn: e.currentTarget.value })}
                    aria-label={t('nc.dueDate')}
                  />
                </Group>
                <Button
                  size="xs"
                  disabled={!action.title.trim()}
                  onClick={async () => {
                    if (
                      await call(
                        '/corrective-actions',
                        { title: action.title, ownerId: action.ownerId, dueOn: action.dueOn || null },
                        t('nc.actionAssigned'),
                      )
                    )
                      setAction({ title: '', ownerId: null, dueOn: '' });
                  }}
                >
                  {t('nc.addAction')}
                </Button>
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      <Modal opened={step !== null} onClose={() => setStep(null)} title={<Text fw={600}>{nc.reference}</Text>}>
        <Stack>
          {step === 'check' && (
            <>
              <TextInput label={t('nc.checkOn')} type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} />
              <Button
                onClick={() => call('/effectiveness-check', { version: nc.version, effectivenessDueOn: date }, t('nc.checkScheduled'))}
              >
                {t('nc.schedule')}
              </Button>
            </>
          )}
          {step === 'effectiveness' && (
            <>
              <SegmentedControl
                data={[
                  { value: 'yes', label: t('nc.effectiveClose') },
                  { value: 'no', label: t('nc.notEffective') },
                ]}
                value={effective}
                onChange={setEffective}
              />
              <Textarea
                label={t('nc.checkFound')}
                autosize
                minRows={2}
                maxLength={effectivenessLimits.note}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              {effective === 'yes' && rootCauseMissing && (
                <Alert color="orange" variant="light" data-testid="nc-root-cause-missing">
                  {small ? t('nc.rootCauseMissingSmall') : t('nc.rootCauseMissing')}
                </Alert>
              )}
              <Button
                disabled={effective === 'yes' && rootCauseMissing}
                onClick={() =>
                  call(
                    '/effectiveness',
                    { version: nc.version, effective: effective === 'yes', note: text },
                    effective === 'yes' ? t('nc.closed') : t('nc.reopened'),
                  )
                }
              >
                {t('nc.record')}
              </Button>
            </>
          )}
          {step === 'change' && (
            <>
              <TextInput
                label={t('nc.whatChange')}
                maxLength={changeLimits.title}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              <Button onClick={() => call('/change-request', { title: text }, t('nc.changeSent'))}>{t('nc.requestChangeButton')}</Button>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}
