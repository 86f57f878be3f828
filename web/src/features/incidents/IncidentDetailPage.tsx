import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api.ts';
import { PdfWordButtons } from '../../app/DownloadButtons.tsx';
import { formatDateTime } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { Asset } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import { Countdown } from './Countdown.tsx';
import {
  categoryLabels,
  followUpLabels,
  type IncidentDetail,
  incidentStatusColors,
  incidentStatusLabels,
  measureLabels,
  severityColors,
  severityLabels,
  type IncidentEventInput,
  type IncidentTaskInput,
  type RecordNotificationInput,
  type TransitionInput,
  type TriageInput,
} from './incident-types.ts';
import { textLimits, todayDay } from '../../app/FormParts.tsx';
import {
  addIncidentEventBody,
  incidentTaskBody,
  recordNotificationBody,
  transitionIncidentBody,
} from '../../../../server/src/processes/incident-management/incident.schemas.ts';

const eventLimits = textLimits(addIncidentEventBody.shape);
const taskLimits = textLimits(incidentTaskBody.shape);
const notificationLimits = textLimits(recordNotificationBody.shape);
const transitionLimits = textLimits(transitionIncidentBody.shape);
const followUpLimits = textLimits(transitionIncidentBody.shape.followUps.unwrap().element.shape);
const correctiveActionLimits = textLimits(transitionIncidentBody.shape.followUps.unwrap().element.shape.correctiveAction.unwrap().shape);

/** What the incident page posts, by the path after the incident. */
interface IncidentWrites {
  status: TransitionInput;
  tasks: IncidentTaskInput;
  events: IncidentEventInput;
}
type PostToIncident = <P extends keyof IncidentWrites>(path: P, body: IncidentWrites[P], message: string) => Promise<boolean>;

const toLocalInput = (iso?: string | null) => {
  const d = iso ? new Date(iso) : new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
};
const utc = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

export function IncidentDetailPage() {
  const { t } = useTranslation('incidents');
  const { id } = useParams();
  const scope = useCurrentScope();
  const can = useCan();
  const qc = useQueryClient();
  const key = ['incident', scope.id, id];
  const incident = useQuery({ queryKey: key, queryFn: () => api.get<IncidentDetail>(`/api/scopes/${scope.id}/incidents/${id}`) });
  const [modal, setModal] = useState<null | 'triage' | 'resolved' | 'closed' | 'notify'>(null);
  const [notifyRegime, setNotifyRegime] = useState<RecordNotificationInput['regime'] | null>(null);
  if (incident.isLoading) return <PageLoader />;
  if (incident.error || !incident.data) return <ErrorAlert error={incident.error} />;
  const i = incident.data;
  const handle = can('incident:handle');
  const refresh = (next?: IncidentDetail) => {
    if (next) qc.setQueryData(key, next);
    void qc.invalidateQueries({ queryKey: ['incidents', scope.id] });
    void qc.invalidateQueries({ queryKey: ['my-tasks'] });
  };
  const post: PostToIncident = async (path, body, message) => {
    try {
      refresh(await api.post<IncidentDetail, IncidentWrites[typeof path]>(`/api/scopes/${scope.id}/incidents/${id}/${path}`, body));
      notifySuccess(message);
      return true;
    } catch (e) {
      notifyError(e);
      void incident.refetch();
      return false;
    }
  };

  return (
    <>
      <PageHeader
        crumbs={[{ label: t('list.title'), to: `/s/${scope.id}/incidents` }, { label: i.reference }]}
        documentTitle={`${i.reference} ${i.title}`}
        title={
          <>
            <Ref>{i.reference}</Ref> {i.title}
          </>
        }
        description={
          <Group gap={6} component="span">
            <Badge color={incidentStatusColors[i.status]} data-testid="incident-status">
              {incidentStatusLabels[i.status]}
            </Badge>
            {i.severity && <Badge color={severityColors[i.severity]}>{severityLabels[i.severity]}</Badge>}
            {i.category && <Badge variant="outline">{categoryLabels[i.category]}</Badge>}
            {i.personalData && (
              <Badge color="grape" variant="light">
                {t('badge.personalData')}
              </Badge>
            )}
            {i.nis2Significant && (
              <Badge color="indigo" variant="light">
                NIS2
              </Badge>
            )}
          </Group>
        }
        actions={
          <>
            {can('incident:read') && (
              <PdfWordButtons
                href={(format) => `/api/scopes/${scope.id}/incidents/${id}/report.${format}`}
                pdfLabel={t('detail.pdf')}
                wordLabel={t('detail.docx')}
                testId="report"
              />
            )}
            {handle && i.status !== 'closed' && (
              <Button variant={i.status === 'reported' ? 'filled' : 'default'} onClick={() => setModal('triage')}>
                {i.status === 'reported' ? t('detail.triage') : t('detail.editTriage')}
              </Button>
            )}
            {handle && i.nextStatuses.includes('responding') && (
              <Button
                variant="light"
                onClick={() => post('status', { version: i.version, status: 'responding' }, t('detail.responseStarted'))}
              >
                {i.status === 'resolved' ? t('detail.reopen') : t('detail.startResponse')}
              </Button>
            )}
            {handle && i.nextStatuses.includes('resolved') && (
              <Button color="teal" onClick={() => setModal('resolved')}>
                {t('detail.resolve')}
              </Button>
            )}
            {handle && i.nextStatuses.includes('closed') && (
              <Button color="gray" onClick={() => setModal('closed')}>
                {t('detail.close')}
              </Button>
            )}
          </>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <Card withBorder radius="md">
              <Stack gap="xs">
                <Title order={4}>{t('detail.whatHappened')}</Title>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={i.description ? undefined : 'dimmed'}>
                  {i.description || t('detail.noDetails')}
                </Text>
                <Text size="sm">
                  <b>{t('detail.affected')}</b> {i.affected || '—'}
                </Text>
                <Text size="sm">
                  <b>{t('detail.noticed')}</b> {formatDateTime(i.noticedAt)} · <b>{t('detail.reported')}</b>{' '}
                  {t('detail.reportedBy', { date: formatDateTime(i.reportedAt), name: i.reporter?.name ?? t('detail.unknown') })}
                </Text>
                {i.awareAt && (
                  <Text size="sm">
                    <b>{t('detail.awareSince')}</b> {formatDateTime(i.awareAt)} ({utc(i.awareAt)}) · <b>{t('detail.handler')}</b>{' '}
                    {i.handler?.name ?? '—'}
                  </Text>
                )}
                {i.assets.length > 0 && (
                  <Text size="sm">
                    <b>{t('detail.assets')}</b> {i.assets.map((a) => `${a.reference} ${a.name}`).join(', ')}
                  </Text>
                )}
                {i.lessonsLearned && (
                  <Text size="sm">
                    <b>{t('detail.lessons')}</b> {i.lessonsLearned}
                  </Text>
                )}
              </Stack>
            </Card>
            <TimelineCard incident={i} canAdd={handle && i.status !== 'closed'} post={post} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder radius="md" data-testid="regulatory-clocks">
            <Title order={4} mb="xs">
              {t('detail.clocks')}
            </Title>
            {!i.awareAt ? (
              <Text size="sm" c="dimmed">
                {t('detail.clocksStart')}
              </Text>
            ) : i.notifications.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('detail.noNotification')}
              </Text>
            ) : (
              <Stack gap="sm">
                {i.notifications.map((n) => (
                  <Card key={n.regime} withBorder radius="sm" p="sm" data-testid={`clock-${n.regime}`}>
                    <Text size="sm" fw={600}>
                      {t(`regime.${n.regime}`)}
                    </Text>
                    {n.sentAt ? (
                      <Text size="sm" c={n.late ? 'orange' : 'teal'}>
                        {t('detail.sent', { date: formatDateTime(n.sentAt), recipient: n.recipient })}
                        {n.late && ` — ${t('detail.late', { reason: n.lateReason })}`}
                      </Text>
                    ) : n.dueAt ? (
                      <Group justify="space-between" mt={4}>
                        <Text size="xs" c="dimmed">
                          {t('detail.due', { date: formatDateTime(n.dueAt), utc: utc(n.dueAt) })}
                        </Text>
                        <Countdown dueAt={n.dueAt} testId={`countdown-${n.regime}`} />
                      </Group>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {t('detail.dueAfterNis2')}
                      </Text>
                    )}
                    {handle && !n.sentAt && n.dueAt && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        mt={6}
                        onClick={() => {
                          setNotifyRegime(n.regime);
                          setModal('notify');
                        }}
                      >
                        {t('detail.recordSent')}
                      </Button>
                    )}
                  </Card>
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      {modal === 'triage' && <TriageModal incident={i} onClose={() => setModal(null)} onSaved={refresh} />}
      {(modal === 'resolved' || modal === 'closed') && (
        <TransitionModal incident={i} status={modal} onClose={() => setModal(null)} onSaved={refresh} />
      )}
      {modal === 'notify' && notifyRegime && (
        <NotifyModal incident={i} regime={notifyRegime} onClose={() => setModal(null)} onSaved={refresh} />
      )}
    </>
  );
}

function TimelineCard({ incident, canAdd, post }: { incident: IncidentDetail; canAdd: boolean; post: PostToIncident }) {
  const { t } = useTranslation('incidents');
  const scope = useCurrentScope();
  const members = useMembers(scope.id);
  const [kind, setKind] = useState<'note' | 'measure' | 'task'>('note');
  const [text, setText] = useState('');
  const [measure, setMeasure] = useState<IncidentEventInput['measure'] | null>('restore_from_backup');
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const add = async () => {
    if (!text.trim()) return;
    const ok =
      kind === 'task'
        ? await post('tasks', { title: text, assigneeId }, t('timeline.taskAssigned'))
        : await post(
            'events',
            { kind, text, ...(kind === 'measure' && measure && { measure }) },
            kind === 'measure' ? t('timeline.measureRecorded') : t('timeline.noteAdded'),
          );
    if (ok) setText('');
  };
  return (
    <Card withBorder radius="md" data-testid="incident-timeline">
      <Title order={4} mb="sm">
        {t('timeline.title')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2}>
        {incident.timeline.map((e) => (
          <Timeline.Item
            key={e.id}
            color={e.kind === 'measure' ? 'teal' : e.kind === 'notification' ? 'grape' : e.kind === 'status' ? 'blue' : 'gray'}
            title={
              <Text size="sm">
                {e.measure ? (
                  <Badge size="xs" color="teal" mr={6}>
                    {measureLabels[e.measure]}
                  </Badge>
                ) : null}
                {e.text}
              </Text>
            }
          >
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at)} · {e.actor}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
      {canAdd && (
        <Stack gap="xs" mt="md">
          <SegmentedControl
            size="xs"
            value={kind}
            onChange={(v) => setKind(v as typeof kind)}
            data={[
              { value: 'note', label: t('timeline.kind.note') },
              { value: 'measure', label: t('timeline.kind.measure') },
              { value: 'task', label: t('timeline.kind.task') },
            ]}
          />
          {kind === 'measure' && (
            <Select
              size="xs"
              data={Object.entries(measureLabels).map(([value, label]) => ({ value, label }))}
              value={measure}
              onChange={(v) => setMeasure(v as IncidentEventInput['measure'] | null)}
              allowDeselect={false}
              aria-label={t('timeline.measure')}
            />
          )}
          {kind === 'task' && (
            <Select
              size="xs"
              placeholder={t('timeline.assignee')}
              clearable
              searchable
              data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
              value={assigneeId}
              onChange={setAssigneeId}
              aria-label={t('timeline.assignee')}
            />
          )}
          <Group align="flex-start" gap="xs">
            <Textarea
              style={{ flex: 1 }}
              autosize
              minRows={1}
              placeholder={kind === 'task' ? t('timeline.taskPlaceholder') : t('timeline.notePlaceholder')}
              maxLength={kind === 'task' ? taskLimits.title : eventLimits.text}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              aria-label={t('timeline.text')}
            />
            <Button onClick={add} disabled={!text.trim()}>
              {t('timeline.add')}
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

function TriageModal({
  incident,
  onClose,
  onSaved,
}: {
  incident: IncidentDetail;
  onClose: () => void;
  onSaved: (i: IncidentDetail) => void;
}) {
  const { t } = useTranslation('incidents');
  const scope = useCurrentScope();
  const members = useMembers(scope.id);
  const assets = useQuery({
    queryKey: ['asset-options', scope.id],
    queryFn: () => api.get<Page<Asset>>(`/api/scopes/${scope.id}/assets`, { pageSize: 200 }),
  });
  const form = useForm({
    initialValues: {
      category: incident.category ?? '',
      severity: incident.severity ?? 'medium',
      impactConfidentiality: incident.impact.confidentiality,
      impactIntegrity: incident.impact.integrity,
      impactAvailability: incident.impact.availability,
      personalData: incident.personalData,
      nis2Significant: incident.nis2Significant,
      awareAt: toLocalInput(incident.awareAt),
      handlerId: incident.handler?.id ?? null,
      assetIds: incident.assets.map((a) => a.id),
    },
    validate: { category: (v) => (v ? null : t('triage.categoryRequired')) },
  });
  const submit = form.onSubmit(async (v) => {
    try {
      const body: TriageInput = {
        ...v,
        category: v.category as TriageInput['category'],
        severity: v.severity as TriageInput['severity'],
        awareAt: new Date(v.awareAt).toISOString(),
        version: incident.version,
      };
      onSaved(await api.post<IncidentDetail, TriageInput>(`/api/scopes/${scope.id}/incidents/${incident.id}/triage`, body));
      notifySuccess(t('triage.saved', { reference: incident.reference }));
      onClose();
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e);
    }
  });
  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{t('triage.title', { reference: incident.reference })}</Text>} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Select
            label={t('triage.category')}
            name="category"
            data={Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))}
            {...form.getInputProps('category')}
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('triage.severity')}
            </Text>
            <SegmentedControl
              fullWidth
              data={Object.entries(severityLabels).map(([value, label]) => ({ value, label }))}
              {...form.getInputProps('severity')}
            />
          </div>
          <Group>
            <Checkbox label={t('triage.impactC')} {...form.getInputProps('impactConfidentiality', { type: 'checkbox' })} />
            <Checkbox label={t('triage.impactI')} {...form.getInputProps('impactIntegrity', { type: 'checkbox' })} />
            <Checkbox label={t('triage.impactA')} {...form.getInputProps('impactAvailability', { type: 'checkbox' })} />
          </Group>
          <Switch label={t('triage.personalData')} name="personalData" {...form.getInputProps('personalData', { type: 'checkbox' })} />
          <Switch label={t('triage.nis2')} name="nis2Significant" {...form.getInputProps('nis2Significant', { type: 'checkbox' })} />
          <TextInput
            label={t('triage.awareSince')}
            description={t('triage.awareSinceHint')}
            type="datetime-local"
            name="awareAt"
            // the server refuses a moment of awareness in the future
            max={toLocalInput()}
            {...form.getInputProps('awareAt')}
          />
          <Select
            label={t('triage.handler')}
            clearable
            searchable
            data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
            {...form.getInputProps('handlerId')}
          />
          <MultiSelect
            label={t('triage.assets')}
            searchable
            clearable
            data={(assets.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.reference} ${a.name}` }))}
            {...form.getInputProps('assetIds')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('triage.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type FollowUp = TransitionInput['followUps'] extends (infer F)[] | undefined ? F : never;

function TransitionModal({
  incident,
  status,
  onClose,
  onSaved,
}: {
  incident: IncidentDetail;
  status: 'resolved' | 'closed';
  onClose: () => void;
  onSaved: (i: IncidentDetail) => void;
}) {
  const { t } = useTranslation('incidents');
  const scope = useCurrentScope();
  const members = useMembers(scope.id);
  const [lessons, setLessons] = useState(incident.lessonsLearned);
  const [followUps, setFollowUps] = useState<FollowUp[]>([]);
  // stable React keys for the follow-up rows, which can be removed from the middle
  const [keys, setKeys] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  const set = (i: number, patch: Partial<FollowUp>) => setFollowUps((list) => list.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const body: TransitionInput = { version: incident.version, status, lessonsLearned: lessons, followUps };
      onSaved(await api.post<IncidentDetail, TransitionInput>(`/api/scopes/${scope.id}/incidents/${incident.id}/status`, body));
      const done = t(status === 'resolved' ? 'transition.resolved' : 'transition.closed', { reference: incident.reference });
      notifySuccess(followUps.length ? t('transition.withFollowUps', { done, count: followUps.length }) : done);
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={
        <Text fw={600}>
          {t(status === 'resolved' ? 'transition.resolveTitle' : 'transition.closeTitle', { reference: incident.reference })}
        </Text>
      }
      size="xl"
    >
      <Stack>
        <ErrorAlert error={error} title={t('common:errors.notSaved')} />
        <Textarea
          label={t('transition.lessons')}
          description={status === 'closed' ? t('transition.lessonsRequired') : t('transition.lessonsHint')}
          autosize
          minRows={3}
          maxLength={transitionLimits.lessonsLearned}
          name="lessonsLearned"
          value={lessons}
          onChange={(e) => setLessons(e.currentTarget.value)}
        />
        <Text size="sm" fw={600}>
          {t('transition.handOn')}
        </Text>
        {followUps.map((f, i) => (
          <Card key={keys[i]} withBorder p="sm" data-testid="follow-up">
            <Group align="flex-start" gap="xs">
              <Stack gap="xs" style={{ flex: 1 }}>
                <Select
                  data={Object.entries(followUpLabels).map(([value, label]) => ({ value, label }))}
                  value={f.kind}
                  onChange={(v) => v && set(i, { kind: v as FollowUp['kind'] })}
                  allowDeselect={false}
                  aria-label={t('transition.followUpKind')}
                />
                <TextInput
                  placeholder={t('transition.followUpTitlePlaceholder')}
                  maxLength={followUpLimits.title}
                  value={f.title}
                  onChange={(e) => set(i, { title: e.currentTarget.value })}
                  aria-label={t('transition.followUpTitle')}
                />
                {f.kind === 'nonconformity' && (
                  <Group grow>
                    <TextInput
                      placeholder={t('transition.correctiveAction')}
                      maxLength={correctiveActionLimits.title}
                      value={f.correctiveAction?.title ?? ''}
                      onChange={(e) =>
                        set(i, { correctiveAction: { ownerId: null, dueOn: null, ...f.correctiveAction, title: e.currentTarget.value } })
                      }
                      aria-label={t('transition.correctiveAction')}
                    />
                    <Select
                      placeholder={t('transition.owner')}
                      clearable
                      searchable
                      data={memberData}
                      value={f.correctiveAction?.ownerId ?? null}
                      onChange={(v) => set(i, { correctiveAction: { title: '', dueOn: null, ...f.correctiveAction, ownerId: v } })}
                      aria-label={t('transition.correctiveOwner')}
                    />
                    <TextInput
                      type="date"
                      // a new corrective action is due today or later, as the server checks it
                      min={todayDay()}
                      value={f.correctiveAction?.dueOn ?? ''}
                      onChange={(e) =>
                        set(i, {
                          correctiveAction: { title: '', ownerId: null, ...f.correctiveAction, dueOn: e.currentTarget.value || null },
                        })
                      }
                      aria-label={t('transition.correctiveDue')}
                    />
                  </Group>
                )}
              </Stack>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => {
                  setFollowUps((l) => l.filter((_, j) => j !== i));
                  setKeys((l) => l.filter((_, j) => j !== i));
                }}
                aria-label={t('transition.removeFollowUp')}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          </Card>
        ))}
        <Button
          variant="light"
          leftSection={<IconPlus size={16} />}
          onClick={() => {
            setFollowUps((l) => [...l, { kind: 'nonconformity', title: '', description: '' }]);
            setKeys((l) => [...l, (l.at(-1) ?? 0) + 1]);
          }}
          w="fit-content"
        >
          {t('transition.addFollowUp')}
        </Button>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button color={status === 'resolved' ? 'teal' : 'gray'} loading={saving} onClick={save} data-testid="confirm-transition">
            {status === 'resolved' ? t('transition.resolveIncident') : t('transition.closeIncident')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function NotifyModal({
  incident,
  regime,
  onClose,
  onSaved,
}: {
  incident: IncidentDetail;
  regime: RecordNotificationInput['regime'];
  onClose: () => void;
  onSaved: (i: IncidentDetail) => void;
}) {
  const { t } = useTranslation('incidents');
  const scope = useCurrentScope();
  const owed = incident.notifications.find((n) => n.regime === regime)!;
  const form = useForm({ initialValues: { sentAt: toLocalInput(), recipient: '', externalReference: '', lateReason: '' } });
  const late = owed.dueAt !== null && new Date(form.values.sentAt).getTime() > new Date(owed.dueAt).getTime();
  const submit = form.onSubmit(async (v) => {
    try {
      onSaved(
        await api.post<IncidentDetail, RecordNotificationInput>(`/api/scopes/${scope.id}/incidents/${incident.id}/notifications`, {
          regime,
          sentAt: new Date(v.sentAt).toISOString(),
          recipient: v.recipient,
          externalReference: v.externalReference,
          ...(late && { lateReason: v.lateReason }),
        }),
      );
      notifySuccess(t('notify.recorded'));
      onClose();
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e);
    }
  });
  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{t(`regime.${owed.regime}`)}</Text>} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {/* the server refuses a moment of sending in the future */}
          <TextInput label={t('notify.sentAt')} type="datetime-local" max={toLocalInput()} {...form.getInputProps('sentAt')} />
          <TextInput
            label={t('notify.recipient')}
            placeholder={t('notify.recipientPlaceholder')}
            maxLength={notificationLimits.recipient}
            {...form.getInputProps('recipient')}
          />
          <TextInput
            label={t('notify.theirReference')}
            maxLength={notificationLimits.externalReference}
            {...form.getInputProps('externalReference')}
          />
          {late && (
            <Textarea
              label={t('notify.lateReason')}
              description={t('notify.lateReasonHint')}
              autosize
              minRows={2}
              maxLength={notificationLimits.lateReason}
              {...form.getInputProps('lateReason')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('notify.record')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
