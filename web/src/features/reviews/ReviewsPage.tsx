import { Anchor, Badge, Button, Card, EmptyState, Group, Modal, MultiSelect, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconPresentation } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, type Page, withQuery } from '../../app/api.ts';
import { ExportCsvButton, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { canRole, useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import {
  type CreateReviewInput,
  type Review,
  type ReviewDetail,
  type ReviewStatus,
  reviewStatuses,
  statusColors,
  statusLabels,
} from './review-types.ts';
import { createReviewBody } from '../../../../server/src/processes/management-review/management-review.schemas.ts';
import { NumberField, numberLimits, textLimits } from '../../app/FormParts.tsx';

const limits = textLimits(createReviewBody.shape);
const numbers = numberLimits(createReviewBody.shape);

const PAGE_SIZE = 25;

function PlanReviewModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('reviews');
  const scope = useCurrentScope();
  const members = useMembers(scope.id, opened);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: {
      title: '',
      chairId: null as string | null,
      plannedOn: '',
      periodFrom: '',
      periodTo: '',
      quorum: '' as number | string,
      attendeeIds: [] as string[],
    },
    validate: {
      title: (v) => (v.trim() ? null : t('form.titleRequired')),
      chairId: (v) => (v ? null : t('form.chairRequired')),
      plannedOn: (v) => (v ? null : t('form.dateRequired')),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body: CreateReviewInput = {
        title: v.title,
        chairId: v.chairId!,
        plannedOn: v.plannedOn,
        ...(v.periodFrom && { periodFrom: v.periodFrom }),
        ...(v.periodTo && { periodTo: v.periodTo }),
        quorum: v.quorum === '' ? null : Number(v.quorum),
        attendeeIds: v.attendeeIds,
      };
      return api.post<ReviewDetail, CreateReviewInput>(`/api/scopes/${scope.id}/reviews`, body);
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['reviews', scope.id] });
      notifySuccess(t('form.saved', { ref: r.reference }));
      onClose();
      form.reset();
      void navigate(`/s/${scope.id}/reviews/${r.id}`);
    },
    onError: (e) => {
      if (!applyFieldError(form, e, { 'body.attendeeIds': 'attendeeIds' })) notifyError(e);
    },
  });
  // chair and attendees: members who may read the reviews (top management often has the viewer role)
  const memberData = (members.data ?? []).filter((m) => canRole(m.role, 'review:read')).map((m) => ({ value: m.userId, label: m.name }));
  return (
    <Modal opened={opened} onClose={onClose} title={t('list.plan')} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput
            label={t('form.title')}
            required
            data-testid="review-title"
            maxLength={limits.title}
            {...form.getInputProps('title')}
          />
          <Group grow>
            <Select
              label={t('form.chair')}
              required
              searchable
              data={memberData}
              data-testid="review-chair"
              {...form.getInputProps('chairId')}
            />
            <TextInput type="date" label={t('form.plannedOn')} required data-testid="review-date" {...form.getInputProps('plannedOn')} />
          </Group>
          <MultiSelect label={t('form.attendees')} searchable data={memberData} {...form.getInputProps('attendeeIds')} />
          <Group grow>
            <TextInput
              type="date"
              label={t('form.periodFrom')}
              description={t('form.periodFromHint')}
              {...form.getInputProps('periodFrom')}
            />
            <TextInput
              type="date"
              label={t('form.periodTo')}
              description={t('form.periodToHint')}
              min={form.values.periodFrom || undefined}
              {...form.getInputProps('periodTo')}
            />
          </Group>
          <NumberField
            label={t('form.quorum')}
            description={scope.profile === 'large' ? t('form.quorumLarge') : t('form.quorumHint')}
            required={scope.profile === 'large'}
            {...numbers.quorum}
            {...form.getInputProps('quorum')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="review-save">
              {t('form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ReviewsPage() {
  const { t } = useTranslation('reviews');
  const scope = useCurrentScope();
  const can = useCan();
  const [status, setStatus] = useState<ReviewStatus | null>(null);
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 250);
  const [page, setPage] = useState(1);
  const [planning, { open, close }] = useDisclosure(false);
  const filters = { status: status ?? undefined, q: debouncedQ || undefined };
  const query = { ...filters, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['reviews', scope.id, query],
    queryFn: () => api.get<Page<Review>>(`/api/scopes/${scope.id}/reviews`, query),
    placeholderData: (p) => p,
  });
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          can('review:manage') && (
            <Button leftSection={<IconPlus size={16} />} onClick={open} data-testid="plan-review">
              {t('list.plan')}
            </Button>
          )
        }
      />
      <PlanReviewModal opened={planning} onClose={close} />
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm" justify="space-between">
          <Group gap="sm">
            <Select
              w={220}
              value={status}
              onChange={(v) => {
                setStatus(v as ReviewStatus | null);
                setPage(1);
              }}
              placeholder={t('list.anyStatus')}
              clearable
              data={reviewStatuses.map((s) => ({ value: s, label: statusLabels[s] }))}
            />
            <SearchInput
              placeholder={t('list.search')}
              value={q}
              onChange={(value) => {
                setQ(value);
                setPage(1);
              }}
              w={240}
            />
          </Group>
          <ExportCsvButton href={withQuery(`/api/scopes/${scope.id}/reviews.csv`, filters)} />
        </Group>
        <ErrorAlert error={list.error} />
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.data?.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconPresentation size={36} />}
            withIndicatorBackground
            title={t('list.empty')}
            description={t('list.emptyHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="review-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.review')}</Table.Th>
                  <Table.Th>{t('list.status')}</Table.Th>
                  <Table.Th>{t('list.chair')}</Table.Th>
                  <Table.Th>{t('list.plannedOn')}</Table.Th>
                  <Table.Th>{t('list.period')}</Table.Th>
                  <Table.Th>{t('list.held')}</Table.Th>
                  <Table.Th>{t('list.decisions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data?.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/s/${scope.id}/reviews/${r.id}`} fw={500}>
                        <Ref>{r.reference}</Ref> {r.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={statusColors[r.status]} variant="light">
                        {statusLabels[r.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{r.chair?.name ?? '—'}</Table.Td>
                    <Table.Td>{formatDate(r.plannedOn)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {formatDate(r.periodFrom)} – {formatDate(r.periodTo)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatDateTime(r.heldAt)}</Table.Td>
                    <Table.Td>{r.decisions}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.data && <ListPager page={page} total={list.data.total} of={list.data} pageSize={PAGE_SIZE} onPage={setPage} />}
      </Card>
    </>
  );
}
