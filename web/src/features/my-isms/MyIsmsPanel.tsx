import { Badge, Box, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { IconAlertTriangle, IconBook, IconCircleCheck, IconFileText, IconSchool } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDate, relativeDay } from '../../app/labels.ts';
import { canRole, lastScope, useScopes } from '../../app/session.ts';
import { ErrorAlert } from '../../app/ui.tsx';
import { ReportIncidentModal } from '../incidents/ReportIncidentModal.tsx';
import type { MyAcknowledgements } from '../policies/policy-types.ts';
import type { MyTrainings } from './my-types.ts';

const due = (tr: TFunction<'my-isms'>, on: string, overdue: boolean, what: 'read' | 'complete') => (
  <Text size="sm" c={overdue ? 'red.7' : 'dimmed'} fw={overdue ? 600 : undefined}>
    {overdue
      ? tr('due.was', { date: formatDate(on) })
      : tr(what === 'read' ? 'due.read' : 'due.complete', { date: formatDate(on), when: relativeDay(on) })}
  </Text>
);

/**
 * "My ISMS": what every member of a scope is asked to do, in plain words and big buttons that work on a phone:
 * policies to read and confirm, trainings to complete, and reporting an incident.
 */
export function MyIsmsPanel() {
  const { t: tr } = useTranslation('my-isms');
  const scopes = useScopes();
  const [reporting, setReporting] = useState(false);
  const acks = useQuery({
    queryKey: ['my-acknowledgements'],
    queryFn: () => api.get<MyAcknowledgements>('/api/me/acknowledgements', { pageSize: 50 }),
  });
  const trainings = useQuery({ queryKey: ['my-trainings'], queryFn: () => api.get<MyTrainings>('/api/me/trainings') });
  const list = scopes.data ?? [];
  const reportScope =
    list.find((s) => s.id === lastScope() && canRole(s.role, 'incident:report')) ?? list.find((s) => canRole(s.role, 'incident:report'));
  const openTrainings = (trainings.data?.items ?? []).filter((t) => !t.completedAt);
  const ackCount = acks.data?.total ?? 0;
  const nothing = acks.data && trainings.data && ackCount === 0 && openTrainings.length === 0;

  return (
    <Stack gap="md" mb="xl" data-testid="my-isms">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card withBorder radius="md" p="lg">
          <Group gap="xs" mb="sm">
            <IconFileText size={22} color="var(--mantine-color-praxis-7)" />
            <Title order={4}>{tr('panel.policies')}</Title>
            {ackCount > 0 && (
              <Badge size="lg" variant="filled" data-testid="ack-count">
                {ackCount}
              </Badge>
            )}
          </Group>
          {acks.error ? (
            <ErrorAlert error={acks.error} />
          ) : acks.isPending ? (
            <Skeleton h={80} />
          ) : ackCount === 0 ? (
            <Group gap="xs" c="teal.8" wrap="nowrap" align="flex-start">
              <IconCircleCheck size={20} style={{ flexShrink: 0 }} />
              <Text size="sm">{tr('panel.policiesDone')}</Text>
            </Group>
          ) : (
            <Stack gap="sm">
              {acks.data.items.map((a) => (
                <Box key={a.id} p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }} data-testid="my-ack">
                  <Text fw={600}>{a.title}</Text>
                  {list.length > 1 && (
                    <Text size="xs" c="dimmed">
                      {a.scopeName}
                    </Text>
                  )}
                  {due(tr, a.dueOn, a.overdue, 'read')}
                  <Button
                    component={Link}
                    to={`/s/${a.scopeId}/read/${a.documentId}/${a.versionId}`}
                    size="md"
                    fullWidth
                    mt="sm"
                    leftSection={<IconBook size={18} />}
                    data-testid="read-policy"
                  >
                    {tr('panel.readIt')}
                  </Button>
                </Box>
              ))}
            </Stack>
          )}
        </Card>
        <Card withBorder radius="md" p="lg">
          <Group gap="xs" mb="sm">
            <IconSchool size={22} color="var(--mantine-color-praxis-7)" />
            <Title order={4}>{tr('panel.trainings')}</Title>
            {openTrainings.length > 0 && (
              <Badge size="lg" variant="filled" data-testid="training-count">
                {openTrainings.length}
              </Badge>
            )}
          </Group>
          {trainings.error ? (
            <ErrorAlert error={trainings.error} />
          ) : trainings.isPending ? (
            <Skeleton h={80} />
          ) : openTrainings.length === 0 ? (
            <Group gap="xs" c="teal.8" wrap="nowrap" align="flex-start">
              <IconCircleCheck size={20} style={{ flexShrink: 0 }} />
              <Text size="sm">{tr('panel.trainingsDone')}</Text>
            </Group>
          ) : (
            <Stack gap="sm">
              {openTrainings.map((t) => (
                <Box
                  key={t.id}
                  p="sm"
                  style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
                  data-testid="my-training"
                >
                  <Text fw={600}>{t.course.title}</Text>
                  {due(tr, t.dueOn, t.overdue, 'complete')}
                  {t.attempts > 0 && t.passed === false && (
                    <Text size="sm" c="orange.8">
                      {tr('panel.lastTry', { score: t.score })}
                    </Text>
                  )}
                  <Button
                    component={Link}
                    to={`/s/${t.scopeId}/my-training/${t.id}`}
                    size="md"
                    fullWidth
                    mt="sm"
                    leftSection={<IconSchool size={18} />}
                    data-testid="start-training"
                  >
                    {t.quiz ? (t.attempts > 0 ? tr('panel.retryQuiz') : tr('panel.startWithQuiz')) : tr('panel.start')}
                  </Button>
                </Box>
              ))}
            </Stack>
          )}
        </Card>
      </SimpleGrid>
      {reportScope && (
        <Card withBorder radius="md" p="lg">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <div style={{ flex: '1 1 260px' }}>
              <Title order={4}>{tr('panel.somethingWrong')}</Title>
              <Text size="sm" c="dimmed">
                {tr('panel.reportHint')}
              </Text>
            </div>
            <Button
              color="red"
              size="md"
              leftSection={<IconAlertTriangle size={18} />}
              onClick={() => setReporting(true)}
              w={{ base: '100%', xs: 'auto' }}
              data-testid="report-incident"
            >
              {tr('panel.report')}
            </Button>
          </Group>
          <ReportIncidentModal scopeId={reportScope.id} opened={reporting} onClose={() => setReporting(false)} />
        </Card>
      )}
      {nothing && (
        <Text size="sm" c="dimmed" data-testid="my-isms-done">
          {tr('panel.allDone')}
        </Text>
      )}
    </Stack>
  );
}
