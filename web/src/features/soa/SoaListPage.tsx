import { Anchor, Badge, Button, Card, EmptyState, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconFileCertificate, IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ListError } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { useCatalogs } from '../controls/LinkPickers.tsx';
import { soaStatusColors, soaStatusLabels } from './soa-labels.ts';
import type { CreateSoaInput, Soa } from './soa-types.ts';

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
      const soa = await api.post<Soa>(`/api/scopes/${scopeId}/soa`, body);
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
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>New Statement of Applicability</Text>} data-testid="create-soa-dialog">
      <Stack>
        <Text size="sm" c="dimmed">
          Every control of the catalog becomes an entry. Requirements your risk treatments selected start as applicable with the treatment
          as justification; the others wait for your decision.
        </Text>
        <Select
          label="Catalog"
          placeholder={catalogs.isPending ? 'Loading catalogs…' : 'Choose a catalog'}
          data={(catalogs.data ?? []).map((c) => ({
            value: c.id,
            label: `${c.title} (${c.version})`,
            disabled: taken.has(c.id),
          }))}
          value={catalogId}
          onChange={setCatalogId}
          searchable
          nothingFoundMessage="No catalog matches"
          data-testid="soa-catalog"
          description={taken.size > 0 ? 'Catalogs that already have a Statement of Applicability in this scope are greyed out.' : undefined}
        />
        <TextInput
          label="Title"
          placeholder="Optional, e.g. Statement of Applicability 2026"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <ErrorAlert error={error} title="Not created" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={create} disabled={!catalogId} loading={saving} data-testid="create-soa">
            Create
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The scope's Statements of Applicability, one per catalog (ISO 27001 6.1.3 d). */
export function SoaListPage() {
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
      New Statement of Applicability
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
        title="No Statement of Applicability yet"
        description="Choose a catalog (ISO/IEC 27001 Annex A or an imported one). Praxis lists its controls, pre-fills what your risk treatments selected and keeps approved versions for the auditor."
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
              <Table.Th>Statement</Table.Th>
              {!phone && <Table.Th>Catalog</Table.Th>}
              <Table.Th>Status</Table.Th>
              {!phone && <Table.Th ta="right">Applicable</Table.Th>}
              {!phone && <Table.Th ta="right">Excluded</Table.Th>}
              {!phone && <Table.Th ta="right">Undecided</Table.Th>}
              {!phone && <Table.Th>Updated</Table.Th>}
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
                      Version {s.catalog.version}
                    </Text>
                  </Table.Td>
                )}
                <Table.Td>
                  <Badge variant="light" color={soaStatusColors[s.status]}>
                    {soaStatusLabels[s.status]}
                  </Badge>
                  <Text size="xs" c="dimmed" mt={2}>
                    {s.approvedNumber ? `Approved version ${s.approvedNumber}` : 'Never approved'}
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
      <PageHeader
        title="Statement of Applicability"
        description="Which controls of a catalog apply to this scope and why, how far their implementation has come, and the approved versions the auditor receives."
        actions={createButton}
      />
      <Card withBorder radius="md" p={0}>
        {body}
      </Card>
      <CreateSoaModal scopeId={scopeId} opened={createOpen} onClose={createDialog.close} existing={list.data?.items ?? []} />
    </>
  );
}
