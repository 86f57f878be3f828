import { Anchor, Badge, Button, Card, EmptyState, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconFileCertificate, IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { createSoaBody } from '../../../../server/src/processes/risk-treatment/soa.schemas.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { ListError } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { useCatalogs } from '../controls/LinkPickers.tsx';
import { soaStatusColors, soaStatusLabels } from './soa-labels.ts';
import type { CreateSoaInput, Soa } from './soa-types.ts';

const limits = textLimits(createSoaBody.shape);

/** "Create a Statement of Applicability": pick a catalog; the entries are pre-filled from the risk treatments. */
function CreateSoaModal({
  scopeId,
  opened,
  onClose,
  existing,
}: {
  scopeId: string;
  opened: boolean;
  onClose: () => void;
  existing: Soa[];
}) {
  const { t } = useTranslation('soa');
  const catalogs = useCatalogs(scopeId, opened);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [catalogId, setCatalogId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const taken = new Set(existing.map((s) => s.catalog.id));
  const create = async () => {
    if (!catalogId) return;
    setSaving(true);
    setError(null);
    try {
      const body: CreateSoaInput = { catalogId, ...(title.trim() && { title: title.trim() }) };
      const soa = await api.post<Soa, CreateSoaInput>(`/api/scopes/${scopeId}/soa`, body);
      void qc.invalidateQueries({ queryKey: ['soas', scopeId] });
      onClose();
      void navigate(`/s/${scopeId}/soa/${soa.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t('list.new')}</Text>} data-testid="create-soa-dialog">
      <Stack>
        <Text size="sm" c="dimmed">
          {t('create.hint')}
        </Text>
        <Select
          label={t('create.catalog')}
          placeholder={catalogs.isPending ? t('create.loading') : t('create.choose')}
          data={(catalogs.data ?? []).map((c) => ({
            value: c.id,
            label: `${c.title} (${c.version})`,
            disabled: taken.has(c.id),
          }))}
          value={catalogId}
          onChange={setCatalogId}
          searchable
          nothingFoundMessage={t('create.noCatalog')}
          data-testid="soa-catalog"
          description={taken.size > 0 ? t('create.taken') : undefined}
        />
        <TextInput
          label={t('create.title')}
          placeholder={t('create.titlePlaceholder')}
          maxLength={limits.title}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <ErrorAlert error={error} title={t('create.notCreated')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={create} disabled={!catalogId} loading={saving} data-testid="create-soa">
            {t('create.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The scope's Statements of Applicability, one per catalog (ISO 27001 6.1.3 d). */
export function SoaListPage() {
  const { t } = useTranslation('soa');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [createOpen, createDialog] = useDisclosure(false);
  const list = useQuery({
    queryKey: ['soas', scopeId],
    queryFn: () => api.get<Page<Soa>>(`/api/scopes/${scopeId}/soa`, { pageSize: 100 }),
  });
  const createButton = can('soa:write') && (
    <Button leftSection={<IconPlus size={16} />} onClick={createDialog.open} data-testid="new-soa">
      {t('list.new')}
    </Button>
  );

  let body: ReactNode;
  if (list.error) body = <ListError error={list.error} />;
  else if (list.isPending) body = <TableSkeleton rows={3} />;
  else if (list.data.items.length === 0)
    body = (
      <EmptyState
        py={56}
        px="md"
        icon={<IconFileCertificate size={32} />}
        withIndicatorBackground
        title={t('list.empty')}
        description={t('list.emptyHint')}
      >
        <EmptyState.Actions>{createButton}</EmptyState.Actions>
      </EmptyState>
    );
  else
    body = (
      <Table.ScrollContainer minWidth={phone ? 0 : 820}>
        <Table highlightOnHover verticalSpacing="sm" data-testid="soa-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('list.col.statement')}</Table.Th>
              {!phone && <Table.Th>{t('create.catalog')}</Table.Th>}
              <Table.Th>{t('list.col.status')}</Table.Th>
              {!phone && <Table.Th ta="right">{t('applicable.yes')}</Table.Th>}
              {!phone && <Table.Th ta="right">{t('applicable.no')}</Table.Th>}
              {!phone && <Table.Th ta="right">{t('applicable.undecided')}</Table.Th>}
              {!phone && <Table.Th>{t('list.col.updated')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((s) => (
              <Table.Tr key={s.id} className="row-link" onClick={() => navigate(`/s/${scopeId}/soa/${s.id}`)} data-testid="soa-row">
                <Table.Td maw={360}>
                  <Ref>{s.reference}</Ref>
                  <Anchor
                    component={Link}
                    to={`/s/${scopeId}/soa/${s.id}`}
                    fw={500}
                    size="sm"
                    display="block"
                    onClick={(e) => e.stopPropagation()}
                  >
                    {s.title}
                  </Anchor>
                  {phone && (
                    <Text size="xs" c="dimmed">
                      {s.catalog.title}
                    </Text>
                  )}
                </Table.Td>
                {!phone && (
                  <Table.Td maw={280}>
                    <Text size="sm">{s.catalog.title}</Text>
                    <Text size="xs" c="dimmed">
                      {t('list.version', { version: s.catalog.version })}
                    </Text>
                  </Table.Td>
                )}
                <Table.Td>
                  <Badge variant="light" color={soaStatusColors[s.status]}>
                    {soaStatusLabels[s.status]}
                  </Badge>
                  <Text size="xs" c="dimmed" mt={2}>
                    {s.approvedNumber ? t('list.approvedVersion', { version: s.approvedNumber }) : t('list.neverApproved')}
                  </Text>
                </Table.Td>
                {!phone && <Table.Td ta="right">{s.counts.applicable}</Table.Td>}
                {!phone && <Table.Td ta="right">{s.counts.excluded}</Table.Td>}
                {!phone && (
                  <Table.Td ta="right">
                    <Text size="sm" c={s.counts.undecided ? 'orange.8' : 'dimmed'} fw={s.counts.undecided ? 600 : undefined}>
                      {s.counts.undecided}
                    </Text>
                  </Table.Td>
                )}
                {!phone && (
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(s.updatedAt)}
                    </Text>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <>
      <PageHeader title={t('list.title')} description={t('list.description')} actions={createButton} />
      <Card withBorder radius="md" p={0}>
        {body}
      </Card>
      <CreateSoaModal scopeId={scopeId} opened={createOpen} onClose={createDialog.close} existing={list.data?.items ?? []} />
    </>
  );
}
