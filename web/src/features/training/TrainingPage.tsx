import {
  Anchor,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconSchool } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { useUrlFilters } from '../../app/urlState.ts';
import { GapsTab, JobRolesTab, PeopleTab } from './CompetenceTabs.tsx';
import type { Course, CourseInput } from './training-types.ts';

const PAGE_SIZE = 25;
const tabs = ['courses', 'roles', 'people', 'gaps'] as const;

/** Competence and awareness (ISO 27001 7.2, 7.3): training courses, job roles and their competences, people, gaps. */
export function TrainingPage() {
  const can = useCan();
  const { params, set } = useUrlFilters();
  const tab = tabs.includes(params.get('tab') as (typeof tabs)[number]) ? params.get('tab')! : 'courses';
  return (
    <>
      <PageHeader
        title="Training and competence"
        description="Awareness courses with quizzes assigned to roles, departments or people; the competences each job role requires, who holds them, and the gaps."
      />
      <Tabs value={tab} onChange={(v) => set({ tab: v === 'courses' ? null : v })} mb="md" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="courses">Courses</Tabs.Tab>
          {can('competence:read') && (
            <>
              <Tabs.Tab value="roles">Job roles</Tabs.Tab>
              <Tabs.Tab value="people">People</Tabs.Tab>
              <Tabs.Tab value="gaps" data-testid="tab-gaps">
                Gaps
              </Tabs.Tab>
            </>
          )}
        </Tabs.List>
        <Tabs.Panel value="courses" pt="md">
          <CoursesTab />
        </Tabs.Panel>
        <Tabs.Panel value="roles" pt="md">
          <JobRolesTab />
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <PeopleTab />
        </Tabs.Panel>
        <Tabs.Panel value="gaps" pt="md">
          <GapsTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function CoursesTab() {
  const scope = useCurrentScope();
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [dueDays, setDueDays] = useState<number | string>(30);
  const [recurrence, setRecurrence] = useState<number | string>(12);
  const [busy, setBusy] = useState(false);
  const courses = useQuery({
    queryKey: ['courses', scope.id, page],
    queryFn: () => api.get<Page<Course>>(`/api/scopes/${scope.id}/courses`, { page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  const create = async () => {
    setBusy(true);
    try {
      const body: CourseInput = {
        title: title.trim(),
        description,
        dueDays: Number(dueDays) || 30,
        recurrenceMonths: recurrence === '' ? null : Number(recurrence),
      };
      const c = await api.post<Course>(`/api/scopes/${scope.id}/courses`, body);
      void qc.invalidateQueries({ queryKey: ['courses', scope.id] });
      notifySuccess(`${c.reference} “${c.title}” created`);
      setCreating(false);
      void navigate(`/s/${scope.id}/training/courses/${c.id}`);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const newButton = can('training:manage') && (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={() => {
        setTitle('');
        setDescription('');
        setCreating(true);
      }}
      data-testid="new-course"
    >
      New course
    </Button>
  );
  return (
    <Card withBorder radius="md" p={0}>
      <Group p="md" justify="space-between">
        <Text size="sm" c="dimmed">
          {courses.data ? `${courses.data.total} course${courses.data.total === 1 ? '' : 's'}` : ' '}
        </Text>
        {newButton}
      </Group>
      {courses.error ? (
        <ErrorAlert error={courses.error} />
      ) : !courses.data ? (
        <TableSkeleton rows={3} />
      ) : courses.data.total === 0 ? (
        <EmptyState
          py={48}
          px="md"
          icon={<IconSchool size={32} />}
          withIndicatorBackground
          title="No courses yet"
          description="Create an awareness course — for example a yearly security awareness training with a short quiz — and assign it to everyone, a role, a department or named people."
          data-testid="courses-empty"
        >
          <EmptyState.Actions>{newButton}</EmptyState.Actions>
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="course-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ref.</Table.Th>
                <Table.Th>Course</Table.Th>
                <Table.Th>Quiz</Table.Th>
                <Table.Th>Repeats</Table.Th>
                <Table.Th>Assigned to</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {courses.data.items.map((c) => (
                <Table.Tr key={c.id} className="row-link" onClick={() => navigate(`/s/${scope.id}/training/courses/${c.id}`)}>
                  <Table.Td>
                    <Ref>{c.reference}</Ref>
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/s/${scope.id}/training/courses/${c.id}`}
                      size="sm"
                      fw={500}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {c.title}
                    </Anchor>
                    {c.status === 'retired' && (
                      <Badge ml={6} size="xs" color="gray">
                        Retired
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.hasQuiz ? (
                      <Badge variant="light">Quiz</Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.recurrenceMonths ? `Every ${c.recurrenceMonths} months` : 'Once'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={c.targets.length ? undefined : 'dimmed'}>
                      {c.targets
                        .map((t) => (t.targetType === 'scope_role' ? (roleLabels[t.targetValue as ScopeRole] ?? t.label) : t.label))
                        .join(', ') || 'Nobody yet'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(c.updatedAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {courses.data && <ListPager total={courses.data.total} page={page} pageSize={PAGE_SIZE} onPage={setPage} />}
      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={600}>New course</Text>} centered>
        <Stack>
          <TextInput
            label="Title"
            withAsterisk
            placeholder="e.g. Security awareness 2026"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            data-testid="course-title"
          />
          <Textarea
            label="What people learn"
            description="Markdown; shown to each person before the quiz"
            autosize
            minRows={3}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Group grow>
            <NumberInput label="Days to complete" min={1} max={730} value={dueDays} onChange={setDueDays} />
            <NumberInput
              label="Repeat every (months)"
              description="Empty: once"
              min={1}
              max={120}
              value={recurrence}
              onChange={setRecurrence}
            />
          </Group>
          <Text size="xs" c="dimmed">
            You add the quiz and choose who takes the course on the next page.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCreating(false)}>
              Cancel
            </Button>
            <Button loading={busy} disabled={!title.trim()} onClick={create} data-testid="create-course">
              Create
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
