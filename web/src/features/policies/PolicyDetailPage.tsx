import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Divider,
  EmptyState,
  FileButton,
  Grid,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  IconArchive,
  IconCalendarCheck,
  IconCheck,
  IconGitCompare,
  IconPaperclip,
  IconPencil,
  IconSend,
  IconSpeakerphone,
  IconUpload,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { PdfWordButtons } from '../../app/DownloadButtons.tsx';
import { ApiError, api } from '../../app/api.ts';
import { textLimits, todayDay } from '../../app/FormParts.tsx';
import {
  approveBody,
  rejectBody,
  retireBody,
  reviewBody,
  reviseBody,
} from '../../../../server/src/processes/policy-management/document.schemas.ts';
import { formatDate, formatDateTime, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope, useCurrentSession, useMembers } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, Ref } from '../../app/ui.tsx';
import { RecordAuditTrail } from '../audit/AuditEntries.tsx';
import { formatBytes, uploadFile } from '../../app/upload.ts';
import { DiffView } from './DiffView.tsx';
import { Markdown } from './Markdown.tsx';
import {
  type AcknowledgementList,
  classificationColors,
  classificationLabels,
  type DiffResult,
  type DocumentActionInputs,
  type DocumentDetail,
  type DocumentWrite,
  documentStatusColors,
  documentStatusLabels,
  documentTypeLabels,
  type VersionActionInputs,
  type VersionDetail,
  versionStatusColors,
  versionStatusLabels,
} from './policy-types.ts';
import { inSentence } from '../../i18n/index.ts';

const approveLimits = textLimits(approveBody.shape);
const rejectLimits = textLimits(rejectBody.shape);
const reviseLimits = textLimits(reviseBody.shape);
const retireLimits = textLimits(retireBody.shape);
const reviewLimits = textLimits(reviewBody.shape);

type Step = null | 'approve' | 'reject' | 'publish' | 'revise' | 'retire' | 'review';

/** One document: its versions and their lifecycle, approvals, acknowledgement progress, diff and PDF export. */
export function PolicyDetailPage() {
  const { t } = useTranslation('policies');
  const { id } = useParams();
  const scope = useCurrentScope();
  const session = useCurrentSession();
  const can = useCan();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const members = useMembers(scope.id, can('member:read'));
  const [step, setStep] = useState<Step>(null);
  const [comment, setComment] = useState('');
  const [material, setMaterial] = useState(true);
  const [dueOn, setDueOn] = useState('');
  const [busy, setBusy] = useState(false);
  const [commentError, setCommentError] = useState<string | null>(null);
  const base = `/api/scopes/${scope.id}/documents/${id}`;
  const doc = useQuery({ queryKey: ['document', scope.id, id], queryFn: () => api.get<DocumentDetail>(base) });
  const d = doc.data;
  const selectedId =
    (d?.versions.some((v) => v.id === params.get('v')) ? params.get('v') : null) ??
    d?.workingVersion?.id ??
    d?.currentVersion?.id ??
    d?.versions[0]?.id;
  const version = useQuery({
    queryKey: ['document-version', scope.id, id, selectedId],
    queryFn: () => api.get<VersionDetail>(`${base}/versions/${selectedId}`),
    enabled: !!selectedId,
  });
  if (doc.isPending) return <PageLoader />;
  if (doc.error || !d) return <ErrorAlert error={doc.error} />;
  const v = version.data;
  const write = can('document:write');
  const isApprover = d.approvers.some((a) => a.id === session.user.id);
  const decidedThisRound = v?.approvals.some((a) => a.approver?.id === session.user.id && a.round === v.reviewRound);
  const isAuthor = v?.author?.id === session.user.id;
  // ISO 27001 A.5.1: the owner (or a manager) confirms a planned review that needs no changes
  const mayConfirmReview = write && d.status === 'published' && (scope.role === 'manager' || d.owner?.id === session.user.id);
  const lastReview = d.reviews[0];
  const select = (vid: string) => {
    const p = new URLSearchParams(params);
    p.set('v', vid);
    setParams(p, { replace: true });
  };

  const refresh = (vd?: VersionDetail) => {
    if (vd) qc.setQueryData(['document-version', scope.id, id, vd.id], vd);
    void qc.invalidateQueries({ queryKey: ['document', scope.id, id] });
    void qc.invalidateQueries({ queryKey: ['document-version', scope.id, id] });
    void qc.invalidateQueries({ queryKey: ['documents', scope.id] });
    void qc.invalidateQueries({ queryKey: ['acknowledgements', scope.id, id] });
    void qc.invalidateQueries({ queryKey: ['my-tasks'] });
  };
  const run = async (path: string, body: DocumentWrite, message: string) => {
    setBusy(true);
    try {
      const r = await api.post<VersionDetail | DocumentDetail, DocumentWrite>(path, body);
      refresh('documentId' in r ? r : undefined);
      if ('workingVersion' in r && r.workingVersion) select(r.workingVersion.id);
      notifySuccess(message);
      setStep(null);
      setComment('');
    } catch (e) {
      // someone else changed the document meanwhile: show the current state; the dialog keeps what was typed
      if (e instanceof ApiError && e.code === 'version_conflict') refresh();
      if (e instanceof ApiError && e.field === 'body.comment') setCommentError(e.message);
      notifyError(e, t('detail.notDone'));
    } finally {
      setBusy(false);
    }
  };
  const versionAction = <A extends keyof VersionActionInputs>(action: A, body: Omit<VersionActionInputs[A], 'version'>, message: string) =>
    // the spread of a generic body is not narrowed by the compiler: the parameter's type above is what is checked
    v && run(`${base}/versions/${v.id}/${action}`, { ...body, version: v.version } as VersionActionInputs[A], message);
  const documentAction = <A extends keyof DocumentActionInputs>(action: A, body: DocumentActionInputs[A], message: string) =>
    run(`${base}/${action}`, body, message);

  const audienceSummary =
    d.audience.kind === 'everyone'
      ? members.data
        ? t('detail.audience.everyoneCount', { scope: scope.name, count: members.data.filter((m) => m.status === 'active').length })
        : t('detail.audience.everyone', { scope: scope.name })
      : d.audience.kind === 'roles'
        ? members.data
          ? t('detail.audience.rolesCount', {
              roles: d.audience.roles.map((r) => roleLabels[r]).join(', '),
              count: members.data.filter((m) => m.status === 'active' && d.audience.roles.includes(m.role)).length,
            })
          : t('detail.audience.roles', { roles: d.audience.roles.map((r) => roleLabels[r]).join(', ') })
        : t('detail.audience.people', { count: d.audience.people.length, names: d.audience.people.map((p) => p.name).join(', ') });

  const actions = (
    <>
      {v && v.contentMd !== null && (
        <PdfWordButtons
          href={(format) => `${base}/versions/${v.id}/${format}`}
          pdfLabel={t('detail.pdf', { version: v.versionNo })}
          wordLabel={t('detail.docx', { version: v.versionNo })}
          pdfTitle={t('detail.exportPdf', { version: v.versionNo })}
          wordTitle={t('detail.exportDocx', { version: v.versionNo })}
          testId="export"
        />
      )}
      {write && d.status !== 'retired' && d.status !== 'disposed' && (
        <Button
          variant="default"
          component={Link}
          to={`/s/${scope.id}/policies/${d.id}/edit`}
          leftSection={<IconPencil size={16} />}
          data-testid="edit-document"
        >
          {t('detail.edit')}
        </Button>
      )}
      {mayConfirmReview && (
        <Button
          variant={d.reviewDue ? 'filled' : 'light'}
          leftSection={<IconCalendarCheck size={16} />}
          onClick={() => setStep('review')}
          data-testid="confirm-review"
        >
          {t('detail.confirmReview')}
        </Button>
      )}
      {write && d.status === 'published' && !d.workingVersion && (
        <Button variant="light" onClick={() => setStep('revise')} data-testid="revise-document">
          {t('detail.revise')}
        </Button>
      )}
      {can('document:approve') && d.status === 'published' && (
        <Button
          variant="subtle"
          color="red"
          leftSection={<IconArchive size={16} />}
          onClick={() => setStep('retire')}
          data-testid="retire-document"
        >
          {t('detail.retire')}
        </Button>
      )}
    </>
  );

  return (
    <>
      <PageHeader
        crumbs={[{ label: t('list.title'), to: `/s/${scope.id}/policies` }, { label: d.reference }]}
        documentTitle={`${d.reference} ${d.title}`}
        title={
          <>
            <Ref>{d.reference}</Ref> {d.title}
          </>
        }
        description={
          <Group gap={6} component="span">
            <Badge color={documentStatusColors[d.status]} data-testid="document-status">
              {documentStatusLabels[d.status]}
            </Badge>
            <Badge variant="outline" color="gray">
              {documentTypeLabels[d.type]}
            </Badge>
            <Badge variant="outline" color={classificationColors[d.classification]}>
              {classificationLabels[d.classification]}
            </Badge>
            {d.currentVersion && (
              <Badge variant="light" color="teal">
                {t('detail.inForce', { version: d.currentVersion.versionNo })}
              </Badge>
            )}
            {d.reviewDue && (
              <Badge color="orange" variant="light">
                {t('detail.reviewDue', { date: formatDate(d.nextReviewOn) })}
              </Badge>
            )}
          </Group>
        }
        actions={actions}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack>
            {v ? (
              <VersionPanel
                v={v}
                busy={busy}
                canWrite={write}
                canApprove={isApprover && !isAuthor && !decidedThisRound}
                approverHint={
                  v.status !== 'in_review'
                    ? null
                    : !isApprover
                      ? t('detail.hint.waiting')
                      : isAuthor
                        ? t('detail.hint.author')
                        : decidedThisRound
                          ? t('detail.hint.decided')
                          : null
                }
                canPublish={can('document:approve')}
                onSubmit={async () => {
                  if (d.approvers.length === 0) {
                    notifyError(new Error(t('detail.needApprover')), t('detail.notSubmitted'));
                    return;
                  }
                  await versionAction('submit', {}, t('detail.submitted', { version: v.versionNo }));
                }}
                onStep={setStep}
                scopeId={scope.id}
                documentId={d.id}
              />
            ) : version.error ? (
              <ErrorAlert error={version.error} />
            ) : (
              <PageLoader />
            )}
            {d.currentVersion && can('document:read') && (
              <AcknowledgementPanel
                base={base}
                versionId={d.currentVersion.id}
                versionNo={d.currentVersion.versionNo}
                scopeId={scope.id}
                documentId={d.id}
              />
            )}
            {d.versions.length > 1 && <DiffPanel base={base} d={d} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            <Card withBorder radius="md" p="lg">
              <Title order={5} mb="sm">
                {t('detail.versions')}
              </Title>
              <Stack gap={6} data-testid="version-list">
                {d.versions.map((x) => (
                  <Card
                    key={x.id}
                    withBorder
                    p="xs"
                    radius="sm"
                    className="row-link"
                    onClick={() => select(x.id)}
                    bg={x.id === selectedId ? 'praxis.0' : undefined}
                    data-testid="version-row"
                  >
                    <Group justify="space-between" wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {t('list.version', { version: x.versionNo })}
                      </Text>
                      <Badge size="sm" variant="light" color={versionStatusColors[x.status]}>
                        {versionStatusLabels[x.status]}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {x.changeSummary || '—'}
                      {x.materialChange && x.versionNo > 1 ? ` · ${t('detail.materialChange')}` : ''}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {x.publishedAt
                        ? t('detail.publishedOn', { date: formatDate(x.publishedAt) })
                        : t('detail.createdOn', { date: formatDate(x.createdAt) })}
                      {x.author ? ` · ${x.author.name}` : ''}
                    </Text>
                  </Card>
                ))}
              </Stack>
            </Card>
            <Card withBorder radius="md" p="lg">
              <Title order={5} mb="sm">
                {t('detail.about')}
              </Title>
              <Stack gap={8}>
                {d.description && <Text size="sm">{d.description}</Text>}
                <Fact label={t('list.col.owner')} value={d.owner?.name ?? t('list.noOwner')} />
                <Fact label={t('form.approvers')} value={d.approvers.map((a) => a.name).join(', ') || t('detail.noneNamed')} />
                <Fact label={t('form.approvalsNeeded')} value={String(d.effectiveRequiredApprovals)} />
                <Fact
                  label={t('detail.audienceLabel')}
                  value={d.audience.kind === 'everyone' ? t('detail.everyoneInScope') : audienceSummary}
                />
                <Fact label={t('detail.ackWithin')} value={t('detail.days', { count: d.ackDueDays })} />
                <Fact
                  label={t('detail.review')}
                  value={
                    d.nextReviewOn
                      ? t('detail.everyNext', { count: d.reviewCadenceMonths, date: formatDate(d.nextReviewOn) })
                      : t('detail.every', { count: d.reviewCadenceMonths })
                  }
                />
                {d.status !== 'draft' && (
                  <div data-testid="last-review">
                    <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.3 }}>
                      {t('detail.lastReview')}
                    </Text>
                    {lastReview ? (
                      <>
                        <Text size="sm">
                          {formatDate(lastReview.reviewedAt)}
                          {lastReview.reviewedBy ? ` ${t('detail.by', { name: lastReview.reviewedBy.name })}` : ''}
                          {lastReview.versionNo ? ` (${t('detail.versionLower', { version: lastReview.versionNo })})` : ''}
                        </Text>
                        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                          {lastReview.comment}
                        </Text>
                        {d.reviews.length > 1 && (
                          <Text size="xs" c="dimmed" mt={4}>
                            {t('detail.earlier')}{' '}
                            {d.reviews
                              .slice(1)
                              .map((r) => `${formatDate(r.reviewedAt)}${r.reviewedBy ? ` (${r.reviewedBy.name})` : ''}`)
                              .join(', ')}
                          </Text>
                        )}
                      </>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('detail.noReview')}
                      </Text>
                    )}
                  </div>
                )}
                <Fact
                  label={t('detail.retention')}
                  value={
                    d.retentionEndsOn
                      ? t('detail.retentionUntil', {
                          value: d.retention.value,
                          unit: t(`detail.unit.${d.retention.unit}`),
                          date: formatDate(d.retentionEndsOn),
                        })
                      : t('detail.retentionValue', { value: d.retention.value, unit: t(`detail.unit.${d.retention.unit}`) })
                  }
                />
                {d.retiredAt && <Fact label={t('detail.retired')} value={formatDateTime(d.retiredAt)} />}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      {can('audit:read') && <HistoryCard scopeId={scope.id} documentId={d.id} version={v} />}

      <Modal
        opened={step === 'approve' || step === 'reject'}
        onClose={() => setStep(null)}
        title={<Text fw={600}>{t(step === 'approve' ? 'detail.approveTitle' : 'detail.rejectTitle', { version: v?.versionNo })}</Text>}
        centered
      >
        <Stack>
          <Textarea
            label={step === 'reject' ? t('detail.whatChange') : t('detail.commentOptional')}
            withAsterisk={step === 'reject'}
            autosize
            minRows={3}
            maxLength={step === 'reject' ? rejectLimits.comment : approveLimits.comment}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-testid="decision-comment"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep(null)}>
              {t('common:actions.cancel')}
            </Button>
            {step === 'approve' ? (
              <Button
                color="teal"
                loading={busy}
                onClick={() => versionAction('approve', { comment }, t('detail.approved', { version: v?.versionNo }))}
                data-testid="confirm-approve"
              >
                {t('detail.approve')}
              </Button>
            ) : (
              <Button
                color="red"
                loading={busy}
                disabled={!comment.trim()}
                onClick={() => versionAction('reject', { comment }, t('detail.rejected', { version: v?.versionNo }))}
                data-testid="confirm-reject"
              >
                {t('detail.reject')}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={step === 'publish'}
        onClose={() => setStep(null)}
        title={<Text fw={600}>{t('detail.publishTitle', { version: v?.versionNo })}</Text>}
        centered
      >
        <Stack>
          <Alert color="teal" variant="light" icon={<IconSpeakerphone size={18} />} data-testid="publish-summary">
            {t('detail.publish.sentTo')} <b>{audienceSummary}</b>.{' '}
            {dueOn ? t('detail.publish.askedBy', { date: formatDate(dueOn) }) : t('detail.publish.askedWithin', { count: d.ackDueDays })}
            {d.currentVersion && v && !v.materialChange && ` ${t('detail.publish.minor')}`}
          </Alert>
          <TextInput
            type="date"
            label={t('detail.ackBy')}
            description={t('detail.ackByDefault', { count: d.ackDueDays })}
            min={todayDay()}
            value={dueOn}
            onChange={(e) => setDueOn(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              loading={busy}
              onClick={() => versionAction('publish', dueOn ? { dueOn } : {}, t('detail.published', { version: v?.versionNo }))}
              data-testid="confirm-publish"
            >
              {t('detail.publish.button')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={step === 'revise'}
        onClose={() => setStep(null)}
        title={<Text fw={600}>{t('detail.reviseTitle', { reference: d.reference })}</Text>}
        centered
      >
        <Stack>
          <Text size="sm">{t('detail.reviseText', { version: d.currentVersion?.versionNo })}</Text>
          <Textarea
            label={t('detail.whyRevised')}
            withAsterisk
            autosize
            minRows={2}
            maxLength={reviseLimits.changeSummary}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-testid="revise-summary"
          />
          <Checkbox
            label={t('form.material')}
            description={t('detail.materialHint')}
            checked={material}
            onChange={(e) => setMaterial(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              loading={busy}
              disabled={!comment.trim()}
              onClick={() =>
                documentAction(
                  'revise',
                  { version: d.version, changeSummary: comment, materialChange: material },
                  t('detail.revisionStarted'),
                )
              }
              data-testid="confirm-revise"
            >
              {t('detail.startRevision')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={step === 'review'}
        onClose={() => setStep(null)}
        title={<Text fw={600}>{t('detail.reviewTitle', { reference: d.reference })}</Text>}
        centered
      >
        <Stack>
          <Text size="sm">
            {t('detail.reviewText', { version: d.currentVersion?.versionNo, months: d.reviewCadenceMonths })}
            {d.nextReviewOn ? ` ${t('detail.reviewCurrentlyDue', { date: formatDate(d.nextReviewOn) })}` : ''}
          </Text>
          <Textarea
            label={t('detail.reviewConsidered')}
            description={t('detail.reviewConsideredHint')}
            withAsterisk
            autosize
            minRows={3}
            maxLength={reviewLimits.comment}
            value={comment}
            error={commentError}
            onChange={(e) => {
              setComment(e.currentTarget.value);
              setCommentError(null);
            }}
            data-testid="review-comment"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              loading={busy}
              disabled={!comment.trim()}
              leftSection={<IconCalendarCheck size={16} />}
              onClick={() =>
                documentAction('review', { version: d.version, comment }, t('detail.reviewConfirmed', { reference: d.reference }))
              }
              data-testid="confirm-review-submit"
            >
              {t('detail.confirmReview')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={step === 'retire'}
        onClose={() => setStep(null)}
        title={<Text fw={600}>{t('detail.retireTitle', { reference: d.reference })}</Text>}
        centered
      >
        <Stack>
          <Text size="sm">{t('detail.retireText', { value: d.retention.value, unit: t(`detail.unit.${d.retention.unit}`) })}</Text>
          <Textarea
            label={t('detail.reason')}
            autosize
            minRows={2}
            maxLength={retireLimits.reason}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              color="red"
              loading={busy}
              onClick={() =>
                documentAction('retire', { version: d.version, reason: comment }, t('detail.retiredNotice', { reference: d.reference }))
              }
              data-testid="confirm-retire"
            >
              {t('detail.retire')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

function VersionPanel({
  v,
  busy,
  canWrite,
  canApprove,
  approverHint,
  canPublish,
  onSubmit,
  onStep,
  scopeId,
  documentId,
}: {
  v: VersionDetail;
  busy: boolean;
  canWrite: boolean;
  canApprove: boolean;
  approverHint: string | null;
  canPublish: boolean;
  onSubmit: () => void;
  onStep: (s: Step) => void;
  scopeId: string;
  documentId: string;
}) {
  const { t } = useTranslation('policies');
  const approvalsThisRound = v.approvals.filter((a) => a.round === v.reviewRound && a.decision === 'approved').length;
  return (
    <Card withBorder radius="md" p="lg" data-testid="version-panel">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm" mb="sm">
        <div>
          <Group gap="xs">
            <Title order={4}>{t('list.version', { version: v.versionNo })}</Title>
            <Badge color={versionStatusColors[v.status]} data-testid="version-status">
              {versionStatusLabels[v.status]}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {v.changeSummary}
            {v.versionNo > 1 && ` · ${v.materialChange ? t('detail.materialAgain') : t('detail.minorChange')}`}
          </Text>
        </div>
        <Group gap="xs">
          {v.status === 'draft' && canWrite && (
            <>
              <Button
                variant="default"
                component={Link}
                to={`/s/${scopeId}/policies/${documentId}/edit`}
                leftSection={<IconPencil size={16} />}
              >
                {t('detail.editText')}
              </Button>
              <Button leftSection={<IconSend size={16} />} loading={busy} onClick={onSubmit} data-testid="submit-version">
                {t('detail.submit')}
              </Button>
            </>
          )}
          {v.status === 'in_review' && canApprove && (
            <>
              <Button color="teal" leftSection={<IconCheck size={16} />} onClick={() => onStep('approve')} data-testid="approve-version">
                {t('detail.approve')}
              </Button>
              <Button
                color="red"
                variant="light"
                leftSection={<IconX size={16} />}
                onClick={() => onStep('reject')}
                data-testid="reject-version"
              >
                {t('detail.reject')}
              </Button>
            </>
          )}
          {v.status === 'approved' && canPublish && (
            <Button leftSection={<IconSpeakerphone size={16} />} onClick={() => onStep('publish')} data-testid="publish-version">
              {t('detail.publish.button')}
            </Button>
          )}
        </Group>
      </Group>
      {v.status === 'in_review' && (
        <Alert color="violet" variant="light" mb="sm" data-testid="review-state">
          {t('detail.approvalsSoFar', { done: approvalsThisRound, count: v.requiredApprovals })}
          {approverHint ? ` ${approverHint}` : ''}
        </Alert>
      )}
      {v.approvals.length > 0 && (
        <Stack gap={4} mb="sm" data-testid="approvals">
          {v.approvals.map((a) => (
            <Text key={a.id} size="sm">
              <Badge size="xs" color={a.decision === 'approved' ? 'teal' : 'red'} variant="light" mr={6}>
                {a.decision === 'approved' ? t('detail.decision.approved') : t('detail.decision.rejected')}
              </Badge>
              {a.approver?.name ?? t('detail.formerMember')} · {formatDateTime(a.decidedAt)}
              {a.comment && <Text span c="dimmed">{` — “${a.comment}”`}</Text>}
            </Text>
          ))}
        </Stack>
      )}
      {v.publishedAt && (
        <Text size="xs" c="dimmed" mb="sm">
          {t('detail.publishedOn', { date: formatDateTime(v.publishedAt) })}
          {v.publishedBy ? ` ${t('detail.by', { name: v.publishedBy.name })}` : ''}
        </Text>
      )}
      <Divider mb="md" />
      {v.contentMd === null ? (
        <Text c="dimmed" size="sm">
          {t('detail.disposed')}
        </Text>
      ) : v.contentMd.trim() ? (
        <Markdown testId="version-content">{v.contentMd}</Markdown>
      ) : (
        <Text c="dimmed" size="sm">
          {t('detail.noText')} {v.status === 'draft' && canWrite ? t('detail.useEditText') : ''}
        </Text>
      )}
      <VersionFile v={v} canAttach={v.status === 'draft' && canWrite} scopeId={scopeId} documentId={documentId} />
    </Card>
  );
}

function AcknowledgementPanel({
  base,
  versionId,
  versionNo,
  scopeId,
  documentId,
}: {
  base: string;
  versionId: string;
  versionNo: number;
  scopeId: string;
  documentId: string;
}) {
  const { t } = useTranslation('policies');
  const [state, setState] = useState('open');
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['acknowledgements', scopeId, documentId, versionId, state, page],
    queryFn: () => api.get<AcknowledgementList>(`${base}/versions/${versionId}/acknowledgements`, { state, page, pageSize: 10 }),
    placeholderData: (p) => p,
  });
  const s = list.data?.summary;
  const pct = s && s.assigned > 0 ? Math.round((s.acknowledged / s.assigned) * 100) : 0;
  return (
    <Card withBorder radius="md" p="lg" data-testid="ack-panel">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={5}>{t('ack.title', { version: versionNo })}</Title>
        {s && (
          <Text fw={600} data-testid="ack-progress">
            {t('ack.progress', { done: s.acknowledged, total: s.assigned })}
          </Text>
        )}
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {s && (
        <>
          <Progress
            value={pct}
            color={pct === 100 ? 'teal' : 'praxis'}
            size="lg"
            radius="xl"
            mb={6}
            aria-label={t('ack.percent', { percent: pct })}
          />
          <Text size="xs" c="dimmed" mb="sm">
            {s.overdue > 0 ? t('ack.openOverdue', { open: s.open, overdue: s.overdue }) : t('ack.open', { open: s.open })}
          </Text>
          <SegmentedControl
            size="xs"
            mb="sm"
            value={state}
            onChange={(x) => {
              setState(x);
              setPage(1);
            }}
            data={[
              { value: 'open', label: t('ack.filter.open') },
              { value: 'overdue', label: t('ack.filter.overdue') },
              { value: 'acknowledged', label: t('ack.filter.acknowledged') },
              { value: 'all', label: t('ack.filter.all') },
            ]}
          />
          {list.data && list.data.total === 0 ? (
            <EmptyState
              py="md"
              title={state === 'open' ? t('ack.nobodyMissing') : t('ack.nobody')}
              description={state === 'open' ? t('ack.everyoneDone') : undefined}
            />
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table verticalSpacing={6} data-testid="ack-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('ack.col.person')}</Table.Th>
                    <Table.Th>{t('ack.col.due')}</Table.Th>
                    <Table.Th>{t('ack.col.acknowledged')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data?.items.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td>
                        <Text size="sm">{a.user.name}</Text>
                        <Text size="xs" c="dimmed">
                          {a.user.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={a.overdue ? 'red.7' : undefined}>
                          {formatDate(a.dueOn)}
                          {a.overdue ? ` · ${t('ack.overdue')}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={a.acknowledgedAt ? undefined : 'dimmed'}>
                          {a.acknowledgedAt ? formatDateTime(a.acknowledgedAt) : t('ack.notYet')}
                          {a.carriedOver ? ` ${t('ack.earlierVersion')}` : ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {list.data && (
            <ListPager total={list.data.total} of={list.data} page={page} pageSize={list.data.pageSize} onPage={setPage} tight />
          )}
        </>
      )}
    </Card>
  );
}

function DiffPanel({ base, d }: { base: string; d: DocumentDetail }) {
  const { t } = useTranslation('policies');
  const sorted = [...d.versions].sort((a, b) => a.versionNo - b.versionNo);
  const [from, setFrom] = useState<string | null>(sorted[sorted.length - 2]?.id ?? null);
  const [to, setTo] = useState<string | null>(sorted[sorted.length - 1]?.id ?? null);
  const diff = useQuery({
    queryKey: ['document-diff', base, from, to],
    queryFn: () => api.get<DiffResult>(`${base}/diff`, { from, to }),
    enabled: !!from && !!to && from !== to,
  });
  const data = sorted.map((x) => ({
    value: x.id,
    label: t('diff.option', { version: x.versionNo, status: inSentence(versionStatusLabels[x.status]) }),
  }));
  return (
    <Card withBorder radius="md" p="lg" data-testid="diff-panel">
      <Group gap="xs" mb="sm">
        <IconGitCompare size={18} />
        <Title order={5}>{t('diff.title')}</Title>
      </Group>
      <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
        <Select
          label={t('diff.from')}
          data={data}
          value={from}
          onChange={setFrom}
          allowDeselect={false}
          w={{ base: '100%', xs: 240 }}
          data-testid="diff-from"
        />
        <Select
          label={t('diff.to')}
          data={data}
          value={to}
          onChange={setTo}
          allowDeselect={false}
          w={{ base: '100%', xs: 240 }}
          data-testid="diff-to"
        />
      </Group>
      {from === to ? (
        <Text size="sm" c="dimmed">
          {t('diff.chooseTwo')}
        </Text>
      ) : diff.error ? (
        <ErrorAlert error={diff.error} />
      ) : diff.data ? (
        <DiffView diff={diff.data} />
      ) : (
        <PageLoader />
      )}
    </Card>
  );
}

/** The version's PDF or DOCX: download link, and for a draft an upload with progress (25 MB). */
function VersionFile({ v, canAttach, scopeId, documentId }: { v: VersionDetail; canAttach: boolean; scopeId: string; documentId: string }) {
  const { t } = useTranslation('policies');
  const session = useCurrentSession();
  const qc = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const url = `/api/scopes/${scopeId}/documents/${documentId}/versions/${v.id}/file`;
  const upload = async (file: File | null) => {
    if (!file) return;
    setProgress(0);
    try {
      const saved = await uploadFile<VersionDetail>(url, file, {
        fields: { version: String(v.version) },
        csrfToken: session.csrfToken,
        onProgress: setProgress,
      });
      qc.setQueryData(['document-version', scopeId, documentId, v.id], saved);
      void qc.invalidateQueries({ queryKey: ['document', scopeId, documentId] });
      notifySuccess(t('file.attached', { name: file.name, version: v.versionNo }));
    } catch (e) {
      notifyError(e, t('file.notAttached'));
    } finally {
      setProgress(null);
    }
  };
  if (!v.file && !canAttach) return null;
  return (
    <Group mt="md" gap="sm" wrap="wrap" data-testid="version-file">
      {v.file && (
        <Button component="a" href={url} variant="light" leftSection={<IconPaperclip size={16} />}>
          {v.file.name} ({formatBytes(v.file.size)})
        </Button>
      )}
      {canAttach && (
        <FileButton
          onChange={upload}
          accept="application/pdf,.pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,.docx"
        >
          {(props) => (
            <Button {...props} variant="default" leftSection={<IconUpload size={16} />} loading={progress !== null}>
              {v.file ? t('file.replace') : t('file.attach')}
            </Button>
          )}
        </FileButton>
      )}
      {progress !== null && <Progress value={progress} w={160} size="sm" aria-label={t('file.progress')} />}
    </Group>
  );
}

/** The audit trail of the document's metadata, or of the selected version (submission, approvals, publication). */
function HistoryCard({ scopeId, documentId, version }: { scopeId: string; documentId: string; version: VersionDetail | undefined }) {
  const { t } = useTranslation('policies');
  const [of, setOf] = useState('version');
  const showVersion = of === 'version' && !!version;
  return (
    <Card withBorder radius="md" p="lg" mt="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={5}>{t('history.title')}</Title>
        {version && (
          <SegmentedControl
            size="xs"
            value={of}
            onChange={setOf}
            data={[
              { value: 'version', label: t('list.version', { version: version.versionNo }) },
              { value: 'document', label: t('history.document') },
            ]}
          />
        )}
      </Group>
      {showVersion ? (
        <RecordAuditTrail key={version.id} scopeId={scopeId} recordType="document_version" recordId={version.id} />
      ) : (
        <RecordAuditTrail scopeId={scopeId} recordType="document" recordId={documentId} />
      )}
    </Card>
  );
}
