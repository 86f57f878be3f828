import {
  Alert,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useBlocker, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api.ts';
import { options, roleLabels } from '../../app/labels.ts';
import { canRole, useCurrentScope, useMembers } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageHeader, PageLoader, useConfirm } from '../../app/ui.tsx';
import { MarkdownEditor } from './Markdown.tsx';
import {
  audienceLabels,
  type Classification,
  type CreateDocumentInput,
  classificationLabels,
  type DocumentDetail,
  type DocumentType,
  documentTypeLabels,
  type UpdateDocumentInput,
  type UpdateVersionInput,
  type VersionDetail,
} from './policy-types.ts';
import { createDocumentBody, retentionInput } from '../../../../server/src/processes/policy-management/document.schemas.ts';
import { NumberField, numberLimits, textLimits } from '../../app/FormParts.tsx';

const limits = textLimits(createDocumentBody.shape);
const numbers = numberLimits(createDocumentBody.shape);
const retentionLimits = numberLimits(retentionInput.shape);

type Values = {
  type: DocumentType;
  title: string;
  description: string;
  ownerId: string | null;
  classification: Classification;
  audienceKind: 'everyone' | 'roles' | 'people';
  audienceRoles: string[];
  audiencePeople: string[];
  reviewCadenceMonths: number;
  retentionValue: number;
  retentionUnit: 'months' | 'years';
  requiredApprovals: string;
  approverIds: string[];
  ackDueDays: number;
  contentMd: string;
  changeSummary: string;
  materialChange: boolean;
};

const empty: Values = {
  type: 'policy',
  title: '',
  description: '',
  ownerId: null,
  classification: 'internal',
  audienceKind: 'everyone',
  audienceRoles: [],
  audiencePeople: [],
  reviewCadenceMonths: 12,
  retentionValue: 3,
  retentionUnit: 'years',
  requiredApprovals: 'profile',
  approverIds: [],
  ackDueDays: 14,
  contentMd: '',
  changeSummary: 'First version',
  materialChange: true,
};

const fromDocument = (d: DocumentDetail, v: VersionDetail | undefined): Values => ({
  type: d.type,
  title: d.title,
  description: d.description,
  ownerId: d.owner?.id ?? null,
  classification: d.classification,
  audienceKind: d.audience.kind,
  audienceRoles: d.audience.roles,
  audiencePeople: d.audience.people.map((p) => p.id),
  reviewCadenceMonths: d.reviewCadenceMonths,
  retentionValue: d.retention.value,
  retentionUnit: d.retention.unit,
  requiredApprovals: d.requiredApprovals === null ? 'profile' : String(d.requiredApprovals),
  approverIds: d.approvers.map((a) => a.id),
  ackDueDays: d.ackDueDays,
  contentMd: v?.contentMd ?? '',
  changeSummary: v?.changeSummary ?? '',
  materialChange: v?.materialChange ?? true,
});

const metaFields = [
  'type',
  'title',
  'description',
  'ownerId',
  'classification',
  'audienceKind',
  'audienceRoles',
  'audiencePeople',
  'reviewCadenceMonths',
  'retentionValue',
  'retentionUnit',
  'requiredApprovals',
  'approverIds',
  'ackDueDays',
] as const;

const audienceOf = (v: Values): CreateDocumentInput['audience'] =>
  v.audienceKind === 'roles'
    ? { kind: 'roles', roles: v.audienceRoles as ScopeRole[] }
    : v.audienceKind === 'people'
      ? { kind: 'people', userIds: v.audiencePeople }
      : { kind: 'everyone' };

/** server field → form field, for validation messages */
const fieldMap: Record<string, string> = {
  'body.audience': 'audienceKind',
  'body.audience.roles': 'audienceRoles',
  'body.audience.userIds': 'audiencePeople',
  'body.retention.value': 'retentionValue',
  'body.retention.unit': 'retentionUnit',
};

/**
 * Create a document, or edit its metadata and the text of its draft version. The Markdown editor shows a live preview.
 */
export function PolicyFormPage() {
  const { t } = useTranslation('policies');
  const { id } = useParams();
  const editing = !!id;
  const scope = useCurrentScope();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const members = useMembers(scope.id);
  const { confirm, dialog } = useConfirm();
  const [error, setError] = useState<unknown>(null);
  const leaving = useRef(false);
  const doc = useQuery({
    queryKey: ['document', scope.id, id],
    queryFn: () => api.get<DocumentDetail>(`/api/scopes/${scope.id}/documents/${id}`),
    enabled: editing,
  });
  const draftId = doc.data?.workingVersion?.status === 'draft' ? doc.data.workingVersion.id : undefined;
  const draft = useQuery({
    queryKey: ['document-version', scope.id, id, draftId],
    queryFn: () => api.get<VersionDetail>(`/api/scopes/${scope.id}/documents/${id}/versions/${draftId}`),
    enabled: !!draftId,
  });
  const form = useForm<Values>({
    initialValues: empty,
    validate: {
      title: (v) => (v.trim() ? null : t('form.titleRequired')),
      audienceRoles: (v, all) => (all.audienceKind === 'roles' && v.length === 0 ? t('form.chooseRole') : null),
      audiencePeople: (v, all) => (all.audienceKind === 'people' && v.length === 0 ? t('form.choosePerson') : null),
    },
  });
  const ready = editing ? !!doc.data && (!draftId || !!draft.data) : true;
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once the record arrives, never over the user's edits
  useEffect(() => {
    if (editing && ready && doc.data && !form.isDirty()) {
      const v = fromDocument(doc.data, draft.data);
      form.setValues(v);
      form.resetDirty(v);
    }
  }, [ready, doc.data, draft.data]);
  const dirty = form.isDirty();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: ask once per blocked navigation
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    void confirm({
      title: t('common:unsaved.title'),
      message: t('form.leaveMessage'),
      confirmLabel: t('form.leave'),
    }).then((ok) => (ok ? blocker.proceed() : blocker.reset()));
  }, [blocker.state]);

  const save = async (v: Values) => {
    setError(null);
    const requiredApprovals = v.requiredApprovals === 'profile' ? null : Number(v.requiredApprovals);
    try {
      let docId = id;
      if (editing && doc.data) {
        const changed = metaFields.filter((k) => form.isDirty(k));
        if (changed.length > 0) {
          const body: UpdateDocumentInput = { version: doc.data.version };
          if (form.isDirty('type')) body.type = v.type;
          if (form.isDirty('title')) body.title = v.title.trim();
          if (form.isDirty('description')) body.description = v.description;
          if (form.isDirty('ownerId')) body.ownerId = v.ownerId;
          if (form.isDirty('classification')) body.classification = v.classification;
          if (form.isDirty('audienceKind') || form.isDirty('audienceRoles') || form.isDirty('audiencePeople'))
            body.audience = audienceOf(v);
          if (form.isDirty('reviewCadenceMonths')) body.reviewCadenceMonths = v.reviewCadenceMonths;
          if (form.isDirty('retentionValue') || form.isDirty('retentionUnit'))
            body.retention = { value: v.retentionValue, unit: v.retentionUnit };
          if (form.isDirty('requiredApprovals')) body.requiredApprovals = requiredApprovals;
          if (form.isDirty('approverIds')) body.approverIds = v.approverIds;
          if (form.isDirty('ackDueDays')) body.ackDueDays = v.ackDueDays;
          await api.patch<DocumentDetail, UpdateDocumentInput>(`/api/scopes/${scope.id}/documents/${id}`, body);
        }
        if (draft.data && (form.isDirty('contentMd') || form.isDirty('changeSummary') || form.isDirty('materialChange'))) {
          const body: UpdateVersionInput = { version: draft.data.version };
          if (form.isDirty('contentMd')) body.contentMd = v.contentMd;
          if (form.isDirty('changeSummary')) body.changeSummary = v.changeSummary;
          if (form.isDirty('materialChange')) body.materialChange = v.materialChange;
          await api.patch<VersionDetail, UpdateVersionInput>(`/api/scopes/${scope.id}/documents/${id}/versions/${draft.data.id}`, body);
        }
      } else {
        const body: CreateDocumentInput = {
          type: v.type,
          title: v.title.trim(),
          description: v.description,
          ownerId: v.ownerId,
          classification: v.classification,
          audience: audienceOf(v),
          reviewCadenceMonths: v.reviewCadenceMonths,
          retention: { value: v.retentionValue, unit: v.retentionUnit },
          requiredApprovals,
          approverIds: v.approverIds,
          ackDueDays: v.ackDueDays,
          contentMd: v.contentMd,
          changeSummary: v.changeSummary || 'First version',
        };
        const created = await api.post<DocumentDetail, CreateDocumentInput>(`/api/scopes/${scope.id}/documents`, body);
        docId = created.id;
      }
      void qc.invalidateQueries({ queryKey: ['documents', scope.id] });
      void qc.invalidateQueries({ queryKey: ['document', scope.id] });
      void qc.invalidateQueries({ queryKey: ['document-version', scope.id] });
      notifySuccess(editing ? t('form.saved') : t('form.createdDraft', { title: v.title.trim() }));
      leaving.current = true;
      void navigate(`/s/${scope.id}/policies/${docId}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        setError(new Error(t('form.conflict')));
      } else if (!applyFieldError(form, e, fieldMap)) setError(e);
    }
  };

  if (editing && (doc.isPending || (draftId && draft.isPending))) return <PageLoader />;
  if (editing && (doc.error || draft.error)) return <ErrorAlert error={doc.error ?? draft.error} />;
  const memberData = (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));
  const approverData = (members.data ?? [])
    .filter((m) => m.status !== 'disabled' && canRole(m.role, 'document:approve'))
    .map((m) => ({ value: m.userId, label: `${m.name} (${roleLabels[m.role]})` }));
  const contentEditable = !editing || !!draft.data;
  const effective = scope.profile === 'large' ? 2 : 1;
  // segregation of duties: never fewer approvals than the profile's minimum; only a manager asks for more (or changes a
  // setting a manager raised); a stored setting stays selectable as it is
  const stored = doc.data?.requiredApprovals ?? null;
  const mayRaise = scope.role === 'manager';
  const approvalChoices = [
    { value: 'profile', label: t('form.approvals.profile', { count: effective }) },
    ...[1, 2, 3, 4, 5]
      .filter((n) => n >= effective && (n === effective || mayRaise || n === stored))
      .map((n) => ({ value: String(n), label: t('form.approvals.count', { count: n }) })),
  ];
  const approvalsLocked = !mayRaise && stored !== null && stored > effective;

  return (
    <>
      {dialog}
      <PageHeader
        title={editing ? t('form.editTitle', { reference: doc.data?.reference ?? '' }) : t('list.new')}
        crumbs={[
          { label: t('list.title'), to: `/s/${scope.id}/policies` },
          ...(editing && doc.data ? [{ label: doc.data.reference, to: `/s/${scope.id}/policies/${doc.data.id}` }] : []),
          { label: editing ? t('common:form.edit') : t('common:form.new') },
        ]}
        description={editing ? t('form.editHint') : t('form.newHint')}
      />
      <form onSubmit={form.onSubmit(save)} noValidate data-testid="document-form">
        <Stack>
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.theDocument')}
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 8 }}>
                <TextInput
                  label={t('list.col.title')}
                  name="title"
                  withAsterisk
                  placeholder={t('form.titlePlaceholder')}
                  maxLength={limits.title}
                  {...form.getInputProps('title')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('list.col.type')}
                  allowDeselect={false}
                  data={options(documentTypeLabels)}
                  {...form.getInputProps('type')}
                  data-testid="document-type"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label={t('form.purpose')}
                  description={t('form.purposeHint')}
                  autosize
                  minRows={2}
                  maxLength={limits.description}
                  {...form.getInputProps('description')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label={t('list.col.owner')}
                  description={t('form.ownerHint')}
                  placeholder={editing ? t('list.noOwner') : t('form.ownerDefault')}
                  clearable
                  searchable
                  data={memberData}
                  {...form.getInputProps('ownerId')}
                  data-testid="document-owner"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label={t('list.col.classification')}
                  allowDeselect={false}
                  data={options(classificationLabels)}
                  {...form.getInputProps('classification')}
                />
              </Grid.Col>
            </Grid>
          </Card>

          <Card withBorder radius="md" p="lg">
            <Title order={5} mb={4}>
              {t('form.text')}
            </Title>
            {contentEditable ? (
              <Stack>
                <MarkdownEditor
                  value={form.values.contentMd}
                  onChange={(v) => form.setFieldValue('contentMd', v)}
                  error={form.errors.contentMd}
                  label={t('form.policyText')}
                  maxLength={limits.contentMd}
                />
                <TextInput
                  label={t('form.changeSummary')}
                  name="changeSummary"
                  placeholder={t('form.changeSummaryPlaceholder')}
                  maxLength={limits.changeSummary}
                  {...form.getInputProps('changeSummary')}
                />
                {(draft.data?.versionNo ?? 1) > 1 && (
                  <Checkbox
                    label={t('form.material')}
                    description={t('form.materialHint')}
                    {...form.getInputProps('materialChange', { type: 'checkbox' })}
                  />
                )}
              </Stack>
            ) : (
              <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
                {t('form.onlyDraft')}
              </Alert>
            )}
          </Card>

          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              {t('form.approval')}
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 8 }}>
                <MultiSelect
                  label={t('form.approvers')}
                  description={t('form.approversHint')}
                  placeholder={approverData.length ? t('form.chooseApprovers') : t('form.noApprover')}
                  searchable
                  data={approverData}
                  {...form.getInputProps('approverIds')}
                  data-testid="document-approvers"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Select
                  label={t('form.approvalsNeeded')}
                  allowDeselect={false}
                  data={approvalChoices}
                  disabled={approvalsLocked}
                  description={
                    approvalsLocked ? t('form.approvals.locked') : mayRaise ? undefined : t('form.approvals.minimum', { count: effective })
                  }
                  {...form.getInputProps('requiredApprovals')}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Text size="sm" fw={500} mb={4}>
                  {t('form.audience')}
                </Text>
                <SegmentedControl
                  fullWidth
                  data={(['everyone', 'roles', 'people'] as const).map((k) => ({ value: k, label: audienceLabels[k] }))}
                  {...form.getInputProps('audienceKind')}
                  data-testid="document-audience"
                />
              </Grid.Col>
              {form.values.audienceKind === 'roles' && (
                <Grid.Col span={12}>
                  <MultiSelect label={t('form.roles')} data={options(roleLabels)} {...form.getInputProps('audienceRoles')} />
                </Grid.Col>
              )}
              {form.values.audienceKind === 'people' && (
                <Grid.Col span={12}>
                  <MultiSelect label={t('form.people')} searchable data={memberData} {...form.getInputProps('audiencePeople')} />
                </Grid.Col>
              )}
              <Grid.Col span={{ base: 6, md: 3 }}>
                <NumberField label={t('form.ackDays')} {...numbers.ackDueDays} {...form.getInputProps('ackDueDays')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, md: 3 }}>
                <NumberField
                  label={t('form.reviewEvery')}
                  {...numbers.reviewCadenceMonths}
                  {...form.getInputProps('reviewCadenceMonths')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 6, md: 3 }}>
                <NumberField label={t('form.keepAfter')} {...retentionLimits.value} {...form.getInputProps('retentionValue')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, md: 3 }}>
                <Select
                  label={t('form.unit')}
                  allowDeselect={false}
                  data={[
                    { value: 'months', label: t('form.months') },
                    { value: 'years', label: t('form.years') },
                  ]}
                  {...form.getInputProps('retentionUnit')}
                />
              </Grid.Col>
            </Grid>
          </Card>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(editing ? `/s/${scope.id}/policies/${id}` : `/s/${scope.id}/policies`)}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="save-document">
              {editing ? t('form.save') : t('form.createDraft')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
