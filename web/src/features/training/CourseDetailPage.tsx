import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, options, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, Ref, useConfirm } from '../../app/ui.tsx';
import { Markdown } from '../policies/Markdown.tsx';
import type { DocumentItem } from '../policies/policy-types.ts';
import { useCompetences, useJobRoles } from './CompetenceTabs.tsx';
import {
  type AssignTargetResult,
  type Assignment,
  type Course,
  type TargetType,
  targetTypeLabels,
  type UpdateCourseInput,
} from './training-types.ts';

type QuizDraft = { passMark: number | string; questions: { text: string; options: string[]; correct: number[] }[] };
const targetLabel = (t: Course['targets'][number]) =>
  t.targetType === 'scope_role' ? (roleLabels[t.targetValue as ScopeRole] ?? t.label) : t.label;
const blankQuestion = () => ({ text: '', options: ['', ''], correct: [] as number[] });

/** One course: its content, the quiz editor, who it is assigned to, and the assignments with their results. */
export function CourseDetailPage() {
  const { id } = useParams();
  const scope = useCurrentScope();
  const can = useCan();
  const qc = useQueryClient();
  const manage = can('training:manage');
  const { confirm, dialog } = useConfirm();
  const base = `/api/scopes/${scope.id}/courses/${id}`;
  const course = useQuery({ queryKey: ['course', scope.id, id], queryFn: () => api.get<Course>(base) });
  const c = course.data;
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState({
    title: '',
    description: '',
    materialUrl: '',
    materialDocumentId: null as string | null,
    dueDays: 30 as number | string,
    recurrence: '' as number | string,
    grantsCompetenceId: null as string | null,
  });
  const [quiz, setQuiz] = useState<QuizDraft | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the course's values when it arrives or changes version
  useEffect(() => {
    if (!c) return;
    setFields({
      title: c.title,
      description: c.description,
      materialUrl: c.materialUrl ?? '',
      materialDocumentId: c.materialDocumentId,
      dueDays: c.dueDays,
      recurrence: c.recurrenceMonths ?? '',
      grantsCompetenceId: c.grantsCompetenceId,
    });
    setQuiz(
      c.quiz
        ? {
            passMark: c.quiz.passMark,
            questions: c.quiz.questions.map((q) => ({ text: q.text, options: q.options, correct: q.correct ?? [] })),
          }
        : null,
    );
  }, [c?.id, c?.version]);
  const competences = useCompetences(scope.id, manage && can('competence:read'));
  const docs = useQuery({
    queryKey: ['documents', scope.id, 'published-picker'],
    queryFn: () => api.get<Page<DocumentItem>>(`/api/scopes/${scope.id}/documents`, { status: 'published', pageSize: 200 }),
    enabled: manage && can('document:read'),
  });
  if (course.isPending) return <PageLoader />;
  if (course.error || !c) return <ErrorAlert error={course.error} />;

  const patch = async (body: Omit<UpdateCourseInput, 'version'>, message: string) => {
    setBusy(true);
    try {
      const saved = await api.patch<Course>(base, { version: c.version, ...body });
      qc.setQueryData(['course', scope.id, id], saved);
      void qc.invalidateQueries({ queryKey: ['courses', scope.id] });
      notifySuccess(message);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const saveQuiz = () => {
    if (!quiz) return patch({ quiz: null }, 'Quiz removed');
    return patch(
      {
        quiz: {
          passMark: Number(quiz.passMark) || 80,
          questions: quiz.questions.map((q) => ({ text: q.text.trim(), options: q.options.map((o) => o.trim()), correct: q.correct })),
        },
      },
      'Quiz saved',
    );
  };
  const setQ = (i: number, change: Partial<QuizDraft['questions'][number]>) =>
    setQuiz((z) => (z ? { ...z, questions: z.questions.map((q, j) => (j === i ? { ...q, ...change } : q)) } : z));

  return (
    <>
      {dialog}
      <PageHeader
        crumbs={[{ label: 'Training', to: `/s/${scope.id}/training` }, { label: c.reference }]}
        documentTitle={`${c.reference} ${c.title}`}
        title={
          <>
            <Ref>{c.reference}</Ref> {c.title}
          </>
        }
        description={
          <Group gap={6} component="span">
            <Badge color={c.status === 'active' ? 'teal' : 'gray'}>{c.status === 'active' ? 'Active' : 'Retired'}</Badge>
            <Badge variant="outline" color="gray">
              {c.recurrenceMonths ? `Every ${c.recurrenceMonths} months` : 'Once'}
            </Badge>
            <Badge variant="outline" color="gray">
              {c.dueDays} days to complete
            </Badge>
          </Group>
        }
        actions={
          manage &&
          (c.status === 'active' ? (
            <Button
              variant="subtle"
              color="red"
              onClick={async () => {
                if (
                  await confirm({
                    title: 'Retire the course?',
                    message: 'Nobody new is assigned; open assignments stay.',
                    confirmLabel: 'Retire',
                  })
                )
                  await patch({ status: 'retired' }, 'Course retired');
              }}
            >
              Retire
            </Button>
          ) : (
            <Button variant="default" onClick={() => patch({ status: 'active' }, 'Course active again')}>
              Make active again
            </Button>
          ))
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <Card withBorder radius="md" p="lg">
              <Title order={5} mb="sm">
                Course
              </Title>
              {manage ? (
                <Stack>
                  <TextInput label="Title" value={fields.title} onChange={(e) => setFields({ ...fields, title: e.currentTarget.value })} />
                  <Textarea
                    label="What people learn"
                    description="Markdown; shown before the quiz"
                    autosize
                    minRows={4}
                    value={fields.description}
                    onChange={(e) => setFields({ ...fields, description: e.currentTarget.value })}
                  />
                  <Grid>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <TextInput
                        label="Material link"
                        placeholder="https://…"
                        value={fields.materialUrl}
                        onChange={(e) => setFields({ ...fields, materialUrl: e.currentTarget.value })}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <Select
                        label="Or a published policy"
                        clearable
                        searchable
                        data={(docs.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.reference} · ${d.title}` }))}
                        value={fields.materialDocumentId}
                        onChange={(v) => setFields({ ...fields, materialDocumentId: v })}
                      />
                    </Grid.Col>
                    <Grid.Col span={6}>
                      <NumberInput
                        label="Days to complete"
                        description="From the day it is assigned"
                        min={1}
                        max={730}
                        value={fields.dueDays}
                        onChange={(v) => setFields({ ...fields, dueDays: v })}
                      />
                    </Grid.Col>
                    <Grid.Col span={6}>
                      <NumberInput
                        label="Repeat every (months)"
                        description="Empty: once"
                        min={1}
                        max={120}
                        value={fields.recurrence}
                        onChange={(v) => setFields({ ...fields, recurrence: v })}
                      />
                    </Grid.Col>
                    <Grid.Col span={12}>
                      <Select
                        label="Completing it gives the competence"
                        description="Recorded for each person who completes the course, with the completion as evidence"
                        placeholder="None"
                        clearable
                        searchable
                        data={(competences.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
                        value={fields.grantsCompetenceId}
                        onChange={(v) => setFields({ ...fields, grantsCompetenceId: v })}
                      />
                    </Grid.Col>
                  </Grid>
                  <Group justify="flex-end">
                    <Button
                      loading={busy}
                      disabled={!fields.title.trim()}
                      onClick={() =>
                        patch(
                          {
                            title: fields.title.trim(),
                            description: fields.description,
                            materialUrl: fields.materialUrl.trim() || null,
                            materialDocumentId: fields.materialDocumentId,
                            dueDays: Number(fields.dueDays) || 30,
                            recurrenceMonths: fields.recurrence === '' ? null : Number(fields.recurrence),
                            grantsCompetenceId: fields.grantsCompetenceId,
                          },
                          'Course saved',
                        )
                      }
                      data-testid="save-course"
                    >
                      Save
                    </Button>
                  </Group>
                </Stack>
              ) : c.description ? (
                <Markdown>{c.description}</Markdown>
              ) : (
                <Text size="sm" c="dimmed">
                  No description.
                </Text>
              )}
            </Card>
            <Card withBorder radius="md" p="lg" data-testid="quiz-editor">
              <Group justify="space-between" mb="sm">
                <Title order={5}>Quiz</Title>
                {manage && !quiz && (
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlus size={14} />}
                    onClick={() => setQuiz({ passMark: 80, questions: [blankQuestion()] })}
                    data-testid="add-quiz"
                  >
                    Add a quiz
                  </Button>
                )}
              </Group>
              {!quiz ? (
                <Text size="sm" c="dimmed">
                  No quiz: people confirm that they completed the course.
                </Text>
              ) : !manage ? (
                <Text size="sm">
                  {quiz.questions.length} questions; pass with {quiz.passMark}%.
                </Text>
              ) : (
                <Stack>
                  <NumberInput
                    label="Pass mark (%)"
                    min={1}
                    max={100}
                    w={160}
                    value={quiz.passMark}
                    onChange={(v) => setQuiz({ ...quiz, passMark: v })}
                  />
                  {quiz.questions.map((q, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: questions are edited in place by position
                    <Card key={i} withBorder radius="sm" p="sm" data-testid="quiz-question-editor">
                      <Group align="flex-start" wrap="nowrap" gap="xs">
                        <TextInput
                          style={{ flex: 1 }}
                          label={`Question ${i + 1}`}
                          value={q.text}
                          onChange={(e) => setQ(i, { text: e.currentTarget.value })}
                          placeholder="e.g. What do you do with a suspicious email?"
                        />
                        <Tooltip label="Remove question">
                          <ActionIcon
                            mt={24}
                            variant="subtle"
                            color="red"
                            aria-label="Remove question"
                            onClick={() => setQuiz({ ...quiz, questions: quiz.questions.filter((_, j) => j !== i) })}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                      <Text size="xs" c="dimmed" mt="xs" mb={4}>
                        Options — tick the right ones
                      </Text>
                      <Stack gap={6}>
                        {q.options.map((o, oi) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: options are identified by position
                          <Group key={oi} gap="xs" wrap="nowrap">
                            <Checkbox
                              aria-label={`Option ${oi + 1} is right`}
                              checked={q.correct.includes(oi)}
                              onChange={(e) =>
                                setQ(i, {
                                  correct: e.currentTarget.checked ? [...q.correct, oi].sort() : q.correct.filter((x) => x !== oi),
                                })
                              }
                            />
                            <TextInput
                              style={{ flex: 1 }}
                              size="xs"
                              value={o}
                              placeholder={`Option ${oi + 1}`}
                              onChange={(e) => {
                                const v = e.currentTarget.value;
                                setQ(i, { options: q.options.map((x, k) => (k === oi ? v : x)) });
                              }}
                            />
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label="Remove option"
                              disabled={q.options.length <= 2}
                              onClick={() =>
                                setQ(i, {
                                  options: q.options.filter((_, k) => k !== oi),
                                  correct: q.correct.filter((x) => x !== oi).map((x) => (x > oi ? x - 1 : x)),
                                })
                              }
                            >
                              <IconX size={14} />
                            </ActionIcon>
                          </Group>
                        ))}
                      </Stack>
                      {q.options.length < 10 && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          mt={6}
                          w="fit-content"
                          onClick={() => setQ(i, { options: [...q.options, ''] })}
                        >
                          Add option
                        </Button>
                      )}
                    </Card>
                  ))}
                  <Group justify="space-between">
                    <Group gap="xs">
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconPlus size={14} />}
                        onClick={() => setQuiz({ ...quiz, questions: [...quiz.questions, blankQuestion()] })}
                      >
                        Add question
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setQuiz(null)}>
                        Remove quiz
                      </Button>
                    </Group>
                    <Button loading={busy} onClick={saveQuiz} data-testid="save-quiz">
                      Save quiz
                    </Button>
                  </Group>
                </Stack>
              )}
              {manage && !quiz && c.quiz && (
                <Group justify="flex-end" mt="sm">
                  <Button loading={busy} color="red" variant="light" onClick={saveQuiz}>
                    Remove the quiz
                  </Button>
                </Group>
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack>
            <TargetsCard course={c} base={base} manage={manage && c.status === 'active'} />
            <AssignmentsCard courseId={c.id} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

function TargetsCard({ course, base, manage }: { course: Course; base: string; manage: boolean }) {
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const members = useMembers(scope.id, manage);
  const roles = useJobRoles(scope.id);
  const { confirm, dialog } = useConfirm();
  const [type, setType] = useState<TargetType>('scope_role');
  const [value, setValue] = useState<string | null>(null);
  const [department, setDepartment] = useState('');
  const [busy, setBusy] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['course', scope.id, course.id] });
    void qc.invalidateQueries({ queryKey: ['courses', scope.id] });
    void qc.invalidateQueries({ queryKey: ['training-assignments', scope.id] });
    void qc.invalidateQueries({ queryKey: ['awareness', scope.id] });
    void qc.invalidateQueries({ queryKey: ['my-trainings'] });
  };
  const add = async () => {
    const targetValue = type === 'department' ? department.trim() : value;
    if (!targetValue) return;
    setBusy(true);
    try {
      const r = await api.post<AssignTargetResult>(`${base}/targets`, { targetType: type, targetValue });
      qc.setQueryData(['course', scope.id, course.id], r.course);
      refresh();
      notifySuccess(`Assigned to ${r.assigned} ${r.assigned === 1 ? 'person' : 'people'}`);
      setValue(null);
      setDepartment('');
    } catch (e) {
      notifyError(e, 'Not assigned');
    } finally {
      setBusy(false);
    }
  };
  const remove = async (targetId: string, label: string) => {
    if (
      !(await confirm({
        title: `Stop assigning to ${label}?`,
        message: 'Nobody new in that group gets the course; open assignments stay.',
        confirmLabel: 'Stop assigning',
      }))
    )
      return;
    try {
      await api.delete(`${base}/targets/${targetId}`);
      refresh();
      notifySuccess('No longer assigned to new people of that group');
    } catch (e) {
      notifyError(e);
    }
  };
  const valueData =
    type === 'scope_role'
      ? options(roleLabels)
      : type === 'job_role'
        ? (roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))
        : (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));
  return (
    <Card withBorder radius="md" p="lg" data-testid="targets">
      {dialog}
      <Title order={5} mb="sm">
        Assigned to
      </Title>
      {course.targets.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          Nobody yet.
        </Text>
      ) : (
        <Stack gap={4} mb="sm">
          {course.targets.map((t) => (
            <Group key={t.id} justify="space-between" wrap="nowrap">
              <Text size="sm">
                <Text span c="dimmed" size="xs">
                  {targetTypeLabels[t.targetType]}:
                </Text>{' '}
                {targetLabel(t)}
              </Text>
              {manage && (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Stop assigning to ${targetLabel(t)}`}
                  onClick={() => remove(t.id, targetLabel(t))}
                >
                  <IconX size={14} />
                </ActionIcon>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {manage && (
        <Stack gap="xs">
          <SegmentedControl
            size="xs"
            fullWidth
            value={type}
            onChange={(v) => {
              setType(v as TargetType);
              setValue(null);
            }}
            data={options(targetTypeLabels)}
          />
          <Group gap="xs" wrap="nowrap" align="flex-end">
            {type === 'department' ? (
              <TextInput
                style={{ flex: 1 }}
                placeholder="Department, e.g. Sales"
                value={department}
                onChange={(e) => setDepartment(e.currentTarget.value)}
                aria-label="Department"
              />
            ) : (
              <Select
                style={{ flex: 1 }}
                searchable
                placeholder={`Choose a ${targetTypeLabels[type].toLowerCase()}`}
                data={valueData}
                value={value}
                onChange={setValue}
                aria-label={targetTypeLabels[type]}
                data-testid="target-value"
              />
            )}
            <Button loading={busy} onClick={add} disabled={type === 'department' ? !department.trim() : !value} data-testid="add-target">
              Assign
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

function AssignmentsCard({ courseId }: { courseId: string }) {
  const scope = useCurrentScope();
  const [status, setStatus] = useState('all');
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['training-assignments', scope.id, courseId, status, page],
    queryFn: () =>
      api.get<Page<Assignment>>(`/api/scopes/${scope.id}/training-assignments`, {
        courseId,
        status: status === 'all' ? undefined : status,
        page,
        pageSize: 15,
      }),
    placeholderData: (p) => p,
  });
  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={5}>Assignments</Title>
        <SegmentedControl
          size="xs"
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          data={[
            { value: 'all', label: 'All' },
            { value: 'open', label: 'Open' },
            { value: 'overdue', label: 'Overdue' },
            { value: 'completed', label: 'Done' },
          ]}
        />
      </Group>
      {list.error ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <PageLoader />
      ) : list.data.total === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="assignment-table">
          <Table.Tbody>
            {list.data.items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text size="sm">{a.user?.name ?? 'A former member'}</Text>
                  <Text size="xs" c={a.overdue ? 'red.7' : 'dimmed'}>
                    Due {formatDate(a.dueOn)}
                    {a.round > 1 ? ` · round ${a.round}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {a.completedAt ? (
                    <Badge color="teal" variant="light">
                      Done {formatDate(a.completedAt)}
                      {a.score !== null ? ` · ${a.score}%` : ''}
                    </Badge>
                  ) : a.overdue ? (
                    <Badge color="red" variant="light">
                      Overdue
                    </Badge>
                  ) : (
                    <Badge color="blue" variant="light">
                      Open{a.attempts > 0 ? ` · ${a.attempts} ${a.attempts === 1 ? 'try' : 'tries'}` : ''}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && <ListPager total={list.data.total} page={page} pageSize={list.data.pageSize} onPage={setPage} tight />}
    </Card>
  );
}
